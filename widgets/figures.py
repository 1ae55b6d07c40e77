"""Teaching figures drawn with matplotlib, shown from a cache of SVG images.

Importing matplotlib costs a learner's kernel about 0.5 s and 50 MB, so pages never draw: each
figure is drawn once per workspace, saved as an SVG under ``<workspace>/cache/figures`` and named
by a hash of its data, its title and this file's source (editing either draws it anew), and pages
show the saved image. ``prerender()`` (run when ``practice-lab serve`` prepares the workspace, and
by ``make lite``, whose pages have no matplotlib) draws every case-study figure before the first
learner opens a page. SVG, not PNG: a figure's labels stay sharp when a learner zooms or the page
reflows to a phone's width, and the same bytes come out of every build (no date, fixed ids).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from IPython.display import HTML

from course_model import content, workspace
from course_model.files import write_bytes_atomically
from widgets.figure_text import DESCRIBE, with_alternative


def _pyplot():
    """matplotlib.pyplot, imported only when a figure has to be drawn."""
    import matplotlib.pyplot as plt

    return plt


@functools.cache
def _source_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def cache_dir() -> Path:
    """Where drawn figures are kept: ``<workspace>/cache/figures``."""
    return workspace.cache_dir("figures")


def _cache_path(draw: Callable, args: tuple) -> Path:
    key = json.dumps([draw.__name__, args, _source_hash()], sort_keys=True, default=str)
    return cache_dir() / f"{draw.__name__}-{hashlib.sha256(key.encode()).hexdigest()[:24]}.svg"


# Text as shapes (the same look whatever fonts a browser has), element ids from a fixed salt.
SVG_STYLE = {"svg.fonttype": "path", "svg.hashsalt": "practice-lab"}


def cached(draw: Callable, *args) -> bytes:
    """The SVG document of ``draw(*args)`` (a function returning a matplotlib figure) from the
    cache, drawn and saved there first if it is missing. An unwritable cache only costs the time."""
    path = _cache_path(draw, args)
    try:
        return path.read_bytes()
    except OSError:
        pass
    with _pyplot().rc_context(SVG_STYLE):
        fig = draw(*args)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, svg)
    except OSError:
        pass
    return svg


def _finish(fig, ax=None, title: str | None = None):
    """Tidy a figure (open axes and a left-aligned title for charts) and close it, so pyplot
    keeps no reference to it and the inline backend never shows it a second time."""
    if ax is not None:
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        # Wrapped: a long case title would run off the figure's right edge.
        ax.set_title(textwrap.fill(title or "", 50), fontsize=12, weight="bold", loc="left")
    fig.tight_layout()
    _pyplot().close(fig)
    return fig


PLANET_COLOURS = ["#1d4f91", "#7a0019", "#2f6b2f"]  # dark enough for white text at 4.5:1


def three_planets(planets: dict[str, list[str]], centre: str, title: str) -> HTML:
    """Three planets around one family: each circle names a system and what it expects of her.

    ``planets`` maps a planet's name to two or three short lines; ``centre`` names who sits
    between them. Returns the image (from the cache) with a text alternative, for Jupyter to show.
    """
    said = "; ".join(f"{name}: {', '.join(lines)}" for name, lines in planets.items())
    alt = (
        f"{title}. Three planets, each pulling {centre} its own way, with an arrow from each to "
        f"{centre} in the middle. {said}."
    )
    return with_alternative(cached(draw_three_planets, planets, centre, title), alt)


def draw_three_planets(planets: dict[str, list[str]], centre: str, title: str):
    """Draw :func:`three_planets`' figure with matplotlib."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 7.2), dpi=100)
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.05, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    positions = [(-0.62, 0.62), (0.62, 0.62), (0.0, -0.5)]
    for (name, lines), (x, y), colour in zip(
        planets.items(), positions, PLANET_COLOURS, strict=True
    ):
        ax.add_patch(plt.Circle((x, y), 0.5, color=colour, alpha=0.95))
        ax.text(
            x,
            y + 0.2,
            name,
            ha="center",
            va="center",
            color="white",
            fontsize=12,
            weight="bold",
            wrap=True,
        )
        ax.text(
            x, y - 0.08, "\n".join(lines), ha="center", va="center", color="white", fontsize=9.5
        )
        ax.annotate(
            "",
            xy=(0.0, 0.22),
            xytext=(x * 0.45, y * 0.45 + 0.12),
            arrowprops={"arrowstyle": "<->", "color": "#3d3d3d", "lw": 1.5},
        )
    ax.text(
        0.0,
        0.22,
        centre,
        ha="center",
        va="center",
        fontsize=10.5,
        weight="bold",
        bbox={"boxstyle": "round,pad=0.4", "fc": "#fff8e1", "ec": "#3d3d3d"},
    )
    ax.set_title(title, fontsize=13, weight="bold")
    return _finish(fig)


def _months(when: str) -> tuple[float, float]:
    """'Month 7' -> (7, 7); 'Months 13–16' -> (13, 16); 'Months -6 to -1' -> (-6, -1)."""
    digits = [float(d) for d in re.findall(r"(?<!\d)-?\d+", when)] or [0.0]
    return digits[0], digits[-1]


def spans(events: list[dict]) -> tuple[list[tuple[float, float]], str]:
    """Where each event sits on the timeline's axis, and the axis's name. Chronologies dated by
    month ('Month 7', 'Months 13–16') sit on a month scale; one dated by week and day, such as one
    worker's week, sits in order, one step an event, since a day's events would crowd a week's
    mark."""
    if all(e["when"].lower().startswith("week") for e in events):
        return [(float(n), float(n)) for n in range(1, len(events) + 1)], "In order"
    return [_months(e["when"]) for e in events], "Month"


MARKER_SIZE = 15  # points: room for a two-digit event number in white


def _spread(xs: list[float], lanes: list[int], gap: float) -> list[float]:
    """Event positions with events that share a lane and a month set side by side, ``gap``
    apart and centred on the month, so no marker hides another."""
    groups: dict[tuple[float, int], list[int]] = {}
    for i, key in enumerate(zip(xs, lanes, strict=True)):
        groups.setdefault(key, []).append(i)
    out = list(xs)
    for (x, _), members in groups.items():
        for k, i in enumerate(members):
            out[i] = x + (k - (len(members) - 1) / 2) * gap
    return out


def timeline(case: dict, title: str):
    """A case's chronology as a timeline with one lane per agency, events numbered in order.

    Read across a lane to see one agency's view (a few incidents); read the whole picture to see
    the pattern no single agency held.
    """
    plt = _pyplot()
    events = case["chronology"]
    lanes = list(dict.fromkeys(e["agency"] for e in events))
    spans_, axis = spans(events)
    ys = [lanes.index(e["agency"]) for e in events]
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(lanes) + 1.8), dpi=100)
    ax.set_yticks(range(len(lanes)), [lane[:1].upper() + lane[1:] for lane in lanes])
    first, last = int(min(s for s, _ in spans_)), int(max(e for _, e in spans_))
    ax.set_xlim(first - 1, last + 1)
    ax.set_ylim(len(lanes) - 0.5, -0.5)
    if axis == "Month":
        ax.set_xticks(range(first, last + 1))
    else:  # one tick an event, named by its date
        ax.set_xticks(range(first, last + 1), [e["when"] for e in events], rotation=35, ha="right")
    ax.set_xlabel(axis)
    ax.grid(axis="x", color="#d0d0d0", lw=0.6)
    ax.set_axisbelow(True)
    _finish(fig, ax, title)  # lay the axes out first: the gap between markers is in pixels
    px_per_month = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    gap = 1.15 * MARKER_SIZE * fig.dpi / 72 / px_per_month
    xs = _spread([start for start, _ in spans_], ys, gap)
    for n, (x, y, (start, end)) in enumerate(zip(xs, ys, spans_, strict=True), start=1):
        if end > start:
            ax.plot(
                [start, end],
                [y, y],
                lw=6,
                color=PLANET_COLOURS[0],
                alpha=0.35,
                solid_capstyle="round",
            )
        ax.plot(x, y, "o", ms=MARKER_SIZE, color=PLANET_COLOURS[0], zorder=3)
        ax.text(
            x,
            y,
            str(n),
            ha="center",
            va="center",
            color="white",
            fontsize=8,
            weight="bold",
            zorder=4,
        )
    return fig


def web_of_control(case: dict, title: str):
    """The web of control: the perpetrator at the centre, each person (and the professionals)
    around him with the tactics the case records him using on them."""
    plt = _pyplot()
    web = case["web_of_control"]
    names = {p["id"]: p["name"].split()[0] for p in case["people"]} | {
        "professionals": "Professionals"
    }
    targets = list(dict.fromkeys(t["target"] for t in web["tactics"]))
    fig, ax = plt.subplots(figsize=(10, 7.5), dpi=100)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.25, 1.25)
    ax.set_aspect("equal")
    ax.axis("off")
    centre = names[web["perpetrator"]]
    for i, target in enumerate(targets):
        angle = math.pi / 2 - 2 * math.pi * i / len(targets)
        x, y = 1.0 * math.cos(angle), 0.85 * math.sin(angle)
        ax.plot([0, x], [0, y], color="#767676", lw=1.2, zorder=1)
        lines = [t["tactic"] for t in web["tactics"] if t["target"] == target]
        ax.text(
            x,
            y,
            names.get(target, target) + "\n" + "\n".join(f"• {t}" for t in lines),
            ha="center",
            va="center",
            fontsize=8.5,
            zorder=2,
            bbox={"boxstyle": "round,pad=0.45", "fc": "#eef3fa", "ec": PLANET_COLOURS[0]},
        )
    ax.text(
        0,
        0,
        f"{centre}'s\nchoices",
        ha="center",
        va="center",
        fontsize=11,
        weight="bold",
        color="white",
        zorder=3,
        bbox={"boxstyle": "circle,pad=0.6", "fc": PLANET_COLOURS[1], "ec": "none"},
    )
    ax.set_title(title, fontsize=12, weight="bold")
    return _finish(fig)


RISK_LEVELS = ["standard", "medium", "high"]


def risk_over_time(case: dict, title: str):
    """The risk as each agency assessed it over time, as a step line with a note at each point."""
    plt = _pyplot()
    points = case["risk_over_time"]
    xs = [_months(p["when"])[0] for p in points]
    ys = [RISK_LEVELS.index(p["level"]) for p in points]
    fig, ax = plt.subplots(figsize=(10, 4.2), dpi=100)
    ax.step(xs, ys, where="post", color=PLANET_COLOURS[1], lw=2)
    ax.plot(xs, ys, "o", color=PLANET_COLOURS[1], ms=8)
    for x, y, p in zip(xs, ys, points, strict=True):
        ax.annotate(
            p["note"],
            (x, y),
            textcoords="offset points",
            xytext=(0, 10),
            ha="center",
            fontsize=8,
            rotation=20,
        )
    ax.set_yticks(range(len(RISK_LEVELS)), [level.capitalize() for level in RISK_LEVELS])
    ax.set_ylim(-0.5, len(RISK_LEVELS) - 0.2)
    ax.set_xticks(range(int(min(xs)), int(max(xs)) + 1))
    ax.set_xlabel("Month")
    ax.set_ylabel("Assessed risk")
    return _finish(fig, ax, title)


KIND_COLOURS = {
    "family": PLANET_COLOURS[0],
    "friend": PLANET_COLOURS[2],
    "community": "#5b3f8c",
    "professional": "#3d3d3d",
}


def support_network(case: dict, title: str):
    """Who one person could turn to before and after the work: two rings side by side."""
    plt = _pyplot()
    net = case["support_network"]
    names = {p["id"]: p["name"].split()[0] for p in case["people"]}
    fig, axes = plt.subplots(1, 2, figsize=(11, 5.5), dpi=100)
    for ax, phase in zip(axes, ("before", "after"), strict=True):
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.4, 1.4)
        ax.set_aspect("equal")
        ax.axis("off")
        people = net[phase]
        ax.text(
            0,
            0,
            names.get(net["person"], net["person"]),
            ha="center",
            va="center",
            fontsize=11,
            weight="bold",
            color="white",
            bbox={"boxstyle": "circle,pad=0.5", "fc": PLANET_COLOURS[1], "ec": "none"},
        )
        for i, who in enumerate(people):
            angle = math.pi / 2 - 2 * math.pi * i / max(len(people), 1)
            x, y = math.cos(angle), math.sin(angle)
            ax.plot([0, 0.8 * x], [0, 0.8 * y], color="#767676", lw=1)
            ax.text(
                x,
                y,
                f"{who['who']}\n({who['kind']})",
                ha="center",
                va="center",
                fontsize=8.5,
                color="white",
                bbox={"boxstyle": "round,pad=0.35", "fc": KIND_COLOURS[who["kind"]], "ec": "none"},
            )
        count = f"{len(people)} {'person' if len(people) == 1 else 'people'}"
        ax.set_title(f"{phase.capitalize()}: {count} to turn to", fontsize=11)
    fig.suptitle(title, fontsize=12, weight="bold")
    return _finish(fig)


# kind -> (drawing function, caption after the case's title, the case data it needs)
CASE_FIGURES: dict[str, tuple[Callable, str, str]] = {
    "timeline": (timeline, "every event, one lane per agency", "chronology"),
    "web": (web_of_control, "the web of control", "web_of_control"),
    "risk": (risk_over_time, "the risk picture over time", "risk_over_time"),
    "network": (support_network, "support before and after", "support_network"),
}


def case_figure(kind: str, case: dict) -> bytes:
    """One of a case study's figures (a key of ``CASE_FIGURES``), from the cache."""
    draw, caption, _ = CASE_FIGURES[kind]
    return cached(draw, case, f"{case['title']}: {caption}")


def described_case_figure(kind: str, case: dict) -> HTML:
    """:func:`case_figure` with a text alternative that says what it shows, and a timeline's
    events beside it as an ordered list."""
    caption = CASE_FIGURES[kind][1]
    alt, beside = DESCRIBE[kind](case, f"{case['title']}: {caption}")
    return with_alternative(case_figure(kind, case), alt, beside)


def prerender() -> int:
    """Draw every figure each case study has the data for into the cache, so no learner's
    kernel ever imports matplotlib for them; returns how many were not cached yet."""
    drawn = 0
    for path in sorted((content.course_root() / "case_studies").glob("*.yaml")):
        case = content.load_case_study(path.stem)
        for draw, caption, needs in CASE_FIGURES.values():
            args = (case, f"{case['title']}: {caption}")
            if needs in case and not _cache_path(draw, args).exists():
                cached(draw, *args)
                drawn += 1
    return drawn
