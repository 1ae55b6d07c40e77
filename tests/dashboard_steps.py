"""What a trainer does on their dashboard page, for the tests that drive it in Chromium: on one
machine (tests/test_browser_dashboard.py) and on the hub (tests/test_hub_trainer.py)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import MODULE

STEP_S = 240_000  # ms: the longest a background step may take here


def row(page):
    """The dashboard's row for the module under test."""
    return page.locator(".pl-tr-row", has_text=MODULE)


def press(page, name: str) -> None:
    """Press the module row's next-action button from the keyboard (focus, then Enter), as a
    trainer who does not use a mouse would."""
    button = row(page).get_by_role("button", name=name)
    expect(button).to_be_visible(timeout=STEP_S)
    button.focus()
    page.keyboard.press("Enter")


def assert_reflection_wraps(grader) -> None:
    """On formgrader's grading page the learner's reflection is wrapped text in the page's font,
    not one monospace line running off screen."""
    shown = grader.locator(".output_subarea", has_text="What?").last  # the reflection's output
    expect(shown).to_be_visible()
    looks = shown.evaluate(
        """(el) => ({wide: el.scrollWidth > el.clientWidth,
                     font: getComputedStyle(el.querySelector("pre, div") || el).fontFamily})"""
    )
    assert not looks["wide"] and "mono" not in looks["font"].lower(), looks


def mark_in_formgrader(page, learner: str, score: int) -> None:
    """Mark ``learner``'s reflection on formgrader's own grading page, opened from the dashboard,
    as a trainer does: type the score, then Tab out (formgrader saves on change)."""
    link = page.get_by_role("link", name="Open formgrader (new tab)")
    expect(link).to_be_visible(timeout=120_000)
    with page.context.expect_page() as opened:
        link.click()
    grader = opened.value
    expect(grader.get_by_text("Manage Assignments").first).to_be_visible(timeout=60_000)
    base = grader.url.split("/formgrader")[0]
    grader.goto(f"{base}/formgrader/manage_students/{learner}/{MODULE}")
    grader.get_by_role("link", name="assessment", exact=True).click()
    box = grader.locator("input.score#rubric_reflect_planets")
    expect(box).to_be_visible(timeout=60_000)
    grader.wait_for_load_state("networkidle", timeout=120_000)  # its scripts listen for changes
    assert_reflection_wraps(grader)
    box.fill(str(score))
    with grader.expect_response(
        lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT", timeout=120_000
    ) as saved:
        grader.keyboard.press("Tab")
    assert saved.value.ok
    grader.close()
