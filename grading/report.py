"""The cohort report: one self-contained HTML file (figures inline) and a CSV of statistics.

Read from the gradebook in one SQL query (fast for large cohorts, any SQLAlchemy URL) and from
the autograded answers files (which option each learner chose). Everything a person typed or
named is escaped. Sections: who has not submitted, score distribution per module, item facility
and discrimination, the wrong answers chosen most often (misconceptions), the share of the
cohort taking each choice in branching scenarios, and confidence before and after.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import textwrap
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from sqlalchemy import create_engine, text

from course_model import content, exercise_types
from course_model.answers import read_answers
from grading.export import defuse
from grading.keys import keys_in

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
BLUE, RED = "#1d4f91", "#7a0019"


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


def collected_answers(course: Path, module_id: str) -> dict[str, dict]:
    """Each learner's autograded answers to a module (unreadable files are skipped)."""
    out = {}
    for folder in sorted((course / "autograded").glob(f"*/{module_id}")):
        answers, problem = read_answers(folder)
        if not problem:
            out[folder.parent.name] = answers
    return out


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


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _distribution_figure(scores: pd.DataFrame) -> str:
    totals = scores.groupby(["module", "learner"]).agg(
        score=("score", "sum"), max=("max_score", "sum")
    )
    totals["percent"] = 100 * totals["score"] / totals["max"].where(totals["max"] > 0)
    modules = sorted(totals.index.get_level_values("module").unique())
    fig, axes = plt.subplots(
        1, len(modules), figsize=(3.2 * len(modules), 2.8), squeeze=False, sharey=True
    )
    for ax, module in zip(axes[0], modules, strict=True):
        ax.hist(totals.loc[module, "percent"].dropna(), bins=range(0, 101, 10), color=BLUE)
        ax.set_title(module, fontsize=9)
        ax.set_xlabel("% of marks")
    axes[0][0].set_ylabel("learners")
    fig.suptitle("Score distribution per module", weight="bold")
    fig.tight_layout(rect=(0, 0, 1, 0.9))  # keep the title clear of the module names
    return _png(fig)


def _facility_figure(stats: pd.DataFrame) -> str:
    stats = stats.dropna(subset=["facility"])
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(stats) + 1.2))
    labels = [f"{m} · {i}" for m, i in zip(stats["module"], stats["item"], strict=True)]
    ax.barh(labels, stats["facility"], color=BLUE)
    for y, (f, d) in enumerate(zip(stats["facility"], stats["discrimination"], strict=True)):
        ax.text(
            min(f, 0.98) + 0.01,
            y,
            f"disc {d:.2f}" if pd.notna(d) else "disc –",
            va="center",
            fontsize=7,
        )
    ax.set_xlim(0, 1.15)
    ax.invert_yaxis()
    ax.set_xlabel("facility (share of the marks the cohort earned)")
    ax.set_title("Item facility and discrimination", weight="bold", loc="left")
    return _png(fig)


def _confidence_figure(conf: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(5, 2.8))
    for n, (when, colour) in enumerate((("before", BLUE), ("after", RED))):
        counts = conf.loc[conf["when"] == when, "rating"].value_counts().sort_index()
        ax.bar(
            [r + (n - 0.5) * 0.38 for r in counts.index],
            counts.values,
            width=0.38,
            color=colour,
            label=when,
        )
    ax.set_xlabel("confidence rating")
    ax.set_ylabel("learners")
    ax.legend()
    ax.set_title("Confidence before and after", weight="bold", loc="left")
    return _png(fig)


def _paths_figure(spec: dict, answers: dict[str, dict]) -> str:
    """A branching scenario as a diagram: scenes by depth from the start, each choice an arrow as
    wide as the number of learners who took it, labelled with its share at that scene."""
    scenes = {s["id"]: s for s in spec["scenes"]}
    depth, order = {spec["start"]: 0}, [spec["start"]]
    for sid in order:
        for c in scenes[sid].get("choices", []):
            if c["next"] not in depth:
                depth[c["next"]] = depth[sid] + 1
                order.append(c["next"])
    columns: dict[int, list[str]] = {}
    for sid in order:
        columns.setdefault(depth[sid], []).append(sid)
    pos = {
        sid: (d, -i + (len(ids) - 1) / 2) for d, ids in columns.items() for i, sid in enumerate(ids)
    }
    reached, taken = branch_counts(spec, answers)
    most = max(taken.values(), default=1)
    fig, ax = plt.subplots(
        figsize=(2.6 * (max(columns) + 1), 1.3 * max(len(v) for v in columns.values()) + 1)
    )
    for sid, (x, y) in pos.items():
        for c in scenes[sid].get("choices", []):
            if taken[c["id"]]:
                (x2, y2), share = pos[c["next"]], taken[c["id"]] / reached[sid]
                ax.annotate(
                    "",
                    xy=(x2 - 0.18, y2),
                    xytext=(x + 0.18, y),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "lw": 1 + 7 * taken[c["id"]] / most,
                        "color": BLUE,
                        "alpha": 0.7,
                    },
                )
                ax.text((x + x2) / 2, (y + y2) / 2 + 0.12, f"{share:.0%}", ha="center", fontsize=8)
        label = scenes[sid].get("title", sid)
        colour = RED if scenes[sid].get("ending") else "#eef3fa"
        ax.text(
            x,
            y,
            "\n".join(textwrap.wrap(label, 18)),
            ha="center",
            va="center",
            fontsize=7.5,
            color="white" if scenes[sid].get("ending") else "#1a1a1a",
            bbox={"boxstyle": "round,pad=0.3", "fc": colour, "ec": BLUE},
        )
    ax.set_xlim(-0.5, max(columns) + 0.5)
    ax.set_ylim(min(y for _, y in pos.values()) - 0.6, max(y for _, y in pos.values()) + 0.6)
    ax.axis("off")
    ax.set_title(f"{spec['title']}: paths taken (endings in red)", weight="bold", loc="left")
    return _png(fig)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, na_rep="–", border=0, classes="stats")


def build_report(course: Path, db_url: str, out: Path) -> dict[str, Path]:
    """Write ``out`` (HTML) and ``out`` with ``.csv`` (item and decision-point statistics)."""
    scores = load_scores(db_url)
    stats = item_statistics(scores)
    modules = sorted(scores["module"].unique()) if not scores.empty else []
    answers = {m: collected_answers(course, m) for m in modules}  # each answers file read once
    wrong = pd.concat(
        [misconceptions(course, m, answers[m]) for m in modules] or [pd.DataFrame()],
        ignore_index=True,
    )
    paths = pd.concat(
        [decision_points(m, answers[m]) for m in modules] or [pd.DataFrame()], ignore_index=True
    )
    conf = confidence(answers)
    roster_file = course / "roster.csv"
    roster = (
        list(csv.DictReader(roster_file.open(encoding="utf-8"))) if roster_file.exists() else []
    )
    submitted = {m: set(scores.loc[scores["module"] == m, "learner"]) for m in modules}
    missing = [
        (m, p["id"], p["name"]) for m in modules for p in roster if p["id"] not in submitted[m]
    ]

    e = html.escape
    parts = [
        f"<h1>Cohort report</h1><p>{len(set(scores['learner']))} learners with graded work across "
        f"{len(modules)} module(s); {len(roster)} on the roster.</p>"
    ]
    parts.append("<h2>Not yet submitted</h2>")
    parts.append(
        "<ul>" + "".join(f"<li>{e(m)}: {e(i)} {e(n)}</li>" for m, i, n in missing) + "</ul>"
        if missing
        else "<p>Everyone on the roster has submitted every released module.</p>"
    )
    if not scores.empty:
        parts += [
            "<h2>Scores</h2>",
            _distribution_figure(scores),
            "<h2>Items</h2>",
            _facility_figure(stats),
            _table(stats),
        ]
    parts += [
        "<h2>Misconceptions: the wrong answers chosen most often</h2>",
        _table(wrong) if not wrong.empty else "<p>No wrong answers recorded.</p>",
    ]
    parts.append("<h2>Branching scenarios: where the cohort went</h2>")
    for module_id in modules:
        for spec in content.load_exercises(module_id).values():
            if _walked(spec) and any(
                isinstance(a.get(spec["id"]), list) for a in answers[module_id].values()
            ):
                parts.append(_paths_figure(spec, answers[module_id]))
    parts.append(_table(paths) if not paths.empty else "<p>No branching scenario was answered.</p>")
    if not conf.empty:
        parts += ["<h2>Confidence</h2>", _confidence_figure(conf)]
    style = (
        "body{font-family:sans-serif;max-width:70rem;margin:2rem auto;color:#1a1a1a}"
        "table.stats{border-collapse:collapse;font-size:.85rem}.stats td,.stats th{border:1px solid #b0b0b0;"
        "padding:.2rem .5rem}img{max-width:100%}"
    )
    page = (
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Cohort report</title>"
        f"<style>{style}</style><body>{''.join(parts)}</body></html>"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    stats_csv = out.with_suffix(".csv")
    both = pd.concat([stats.assign(kind="item"), paths.assign(kind="decision")], ignore_index=True)
    both.map(defuse).to_csv(stats_csv, index=False)
    return {"html": out, "csv": stats_csv}
