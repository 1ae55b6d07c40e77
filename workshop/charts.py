"""Charts of a prompt's aggregate answers, as PNG bytes, drawn with matplotlib.

matplotlib is imported only when a chart is drawn (about half a second), so participants' pages
never pay for it. Figures are built without pyplot (no global state, safe in any thread). Every
bar carries its count as a number, so no reading depends on colour alone.
"""

from __future__ import annotations

import io
import textwrap

from workshop.results import Tally

COLOURS = ["#1d4f91", "#7a0019", "#2f6b2f", "#6b3fa0", "#8a5a00", "#3d3d3d"]
INK = "#1f1f1f"


def _wrap(text: str, width: int, lines: int = 3) -> str:
    return textwrap.fill(text, width, max_lines=lines, placeholder="…")


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")  # keeps a legend below the axes
    return buf.getvalue()


def _bars(labels: list[str], counts: list[int], horizontal: bool) -> bytes:
    height = max(2.6, 0.62 * len(labels) + 1.0) if horizontal else 3.6
    fig, ax = _figure(9, height)
    if horizontal:
        positions = range(len(labels))[::-1]
        bars = ax.barh(list(positions), counts, color=COLOURS[0])
        ax.set_yticks(list(positions), labels, fontsize=10)
        ax.set_xlabel("answers")
    else:
        bars = ax.bar(range(len(labels)), counts, color=COLOURS[0])
        ax.set_xticks(range(len(labels)), labels, fontsize=10)
        ax.set_ylabel("answers")
    ax.bar_label(bars, padding=3, fontsize=11, color=INK)
    (ax.xaxis if horizontal else ax.yaxis).get_major_locator().set_params(integer=True)
    if horizontal:
        ax.margins(x=0.12)
    else:
        ax.margins(y=0.15)
    return _png(fig)


def _sort(tally: Tally) -> bytes:
    prompt = tally.prompt
    items = prompt["items"]
    fig, ax = _figure(9, max(3.0, 0.75 * len(items) + 1.6))
    rows = list(range(len(items)))[::-1]
    left = [0] * len(items)
    for n, cat in enumerate(prompt["categories"]):
        counts = [tally.grid[item["id"]][cat["id"]] for item in items]
        bars = ax.barh(
            rows,
            counts,
            left=left,
            color=COLOURS[n % len(COLOURS)],
            label=_wrap(cat["label"], 30, 2),
            edgecolor="white",
        )
        ax.bar_label(
            bars,
            labels=[str(c) if c else "" for c in counts],
            label_type="center",
            color="white",
            fontsize=11,
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(
        rows, [_wrap(f"{i + 1}. {it['text']}", 42, 2) for i, it in enumerate(items)], fontsize=11
    )
    ax.set_xlabel("answers")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize=11)
    return _png(fig)


def chart_png(tally: Tally) -> bytes | None:
    """A PNG chart of a poll, rating or sort tally; None below threshold or for typed answers."""
    if not tally.visible:
        return None
    prompt = tally.prompt
    if prompt["kind"] == "poll":
        labels = [_wrap(o["label"], 48) for o in prompt["options"]]
        return _bars(labels, [tally.counts[o["id"]] for o in prompt["options"]], True)
    if prompt["kind"] == "rating":
        scale = prompt["scale"]
        ends = {str(scale["min"]): scale["min_label"], str(scale["max"]): scale["max_label"]}
        labels = [f"{p}\n{_wrap(ends[p], 18)}" if p in ends else p for p in tally.counts]
        return _bars(labels, list(tally.counts.values()), False)
    if prompt["kind"] == "sort":
        return _sort(tally)
    return None


def alt_text(tally: Tally) -> str:
    """The chart in words, for screen readers and for anyone who cannot see the image."""
    prompt = tally.prompt
    if prompt["kind"] == "poll":
        parts = [f"{o['label']}: {tally.counts[o['id']]}" for o in prompt["options"]]
    elif prompt["kind"] == "rating":
        parts = [f"{p}: {n}" for p, n in tally.counts.items()]
    else:
        cats = {c["id"]: c["label"] for c in prompt["categories"]}
        parts = [
            f"statement {i}: "
            + ", ".join(f"{cats[c]} {n}" for c, n in tally.grid[it["id"]].items())
            for i, it in enumerate(prompt["items"], start=1)
        ]
    return f"Bar chart of {tally.total} answers. " + "; ".join(parts) + "."
