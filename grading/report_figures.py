"""The cohort report's charts, drawn with matplotlib and kept as PNG data with a sentence each
saying what they show (the report's template places both)."""

from __future__ import annotations

import base64
import io
import textwrap
from collections import Counter
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

BLUE, RED = "#1d4f91", "#7a0019"


@dataclass(frozen=True)
class Figure:
    """A chart for the report: its PNG (base64), a sentence saying what it shows, and, where the
    report has no table of the same numbers already, the numbers it draws as a table (columns
    and rows) for readers who cannot see the chart."""

    png: str
    alt: str
    table: dict | None = None


def _png(fig, alt: str, table: dict | None = None) -> Figure:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return Figure(base64.b64encode(buf.getvalue()).decode(), alt, table)


def distribution(scores: pd.DataFrame, titles: dict[str, str]) -> Figure:
    """Histograms of learners' percentage of marks, one per module, headed by the module's title
    (``titles`` maps module ids to titles)."""
    totals = scores.groupby(["module", "learner"]).agg(
        score=("score", "sum"), max=("max_score", "sum")
    )
    totals["percent"] = 100 * totals["score"] / totals["max"].where(totals["max"] > 0)
    modules = sorted(totals.index.get_level_values("module").unique())
    fig, axes = plt.subplots(
        1, len(modules), figsize=(3.2 * len(modules), 3.2), squeeze=False, sharey=True
    )
    for ax, module in zip(axes[0], modules, strict=True):
        ax.hist(totals.loc[module, "percent"].dropna(), bins=range(0, 101, 10), color=BLUE)
        ax.set_title("\n".join(textwrap.wrap(titles.get(module, module), 30)), fontsize=8)
        ax.set_xlabel("% of marks")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of learners
    axes[0][0].set_ylabel("learners")
    fig.suptitle("Score distribution per module", weight="bold")
    fig.tight_layout(rect=(0, 0, 1, 0.9))  # keep the title clear of the module names
    bands = [f"{lo}–{lo + 9}%" for lo in range(0, 90, 10)] + ["90–100%"]
    rows = [
        [
            titles.get(m, m),
            *(
                int(n)
                for n in np.histogram(totals.loc[m, "percent"].dropna(), range(0, 101, 10))[0]
            ),
        ]
        for m in modules
    ]
    return _png(
        fig,
        "Histograms of learners' share of the marks in each module; the table beside them gives "
        "the number of learners in each band.",
        {"columns": ["module", *bands], "rows": rows},
    )


def facility(stats: pd.DataFrame, module: str) -> Figure:
    """Each item of one module (its ``exercise`` title, ``facility`` and ``discrimination``) as a
    bar of its facility, its discrimination written beside it; ``module`` is the module's title."""
    stats = stats.dropna(subset=["facility"])
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(stats) + 1.2))
    labels = ["\n".join(textwrap.wrap(str(t), 45)) for t in stats["exercise"]]
    ax.barh(range(len(stats)), stats["facility"], color=BLUE, tick_label=labels)
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
    return _png(
        fig,
        f"Bars of the facility of each item in {module}, with its discrimination; the table "
        "below holds the same numbers.",
    )


def confidence(conf: pd.DataFrame) -> Figure:
    """How many learners gave each confidence rating, before and after."""
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
    for axis in (ax.xaxis, ax.yaxis):  # ratings and counts of learners are whole numbers
        axis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    ax.set_title("Confidence before and after", weight="bold", loc="left")
    before, after = (conf.loc[conf["when"] == w, "rating"] for w in ("before", "after"))
    ratings = sorted(set(conf["rating"]))
    rows = [[r, int((before == r).sum()), int((after == r).sum())] for r in ratings]
    return _png(
        fig,
        f"Confidence ratings: {len(before)} before (mean {before.mean():.1f}), "
        f"{len(after)} after (mean {after.mean():.1f}); the table beside it gives the number of "
        "learners at each rating.",
        {"columns": ["confidence rating", "learners before", "learners after"], "rows": rows},
    )


def paths(spec: dict, reached: Counter, taken: Counter) -> Figure:
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
    return _png(
        fig,
        f"Diagram of the paths the cohort took through {spec['title']}; the table "
        "of decision points below gives each choice's count and share.",
    )


RING_RADIUS = {"close": 1.0, "around": 1.7, "edge": 2.4}
TIE_STYLE = {"support": ("#2f6b2f", "-"), "stress": ("#8a5a00", "--"), "control": (RED, ":")}


def ecomap(title: str, centre: str, view: list[dict]) -> Figure:
    """The key's ecomap (each person on their ring, the tie's line style) with the cohort's most
    common wrong tie written under each person who was misplaced."""
    import math

    fig, ax = plt.subplots(figsize=(7, 7))
    for r in RING_RADIUS.values():
        ax.add_patch(plt.Circle((0, 0), r, fill=False, color="#c8c8c8"))
    words = []
    for n, person in enumerate(view):
        angle = math.pi / 2 - 2 * math.pi * n / len(view)
        r = RING_RADIUS[person["ring"]]
        x, y = r * math.cos(angle), r * math.sin(angle)
        colour, style = TIE_STYLE[person["tie"]]
        ax.plot([0, x], [0, y], color=colour, linestyle=style, lw=2.5)
        note = ""
        if person["wrong"]:
            tie, count = person["wrong"]
            note = f"\n{count} of {person['marked']} chose {tie}"
            words.append(
                f"{person['label']}: {person['tie']}, {count} of {person['marked']} chose {tie}"
            )
        ax.text(x, y, "\n".join(textwrap.wrap(person["label"], 16)) + note, ha="center", va="center",
                fontsize=7.5, bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": colour})  # fmt: skip
    ax.text(0, 0, centre, ha="center", va="center", color="white", fontsize=9,
            bbox={"boxstyle": "circle,pad=0.4", "fc": BLUE, "ec": "none"})  # fmt: skip
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{title}: ties as the key marks them (solid support, dashed stress, dotted "
                 "control); the cohort's commonest wrong tie under each person", fontsize=9,
                 loc="left", wrap=True)  # fmt: skip
    summary = "; ".join(words) if words else "nobody misplaced a tie"
    return _png(fig, f"Ecomap around {centre} as the key marks it. Misplaced ties: {summary}.")
