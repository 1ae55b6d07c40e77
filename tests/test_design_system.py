"""The pages wear the bundled design system (GOV.UK Frontend, compiled into the template's
static folder by `make design-system`) and fetch nothing from anywhere else: no CDN, no font or
image that is not there."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

STATIC = ROOT / "practice_lab/share/jupyter/voila/templates/practice-lab/static"
SHEET = "/voila/templates/practice-lab/static/govuk-frontend.css"


def style(locator, *props: str) -> dict[str, str]:
    return locator.evaluate(
        "(el, props) => Object.fromEntries(props.map(p => [p, getComputedStyle(el)[p]]))",
        list(props),
    )


def test_the_bundled_css_is_what_the_license_and_header_say():
    css = (STATIC / "govuk-frontend.css").read_text(encoding="utf-8")
    assert css.startswith("/* GOV.UK Frontend 5.")
    assert "url(" not in css and "@font-face" not in css and "GDS Transport" not in css
    assert "Crown Copyright" in (STATIC / "govuk-frontend-LICENSE.txt").read_text()


@pytest.mark.browser
def test_a_page_uses_the_bundled_design_system_and_asks_no_other_host(page, server):
    here = urlsplit(server["url"]).netloc
    elsewhere, broken = [], []
    page.on(
        "request",
        lambda r: (
            urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != here
            and elsewhere.append(r.url)
        ),
    )
    page.on("requestfailed", lambda r: broken.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and broken.append(f"{r.url}: {r.status}"))
    page.goto(server["url"] + "voila/render/gallery/gallery.ipynb")
    check = page.get_by_role("button", name="Check my answer").first
    check.wait_for(timeout=90_000)
    page.wait_for_load_state("networkidle")

    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    ours = [s for s in sheets if urlsplit(s).path == SHEET]
    assert ours and urlsplit(ours[0]).netloc == here, sheets
    # A secondary govuk-button as GOV.UK draws it: light grey, its darker edge beneath, 19px type
    # in the system's fonts (GDS Transport is GOV.UK's alone), whatever ipywidgets' own rules say.
    drawn = style(check, "backgroundColor", "boxShadow", "fontSize", "fontFamily", "height")
    assert drawn["backgroundColor"] == "rgb(243, 242, 241)", drawn
    assert "rgb(146, 145, 145) 0px 2px 0px" in drawn["boxShadow"], drawn
    assert drawn["fontSize"] == "19px" and drawn["fontFamily"].startswith("system-ui"), drawn
    assert float(drawn["height"].removesuffix("px")) > 28, "not ipywidgets' one-line height"
    title = style(page.locator("h3.pl-ex-title").first, "fontSize", "fontWeight")
    assert title == {"fontSize": "24px", "fontWeight": "700"}, "govuk-heading-m"
    note = page.locator(".pl-content-note .govuk-details__text")
    assert style(note, "borderLeftColor")["borderLeftColor"] == "rgb(177, 180, 182)"

    assert not elsewhere, elsewhere
    assert not broken, broken


@pytest.mark.browser
def test_the_cohort_report_wears_the_design_system_in_one_file(page, tmp_path):
    from grading.report import build_report
    from tests.small_cohort import make_cohort

    course, db_url, _ = make_cohort(tmp_path, graded=5)
    report = build_report(course, db_url, tmp_path / "report.html")["html"]
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(report.as_uri())
    # GOV.UK's heading, table and inset text, in the system's fonts, inlined: the file asks for
    # nothing but itself and its inline charts.
    h1 = style(page.get_by_role("heading", level=1), "fontSize", "fontWeight", "fontFamily")
    assert h1["fontSize"] == "48px" and h1["fontWeight"] == "700", h1
    assert h1["fontFamily"].startswith("system-ui"), h1
    header = page.get_by_role("columnheader").first
    assert style(header, "borderBottom")["borderBottom"] == "1px solid rgb(177, 180, 182)"
    caution = page.locator(".govuk-inset-text", has_text="Small cohort.").first
    assert style(caution, "borderLeft")["borderLeft"] == "10px solid rgb(177, 180, 182)"
    assert [u for u in asked if not u.startswith("data:")] == [report.as_uri()], asked
