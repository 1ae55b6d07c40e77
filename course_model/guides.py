"""Facilitator guides: the numbered workshop prompts under a guide's "## Workshop prompts"
heading, the one place they are written (the guide's reader and the workshop read the same)."""

from __future__ import annotations

import re

from course_model import content

_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")


def _section(markdown: str, heading: str) -> list[str] | None:
    """The lines under the ``## …`` heading starting with ``heading``, up to the next one."""
    lines, found = [], False
    for line in markdown.splitlines():
        if line.startswith("## "):
            if found:
                break
            found = line.startswith(heading)
            continue
        if found:
            lines.append(line)
    return lines if found else None


def _numbered(lines: list[str]) -> list[str]:
    """The items of the numbered list in ``lines`` (continuation lines joined), quotes removed."""
    items: list[str] = []
    for line in lines:
        match = _NUMBERED.match(line.strip())
        if match:
            items.append(match.group(2).strip())
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()
    return [
        t[1:-1] if t.startswith('"') and t.endswith('"') and t.count('"') == 2 else t for t in items
    ]


def guide_prompts(module_id: str) -> tuple[list[str], str]:
    """The numbered prompts under the "## Workshop prompts" heading of a module's facilitator
    guide, and where they were found: the one place they are written, for the guide's reader
    and the workshop alike. Empty when the guide has none."""
    guide = content.module_dir(module_id) / "facilitator-guide.md"
    lines = _section(guide.read_text(encoding="utf-8"), "## Workshop prompts") or []
    return _numbered(lines), f"{module_id}/facilitator-guide.md, Workshop prompts"
