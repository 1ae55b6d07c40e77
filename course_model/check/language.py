"""The course's own words pass the language audit it teaches.

Every piece of course text (notebook markdown, module and exercise files, case studies,
facilitator guides) is audited with the learner's language audit. A flagged phrase may stand
inside quotation marks, where the course quotes a record or names a phrase to question it, and
in a case study's documents, which are records written the way real records are, for learners
to critique. Anywhere else it is the course speaking, and ``practice-lab check`` reports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from course_model import content
from course_model.content import ContentError, Problem
from course_model.language import unquoted

# Records for critique, and the titles of published sources: quoted by nature.
EXEMPT_FIELDS = re.compile(r"^documents\[\d+\]\.|^references\[\d+\]\.citation$|^sources\[")
EXEMPT_FILES = {"language_patterns.yaml", "signposting.yaml"}


def _strings(data, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, f"{where}[{i}]")


def course_texts(root: Path) -> Iterator[tuple[Path, str, str]]:
    """Every piece of course text under ``root`` as (file, place in it, text). A file that
    cannot be read is passed over: the file's own check names it."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in EXEMPT_FILES:
            continue
        try:
            yield from _texts(path)
        except (ContentError, OSError, ValueError, KeyError, TypeError):
            continue


def _texts(path: Path) -> Iterator[tuple[Path, str, str]]:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                yield path, f"cells[{i}]", "".join(cell["source"])
    elif path.suffix == ".yaml":
        for where, text in _strings(content.read_yaml(path)):
            if not EXEMPT_FIELDS.search(where):
                yield path, where, text
    elif path.suffix == ".md":
        yield path, "", path.read_text(encoding="utf-8")


def language_problems(root: Path) -> list[Problem]:
    """One problem per phrase the language audit flags in the course's own voice."""
    return [
        Problem(
            path,
            where,
            f"“{flag.phrase}” is flagged by the language audit ({flag.pattern_id}): "
            f"{flag.instead} Or quote it, if the text cites a record or names the phrase to "
            "question it.",
        )
        for path, where, text in course_texts(root)
        for flag in unquoted(text)
    ]
