"""The cohort report: one self-contained HTML file (figures inline) and a CSV of statistics.

Read from the gradebook in one SQL query (fast for large cohorts, any SQLAlchemy URL) and from
the autograded answers files (which option each learner chose). Everything a person typed or
named is escaped. Sections: who has not submitted, score distribution per module, item facility
and discrimination, the wrong answers chosen most often (misconceptions), the share of the
cohort taking each choice in branching scenarios, and confidence before and after.

Modules and exercises are named by their titles; the statistics CSV, read by scripts too, also
keeps their ids in its last two columns. Statistics resting on fewer than :data:`SMALL_COHORT`
learners (a module's facility and discrimination, the shares choosing each wrong answer or
branching choice) carry a caution saying what that means.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text

from course_model import content, documents, exercise_types
from course_model.files import write_bytes_atomically
from course_model.titles import item_order, item_title, module_title
from grading import report_figures as figures
from grading.export import csv_bytes
from grading.keys import keys_in
from grading.roster import kept_roster
from grading.submissions import collect_answers, refuse_unreadable

SCORES_SQL = text("""
SELECT s.student_id AS learner, a.name AS module, bc.name AS item,
       COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0) AS score,
       COALESCE(gc.max_score, tc.max_score) AS max_score
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment s ON sn.assignment_id = s.id
JOIN assignment a ON s.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
LEFT JOIN task_cells tc ON tc.id = bc.id
""")
SMALL_COHORT = 30  # learners: below this, the report's statistics carry a caution
# Autoescaped: every name, answer and title a person typed is shown as text.
TEMPLATES = documents.environment("grading")


def load_scores(db_url: str) -> pd.DataFrame:
    """Long table: learner, module, item, score, max_score (one row per graded cell)."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        return pd.read_sql(SCORES_SQL, conn)


def item_statistics(scores: pd.DataFrame) -> pd.DataFrame:
    """Per module and item: learners, mean, facility (mean / max) and discrimination.

    Discrimination is the corrected item-total correlation: how well the item separates learners
    who did well on the rest of the module from those who did not (blank when it cannot be
    computed, e.g. everyone scored the same).
    """
    rows = []
    for module, frame in scores.groupby("module"):
        wide = frame.pivot_table(index="learner", columns="item", values="score", aggfunc="sum")
        total = wide.sum(axis=1)
        for item in wide.columns:
            col, rest = wide[item], total - wide[item]
            maxima = frame.loc[frame["item"] == item, "max_score"]
            top = float(maxima.max()) if len(maxima) else 0.0
            disc = col.corr(rest) if col.std() > 0 and rest.std() > 0 else float("nan")
            rows.append(
                {
                    "module": module,
                    "item": item,
                    "learners": int(col.count()),
                    "max": top,
                    "mean": round(float(col.mean()), 3),
                    "facility": round(float(col.mean()) / top, 3) if top else float("nan"),
                    "discrimination": round(float(disc), 3) if pd.notna(disc) else float("nan"),
                }
            )
    return pd.DataFrame(
        rows, columns=["module", "item", "learners", "max", "mean", "facility", "discrimination"]
    )


def _keys(course: Path, module_id: str) -> dict[str, object]:
    """Graded keys from the source notebooks in the trainer's course directory."""
    return keys_in(sorted((course / "source" / module_id).glob("*.ipynb")))


def misconceptions(
    course: Path, module_id: str, answers: dict[str, dict], top: int = 3
) -> pd.DataFrame:
    """The wrong answers chosen most often per graded item, with the share of learners choosing each."""
    specs, keys = content.load_exercises(module_id), _keys(course, module_id)
    rows = []
    for ex_id, key in keys.items():
        spec = specs.get(ex_id)
        if spec is None or not answers:
            continue
        kind = exercise_types.get(spec["type"], f"{module_id}/exercises.yaml: {ex_id}")
        counts = Counter(
            w for a in answers.values() for w in set(kind.wrong_choices(spec, key, a.get(ex_id)))
        )
        for wrong, n in counts.most_common(top):
            rows.append(
                {
                    "module": module_id,
                    "item": ex_id,
                    "wrong answer": wrong,
                    "learners": n,
                    "share": round(n / len(answers), 3),
                }
            )
    return pd.DataFrame(rows, columns=["module", "item", "wrong answer", "learners", "share"])


def branch_counts(spec: dict, answers: dict[str, dict]) -> tuple[Counter, Counter]:
    """How many learners reached each scene, and took each choice, following the scenario's links
    (a path is counted only as far as it follows them)."""
    walk = exercise_types.get(spec["type"]).path
    reached, taken = Counter(), Counter()
    for a in answers.values():
        for scene_id, choice_id in walk(spec, a.get(spec["id"])):
            reached[scene_id] += 1
            taken[choice_id] += 1
    return reached, taken


def _walked(spec: dict) -> bool:
    """Whether answers to this exercise are paths through scenes (the report draws them)."""
    return exercise_types.get(spec["type"]).path is not None


def decision_points(module_id: str, answers: dict[str, dict]) -> pd.DataFrame:
    """For each branching scenario: at each scene, how many learners took each choice."""
    rows = []
    for spec in content.load_exercises(module_id).values():
        if not _walked(spec):
            continue
        reached, taken = branch_counts(spec, answers)
        for scene in spec["scenes"]:
            for choice in scene.get("choices", []):
                if reached[scene["id"]]:
                    rows.append(
                        {
                            "module": module_id,
                            "item": spec["id"],
                            "scene": scene.get("title", scene["id"]),
                            "choice": choice["text"],
                            "learners": taken[choice["id"]],
                            "share": round(taken[choice["id"]] / reached[scene["id"]], 3),
                        }
                    )
    return pd.DataFrame(rows, columns=["module", "item", "scene", "choice", "learners", "share"])


def confidence(answers_by_module: dict[str, dict[str, dict]]) -> pd.DataFrame:
    """Confidence ratings before and after, from every module's rating items with a purpose."""
    rows = []
    for module_id, answers in answers_by_module.items():
        for spec in content.load_exercises(module_id).values():
            purpose = spec.get("purpose", "")
            if purpose.startswith("confidence_"):
                for learner_id, a in answers.items():
                    if isinstance(a.get(spec["id"]), int):
                        rows.append(
                            {
                                "learner": learner_id,
                                "when": purpose.removeprefix("confidence_"),
                                "rating": a[spec["id"]],
                            }
                        )
    return pd.DataFrame(rows, columns=["learner", "when", "rating"])


def small_cohort_caution(learners: int) -> str | None:
    """What a trainer should know about statistics resting on ``learners`` learners: a caution in
    plain words when they are fewer than :data:`SMALL_COHORT`, otherwise None."""
    if learners >= SMALL_COHORT:
        return None
    who = "1 learner" if learners == 1 else f"{learners} learners"
    return (
        f"Based on {who}: with fewer than {SMALL_COHORT}, these figures can swing a lot with one "
        "person's answers. Read them as a prompt for discussion, not a measure of the items."
    )


def titled(frame: pd.DataFrame, keep_ids: bool = False) -> pd.DataFrame:
    """``frame`` with its ``module`` and ``item`` ids (an item is a grade cell or an exercise)
    shown as titles, in columns ``module`` and ``exercise``; with ``keep_ids`` the ids follow in
    the last two columns, ``module id`` and ``item id``, for scripts."""
    out = frame.drop(columns=["module", "item"])
    pairs = list(zip(frame["module"], frame["item"], strict=True))
    out.insert(0, "module", [module_title(m) for m, _ in pairs])
    out.insert(1, "exercise", [item_title(m, i) for m, i in pairs])
    if keep_ids:
        out["module id"], out["item id"] = list(frame["module"]), list(frame["item"])
    return out


def _item_sections(stats: pd.DataFrame) -> list[dict]:
    """Per module: its title, the caution its cohort's size calls for, the facility chart and
    the item table (exercises by title)."""
    sections = []
    for module_id, frame in stats.groupby("module", sort=True):
        frame = frame.loc[
            sorted(frame.index, key=lambda i: item_order(module_id, frame.at[i, "item"]))
        ]
        shown = titled(frame).drop(columns=["module"])
        title = module_title(module_id)
        drawn = shown["facility"].notna().any()  # an item worth 0 marks has no facility
        sections.append(
            {
                "title": title,
                "caution": small_cohort_caution(int(frame["learners"].max())),
                "figure": figures.facility(shown, title) if drawn else None,
                "table": _rows(shown),
            }
        )
    return sections


def _rows(frame: pd.DataFrame) -> dict:
    """A table for the template: its columns and its rows, empty cells shown as a dash."""
    return {
        "columns": list(frame.columns),
        "rows": [["–" if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)],
    }


def _not_submitted(course: Path, scores: pd.DataFrame, modules: list[str]) -> tuple[list, list]:
    """The kept roster, and (module id, learner) for each module a learner on it has not submitted."""
    roster = kept_roster(course)
    submitted = {m: set(scores.loc[scores["module"] == m, "learner"]) for m in modules}
    missing = [(m, p) for m in modules for p in roster if p.id not in submitted[m]]
    return roster, missing


def _path_figures(modules: list[str], answers: dict) -> list[figures.Figure]:
    drawn = []
    for module_id in modules:
        for spec in content.load_exercises(module_id).values():
            if _walked(spec) and any(
                isinstance(a.get(spec["id"]), list) for a in answers[module_id].values()
            ):
                drawn.append(figures.paths(spec, *branch_counts(spec, answers[module_id])))
    return drawn


def _ecomap_figures(course: Path, modules: list[str], answers: dict) -> list[figures.Figure]:
    drawn = []
    for module_id in modules:
        keys = _keys(course, module_id)
        for spec in content.load_exercises(module_id).values():
            view = exercise_types.get(spec["type"]).cohort_view
            if view and spec["id"] in keys and answers[module_id]:
                given = [a.get(spec["id"]) for a in answers[module_id].values()]
                drawn.append(
                    figures.ecomap(
                        spec["title"], spec["centre"], view(spec, keys[spec["id"]], given)
                    )
                )
    return drawn


def build_report(
    course: Path, db_url: str, out: Path, allow_unreadable: bool = False, synthetic: bool = False
) -> dict:
    """Write ``out`` (HTML, from the autoescaped template), the same page typeset as a tagged PDF
    (``out`` with ``.pdf``, by ``course_model.documents``) and ``out`` with ``.csv`` (item and
    decision-point statistics). Submissions whose answers file cannot be read stop the report
    (:class:`UnreadableSubmissions`) unless ``allow_unreadable``: then they are left out of
    every figure, counted in the header and listed. ``synthetic`` says at the top that every
    learner is fictional (the demo's cohort). Returns the paths and the left-out list."""
    scores = load_scores(db_url)
    modules = sorted(scores["module"].unique()) if not scores.empty else []
    collected = collect_answers(course, modules)  # each answers file read once
    refuse_unreadable(collected.unreadable, allow_unreadable)
    roster, missing = _not_submitted(course, scores, modules)  # unreadable is not missing
    scores = _without(scores, collected.left_out())
    stats = item_statistics(scores)
    answers = collected.answers
    wrong = pd.concat(
        [misconceptions(course, m, answers[m]) for m in modules] or [pd.DataFrame()],
        ignore_index=True,
    )
    decisions = pd.concat(
        [decision_points(m, answers[m]) for m in modules] or [pd.DataFrame()], ignore_index=True
    )
    conf = confidence(answers)
    titles = {m: module_title(m) for m in modules}
    answered = len({learner for m in modules for learner in answers[m]})  # the shares' base
    page = TEMPLATES.get_template("cohort-report.html.j2").render(
        synthetic=synthetic,
        learners=len(set(scores["learner"])) if not scores.empty else 0,
        titles=titles,
        roster=roster,
        missing=missing,
        distribution=figures.distribution(scores, titles) if not scores.empty else None,
        items=_item_sections(stats),
        wrong=_rows(titled(wrong)) if not wrong.empty else None,
        shares_caution=small_cohort_caution(answered),
        path_figures=_path_figures(modules, answers),
        ecomap_figures=_ecomap_figures(course, modules, answers),
        decisions=_rows(titled(decisions)) if not decisions.empty else None,
        confidence=figures.confidence(conf) if not conf.empty else None,
        unreadable=collected.unreadable,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(out, page.encode("utf-8"))
    write_bytes_atomically(out.with_suffix(".pdf"), documents.pdf(page))
    stats_csv = out.with_suffix(".csv")
    both = titled(
        pd.concat(
            [stats.assign(kind="item"), decisions.assign(kind="decision")], ignore_index=True
        ),
        keep_ids=True,
    )
    write_bytes_atomically(stats_csv, csv_bytes(list(both.columns), both.itertuples(index=False)))
    return {
        "html": out,
        "pdf": out.with_suffix(".pdf"),
        "csv": stats_csv,
        "left_out": collected.unreadable,
    }


def _without(scores: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    """The scores without the ``(learner, module)`` submissions in ``pairs``."""
    if not pairs:
        return scores
    keep = [(lr, m) not in pairs for lr, m in zip(scores["learner"], scores["module"], strict=True)]
    return scores[keep]
