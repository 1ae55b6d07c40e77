"""Rubrics from module.yaml rendered as the Markdown of nbgrader's manually graded task cell.

The task cell is what a trainer sees beside each reflection in formgrader and what a learner
sees above the text box; ``practice-lab check`` fails when a cell drifts from module.yaml.
"""

from __future__ import annotations

from course_model import content


def rubric_markdown(module_id: str, rubric_id: str) -> str:
    """The rubric as a Markdown heading and table: one row per criterion, one column per level."""
    rubric = content.load_module(module_id)["rubrics"][rubric_id]
    lines = [f"### How your reflection is marked ({rubric['points']:g} points)", ""]
    for crit in rubric["criteria"]:
        lines += [f"**{crit['title']}**", ""]
        lines += [f"- **{lvl['score']:g}** — {lvl['descriptor']}" for lvl in crit["levels"]]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def comment_by_criterion(comment: str, titles: list[str]) -> tuple[dict[str, str], str]:
    """A trainer's comment split by rubric criterion: ``({title: its comment}, the rest)``.

    nbgrader gives a reflection one comment box; a line that starts with a criterion's title and
    a colon (as the marking guide suggests) begins that criterion's comment, which runs until the
    next such line. Lines before the first one are the general comment."""
    by_title = {title.casefold(): title for title in titles}
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    current = general
    for line in comment.splitlines():
        head, colon, rest = line.partition(":")
        title = by_title.get(head.strip().casefold()) if colon else None
        if title:
            current = placed.setdefault(title, [])
            line = rest.strip()
        current.append(line)
    joined = {title: "\n".join(lines).strip() for title, lines in placed.items()}
    return {t: text for t, text in joined.items() if text}, "\n".join(general).strip()
