"""Limits and escaping for the text people type: the same everywhere it is stored or written."""

from __future__ import annotations

import re

MAX_TEXT = 20_000  # characters: the most any text answer may hold, whatever a spec says

# Markdown escaping, kept to what CommonMark (and GitHub's autolinks) would read as markup, so
# the file still reads as the learner wrote it: "2026-12-04 (monthly)" stays as it is.
# A backslash that would escape what follows it (or break the line, at its end).
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)")
# Anywhere in a line: code spans and fences (`), emphasis (*), links and images ([), HTML and
# autolinks (<), tables (|), strikethrough (~).
_ANYWHERE = re.compile(r"([`*\[<|~])")
# Emphasis by underscore, which CommonMark never reads inside a word (snake_case is safe).
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Entities (&amp; &#169;), which would show as the character they name.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Bare web addresses, which GitHub and many renderers turn into links.
_BARE_LINK = re.compile(r"(?<=[A-Za-z])(?=://)|(?<=\bwww)(?=\.)", re.IGNORECASE)
# What only counts at the start of a line: headings, block quotes, list markers, and lines of
# -, = or _ (a rule, or the underline that makes the line above a heading).
_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|[-=_](?=[-=_\s]*$))")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def _escape_line(line: str) -> str:
    line = _BACKSLASH.sub(r"\\\\", line)
    line = _ANYWHERE.sub(r"\\\1", line)
    line = _UNDERSCORE.sub(r"\\_", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _BARE_LINK.sub("\\\\", line)
    line = _LINE_START.sub(lambda m: "\\" + m.group(0), line)
    return _ORDERED.sub(r"\1\\\2", line)


def markdown_escape(text: object) -> str:
    """Escape typed text for a Markdown file so it renders literally (never a link, image, HTML,
    heading, list or emphasis) while reading cleanly as plain text: only what CommonMark would
    misread is escaped. Line breaks are kept (as hard breaks), leading spaces dropped."""
    lines = (line.strip() for line in str(text).splitlines())
    return "  \n".join(_escape_line(line) for line in lines)
