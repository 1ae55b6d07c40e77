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
