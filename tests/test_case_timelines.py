"""Case timelines as the page draws them: every event's numbered marker readable, none hidden
under another, and every event placed in the month its chronology gives."""

from __future__ import annotations

import html
import itertools
import re

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from course_model import content
from tests.conftest import ROOT
from widgets import figures

CASES = sorted(p.stem for p in (ROOT / "course" / "case_studies").glob("*.yaml"))


def drawn(case_id: str):
    """The timeline figure at the size and dpi the page shows it, with a renderer."""
    case = content.load_case_study(case_id)
    fig = figures.timeline(case, f"{case['title']}: timeline")
    FigureCanvasAgg(fig).draw()
    return case, fig, fig.axes[0]


@pytest.mark.parametrize("case_id", CASES)
def test_no_event_label_or_marker_overlaps_another(case_id):
    case, fig, ax = drawn(case_id)
    renderer = fig.canvas.get_renderer()
    labels = {int(t.get_text()): t.get_window_extent(renderer) for t in ax.texts}
    assert sorted(labels) == list(range(1, len(case["chronology"]) + 1)), "one label per event"
    clashes = [
        (a, b) for a, b in itertools.combinations(labels, 2) if labels[a].overlaps(labels[b])
    ]
    assert not clashes, f"{case_id}: event labels overlap: {clashes}"
    centres = [
        ax.transData.transform(line.get_xydata()[0])
        for line in ax.lines
        if line.get_marker() == "o"
    ]
    diameter = figures.MARKER_SIZE * fig.dpi / 72
    hidden = [
        (i + 1, j + 1)
        for (i, a), (j, b) in itertools.combinations(enumerate(centres), 2)
        if ((a - b) ** 2).sum() ** 0.5 < diameter
    ]
    assert not hidden, f"{case_id}: markers overlap: {hidden}"


@pytest.mark.parametrize("case_id", CASES)
def test_every_event_sits_within_half_a_step_of_its_date(case_id):
    case, _, ax = drawn(case_id)
    xs = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
    places, axis = figures.spans(case["chronology"])
    for event, x, (start, _) in zip(case["chronology"], xs, places, strict=True):
        assert abs(x - start) < 0.5, f"{case_id}: {event['when']!r} drawn at {axis} {x:.2f}"
    if axis == "Month":  # dated by month: the month the chronology gives
        assert [s for s, _ in places] == [figures._months(e["when"])[0] for e in case["chronology"]]
    else:  # dated by week and day: in order, each tick named by its event's date
        assert [t.get_text() for t in ax.get_xticklabels()] == [
            e["when"] for e in case["chronology"]
        ]


def test_months_before_the_case_opens_are_negative():
    assert figures._months("Months -6 to -1") == (-6, -1)
    assert figures._months("Months 13–16") == (13, 16)


@pytest.mark.parametrize("case_id", CASES)
def test_every_case_figure_says_what_it_shows_and_a_timeline_lists_its_events(case_id):
    case = content.load_case_study(case_id)
    shown = {
        kind: figures.described_case_figure(kind, case).data
        for kind, (_, _, needs) in figures.CASE_FIGURES.items()
        if needs in case
    }
    assert "timeline" in shown
    for kind, page in shown.items():
        alt = html.unescape(re.search(r'<img [^>]*alt="([^"]+)"', page)[1])
        assert alt.startswith(case["title"]) and len(alt) > 80, (kind, alt)
    listed = re.findall(r"<li>(.*?)</li>", shown["timeline"], flags=re.S)
    assert [html.unescape(li) for li in listed] == [
        f"{e['when']}, {e['agency']}: {e['event']}" for e in case["chronology"]
    ], "every event, in the chronology's order"


def test_a_figure_is_the_same_sharp_picture_from_every_build(tmp_path, monkeypatch):
    """SVG (it stays sharp at any zoom) with its text drawn as shapes, no date and no random ids:
    two workspaces drawing the same figure get the same bytes, and the page shows it as an
    image with nothing in it a browser would run."""
    case = content.load_case_study(CASES[0])
    drawn_in = []
    for home in ("one", "two"):
        monkeypatch.setenv("PRACTICE_LAB_HOME", str(tmp_path / home))
        drawn_in.append(figures.case_figure("timeline", case))
    svg = drawn_in[0].decode()
    assert drawn_in[0] == drawn_in[1]
    assert "<svg" in svg and "<text" not in svg and "<script" not in svg and "Date" not in svg
    page = figures.described_case_figure("timeline", case).data
    assert '<img src="data:image/svg+xml;base64,' in page
