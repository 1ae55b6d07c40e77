"""The course's own feedback document: what a learner reads about one marked notebook.

The trainer's side (``grading.course_feedback``) builds it from nbgrader's gradebook at release
time and embeds it in nbgrader's own feedback page, so it travels through nbgrader's exchange
with that page's permissions and nothing new to fetch; the learner's page (``widgets.feedback``)
reads it back and renders it in the course's design. The document is data, never markup: every
text in it was typed by a person and is escaped where it is shown.

A document is a dict: ``{"version": 1, "module_id", "notebook", "items": [{"exercise_id",
"score", "points", "comment", "answer", "key"?}]}``. ``key`` is present
only when the trainer chose to release explanations; ``score`` is None until an item is marked.
"""

from __future__ import annotations

import json
import re
from typing import Any

from course_model import content

VERSION = 1
# An inert JSON block in the HTML page: browsers never run a script of this type.
_OPEN = '<script type="application/json" id="practice-lab-feedback">'
_CLOSE = "</script>"
_BLOCK = re.compile(re.escape(_OPEN) + r"(.*?)" + re.escape(_CLOSE), re.DOTALL)
MAX_TEXT = 20_000  # the longest comment or written answer kept (a reflection's own cap)


def embed(page: str, doc: dict[str, Any]) -> str:
    """``page`` (an HTML document) with ``doc`` in it as an inert JSON block, replacing any
    earlier one. ``<``, ``>`` and ``&`` are written as JSON escapes, so no text in the document
    can close the block or open markup."""
    data = json.dumps(doc, ensure_ascii=False)
    data = data.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    block = _OPEN + data + _CLOSE
    page = _BLOCK.sub("", page)
    if "</body>" in page:
        return page.replace("</body>", block + "</body>", 1)
    return page + block


def embedded(page: str) -> dict[str, Any] | None:
    """The feedback document embedded in ``page``, or None when it has none or it is not a
    document of this version (feedback released before the course wrote one)."""
    found = _BLOCK.search(page)
    if not found:
        return None
    try:
        doc = json.loads(found.group(1))
    except ValueError:
        return None
    if not _well_formed(doc):
        return None
    return doc


def _well_formed(doc: Any) -> bool:
    """True when ``doc`` has the shape the learner's page renders."""
    if not isinstance(doc, dict) or doc.get("version") != VERSION:
        return False
    if doc.get("module_id") not in content.module_ids() or not isinstance(doc.get("items"), list):
        return False
    return all(
        isinstance(item, dict)
        and isinstance(item.get("exercise_id"), str)
        and isinstance(item.get("points"), int | float)
        and isinstance(item.get("score"), int | float | type(None))
        and isinstance(item.get("comment"), str)
        for item in doc["items"]
    )


def bounded(text: str | None) -> str:
    """A person's text as a document keeps it: at most MAX_TEXT characters, never None."""
    return (text or "")[:MAX_TEXT]
