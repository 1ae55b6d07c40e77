"""The marking guide a trainer keeps open beside formgrader: every rubric with its levels and its
bank of reusable comments, as one page."""

from __future__ import annotations

import html

from course_model import content


def marking_guide_html(module_ids: list[str]) -> str:
    """Every rubric of the given modules with its levels and bank of reusable comments, as one
    page for markers to keep open beside formgrader (jupyter/nbgrader#1294). Text is escaped."""
    e = html.escape
    parts = [
        "<h1>Marking guide</h1><p>Keep this open beside formgrader. Copy a comment into the "
        "comment box and adapt it to the learner's reflection. To place a comment under a criterion "
        "in the learner's feedback, start its line with the criterion's title and a colon (for "
        "example <em>Seeing the planets at work: …</em>); anything else shows as your general "
        "comment.</p>"
    ]
    for module_id in module_ids:
        meta = content.load_module(module_id)
        for rubric_id, rubric in meta.get("rubrics", {}).items():
            parts.append(
                f"<h2>{e(meta['title'])}: {e(rubric_id)} ({rubric['points']:g} points)</h2>"
            )
            for crit in rubric["criteria"]:
                levels = "".join(
                    f"<li><strong>{lvl['score']:g}</strong> {e(lvl['descriptor'])}</li>"
                    for lvl in crit["levels"]
                )
                bank = "".join(f"<li>{e(c)}</li>" for c in crit.get("comments", []))
                parts.append(f"<h3>{e(crit['title'])}</h3><ul>{levels}</ul>")
                if bank:
                    parts.append(f"<p><em>Reusable comments:</em></p><ul class='bank'>{bank}</ul>")
    style = "body{font-family:sans-serif;max-width:50rem;margin:1.5rem auto;color:#1a1a1a}.bank li{margin:.3rem 0}"
    return f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Marking guide</title><style>{style}</style><body>{''.join(parts)}</body></html>"
