"""The cohort report as a trainer reads it: modules and items by their titles, learners with
their team, whole-number ticks on whole-number scales, and a caution on statistics from fewer
than 30 learners. Fast: the gradebook is written through nbgrader's API (tests/small_cohort.py)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from grading import report_figures
from grading.report import build_report
from tests.pdfs import contains, is_tagged, pdf_words, words
from tests.small_cohort import EXERCISE, MODULE, TITLE, make_cohort, name


@pytest.fixture
def small(tmp_path):
    return make_cohort(tmp_path, graded=5)


def test_report_names_modules_and_items_by_title_and_learners_with_team(small, tmp_path):
    course, db_url, ids = small
    page = build_report(course, db_url, tmp_path / "report.html")["html"].read_text()
    assert html.escape(TITLE) in page
    assert all(html.escape(t) in page for t in EXERCISE.values())
    assert "score_" not in page and MODULE not in page, "no internal id shown to the trainer"
    absent = f"{html.escape(TITLE)}: {html.escape(name(5))} ({ids[5]}; team: S team)"
    assert absent in page  # the learner who has not submitted, with their team


def test_statistics_csv_names_items_by_title_and_keeps_ids_last(small, tmp_path):
    course, db_url, _ = small
    stats = pd.read_csv(build_report(course, db_url, tmp_path / "report.html")["csv"])
    assert list(stats.columns[:2]) == ["module", "exercise"]
    assert list(stats.columns[-2:]) == ["module id", "item id"]
    row = stats[stats["item id"] == "score_sort_planets"].iloc[0]
    assert (row["module"], row["exercise"]) == (TITLE, EXERCISE["score_sort_planets"])


CAUTION = "Based on 5 learners: with fewer than 30, these figures can swing a lot"


def test_a_small_cohort_s_statistics_carry_a_caution(small, tmp_path):
    course, db_url, _ = small
    page = build_report(course, db_url, tmp_path / "report.html")["html"].read_text()
    items, wrong = page.split(">Misconceptions: ")
    assert html.escape(CAUTION) in items  # facility and discrimination
    assert html.escape(CAUTION) in wrong.split("<h2")[0]  # the shares choosing wrong answers


def test_a_cohort_of_thirty_needs_no_caution(tmp_path):
    course, db_url, _ = make_cohort(tmp_path, graded=30)
    page = build_report(course, db_url, tmp_path / "report.html")["html"].read_text()
    assert "Small cohort" not in page and "Based on" not in page
    assert html.escape(TITLE) in page  # the items section is there, without the caution


def _drawn(monkeypatch) -> list:
    """Every matplotlib figure the report draws from now on (still readable once closed)."""
    drawn, draw = [], report_figures._png
    monkeypatch.setattr(
        report_figures, "_png", lambda fig, *args: drawn.append(fig) or draw(fig, *args)
    )
    return drawn


def _labels(axis) -> list[str]:
    """The tick labels a reader sees on ``axis`` (those within its view)."""
    low, high = sorted(axis.get_view_interval())
    shown = zip(axis.get_majorticklocs(), axis.get_ticklabels(), strict=True)
    return [label.get_text() for loc, label in shown if low <= loc <= high]


def test_whole_number_scales_have_whole_number_ticks(small, tmp_path, monkeypatch):
    drawn = _drawn(monkeypatch)
    course, db_url, _ = small
    build_report(course, db_url, tmp_path / "report.html")
    ratings = pd.DataFrame(
        {"learner": list("abcde") * 2, "when": ["before"] * 5 + ["after"] * 5,
         "rating": [1, 2, 2, 3, 3, 3, 4, 4, 5, 4]}
    )  # fmt: skip
    report_figures.confidence(ratings)
    distribution, confidence = drawn[0], drawn[-1]
    counts = [distribution.axes[0].yaxis, *(confidence.axes[0].xaxis, confidence.axes[0].yaxis)]
    for axis in counts:
        labels = _labels(axis)
        assert labels and all(t.isdigit() for t in labels), labels


def test_the_report_pdf_opens_with_every_heading_and_the_caution(small, tmp_path):
    course, db_url, _ = small
    written = build_report(course, db_url, tmp_path / "report.html")
    page = written["html"].read_text(encoding="utf-8")
    headings = [html.unescape(h) for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", page)]
    assert len(headings) > 4 and "Cohort report" in headings
    assert is_tagged(written["pdf"])
    found = pdf_words(written["pdf"])
    for heading in headings:
        assert contains(found, words(heading)), f"{heading!r} is missing from the PDF"
    assert contains(found, words("Based on 5 learners: with fewer than 30"))


def test_each_chart_s_numbers_are_a_table_and_its_description_is_read_once(small, tmp_path):
    course, db_url, _ = small
    page = build_report(course, db_url, tmp_path / "report.html")["html"].read_text()
    bands = ["0–9%", "10–19%", "90–100%"]
    assert all(f">{b}</th>" in page for b in bands)
    row = re.search(rf"<td[^>]*>{re.escape(html.escape(TITLE))}</td>((?:<td[^>]*>\d+</td>)+)", page)
    assert row, "a row of learners per band for the module"
    assert sum(int(n) for n in re.findall(r">(\d+)<", row.group(1))) == 5  # the 5 graded learners
    ratings = pd.DataFrame(
        {"learner": list("ab") * 2, "when": ["before"] * 2 + ["after"] * 2, "rating": [2, 3, 3, 3]}
    )
    chart = report_figures.confidence(ratings)
    assert chart.table["rows"] == [[2, 1, 0], [3, 1, 2]]
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
    captions = re.findall(r"<figcaption[^>]*>([^<]*)</figcaption>", page)
    assert alts and not set(alts) & set(captions), "each description is read once, not twice"
