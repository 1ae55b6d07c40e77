"""Limits and escaping for the text people type: the same everywhere it is stored or written."""

from __future__ import annotations

import re

MAX_TEXT = 20_000  # characters: the most any text answer may hold, whatever a spec says

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that can start
# markup (links, images, HTML, emphasis, headings, lists, tables, entities, autolinks).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&:])")


def markdown_escape(text: object) -> str:
    """Escape typed text for a Markdown file so it renders literally: never a link, image, HTML,
    heading or list. Line breaks are kept (as hard breaks), leading spaces dropped."""
    lines = (line.strip() for line in str(text).splitlines())
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in lines)
