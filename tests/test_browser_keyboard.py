"""Every exercise type completed by keyboard alone in real Chromium, then restored after reload.

Controls are found by role and accessible name, as a screen reader finds them, so a control
that lost its name fails here. Focus is placed on each exercise's first control (as Tab would);
everything after that is key presses only.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import HOSTILE
from tests.test_browser import saved_answers, wait_for_saved

pytestmark = pytest.mark.browser

GALLERY = "voila/render/gallery/gallery.ipynb"
# A sort or spot row's drop-down is named by the row itself, so a screen reader says what it sorts.
STATEMENT_2 = "Statement 2. Third call-out in four months; each time he had taken her phone first."
LINE_3 = "Line 3. Father: I never touched her."


def exercise(page, ex_title: str, nth: int = 0):
    """The nth exercise box with this title (practice comes first, graded second)."""
    return page.locator(".pl-exercise", has=page.get_by_role("heading", name=ex_title)).nth(nth)


def test_every_type_by_keyboard_then_restored(page, server):
    page.goto(server["url"] + GALLERY)
    page.wait_for_selector(".pl-branching button", timeout=90_000)
    kb = page.keyboard

    single = exercise(page, "Professional judgement and Marac")
    single.get_by_role(
        "radio", name="Professional judgement alone is enough to refer the case to Marac."
    ).focus()
    kb.press("Space")

    multi = exercise(page, "The four Marac referral criteria")
    for name in (
        "Professional judgement",
        "Repeat: any further abuse within 12 months of the last Marac referral",
    ):
        multi.get_by_role("checkbox", name=name).focus()
        kb.press("Space")

    sort = exercise(page, "Incident or pattern?")
    sort.get_by_role("combobox", name=STATEMENT_2).focus()
    kb.press("ArrowDown")
    kb.press("ArrowDown")  # Choose… -> One incident -> A pattern of control

    order = exercise(page, "Put case A's events in order")
    order.get_by_role("listbox", name="Events, first at the top").focus()
    kb.press("ArrowDown")  # select the second event
    order.get_by_role("button", name="Move selected event up").focus()
    kb.press("Enter")

    rating = exercise(page, "How worried should you be?")
    rating.get_by_role("radio", name="5 (very high)").focus()
    kb.press("Space")

    spot = exercise(page, "Spot the tactic")
    spot.get_by_role("combobox", name=LINE_3).focus()
    kb.press("ArrowDown")  # No tactic -> DARVO

    branching = exercise(page, "A home visit")
    branching.get_by_role(
        "button",
        name="Thank him, and say you need to see her and the children as part of every visit.",
    ).focus()
    kb.press("Enter")
    branching.get_by_role(
        "button", name="Keep the visit general, and arrange a safe way to talk with her alone."
    ).focus()
    kb.press("Enter")
    branching.get_by_text("This is the end of the scenario.").wait_for()

    audit = exercise(page, "Check the language of a case note")
    audit.get_by_role("textbox", name="Your case note").focus()
    kb.type("Mum failed to protect the children. " + HOSTILE)
    audit.locator(".pl-flags").wait_for()

    eco = exercise(page, "A child's ecomap")
    stepdad = "Her stepdad, who decides when she may see her gran"
    eco.get_by_role("combobox", name=f"{stepdad}: place").focus()
    kb.press("ArrowDown")  # Choose… -> Close to the child
    eco.get_by_role("combobox", name=f"{stepdad}: tie").focus()
    for _ in range(3):
        kb.press("ArrowDown")  # Choose… -> Support -> Stress -> Control
    expect(eco.locator(".pl-ecomap-words")).to_contain_text("close to the child; tie: control")

    reflection = exercise(page, "Reflect on a visit")
    reflection.get_by_role("textbox", name="Your reflection").focus()
    kb.type("He answered every question. " + HOSTILE)

    expected = {
        "single_practice": "o1",
        "multiselect_practice": ["judgement", "repeat"],
        "sort_practice": {"i2": "pattern"},
        "order_practice": ["e1", "e4", "e3", "e2"],
        "rating_practice": 5,
        "spot_practice": {"l3": "darvo"},
        "branching_practice": ["ask_for_her", "arrange_alone_2"],
        "ecomap_practice": {"stepdad": {"ring": "close", "tie": "control"}},
        "audit_practice": "Mum failed to protect the children. " + HOSTILE,
        "reflection_practice": "He answered every question. " + HOSTILE,
    }
    saved = wait_for_saved(
        server,
        lambda a: a.get("reflection_practice") == expected["reflection_practice"],
        folder="gallery",
    )
    assert {k: saved.get(k) for k in expected} == expected

    # Practice feedback by keyboard: the score comes from the same function nbgrader uses.
    single.get_by_role("button", name="Check my answer").focus()
    kb.press("Enter")
    expect(single.locator(".pl-feedback")).to_contain_text("You scored 1 of 1")

    page.reload()
    page.wait_for_selector(".pl-branching button", timeout=90_000)
    assert (
        exercise(page, "Professional judgement and Marac")
        .get_by_role(
            "radio", name="Professional judgement alone is enough to refer the case to Marac."
        )
        .is_checked()
    )
    assert (
        exercise(page, "The four Marac referral criteria")
        .get_by_role("checkbox", name="Professional judgement")
        .is_checked()
    )
    assert (
        exercise(page, "A child's ecomap")
        .get_by_role("combobox", name="Her stepdad, who decides when she may see her gran: tie")
        .input_value()
        == "Control"
    )
    assert (
        exercise(page, "Incident or pattern?")
        .get_by_role("combobox", name=STATEMENT_2)
        .input_value()
        == "A pattern of control"
    )
    options = (
        exercise(page, "Put case A's events in order").get_by_role("listbox").locator("option")
    )
    listed = [
        t.replace("\xa0", " ") for t in options.all_inner_texts()
    ]  # ipywidgets uses no-break spaces
    assert listed[0].startswith("1. Police attend") and listed[1].startswith("2. He applies"), (
        listed
    )
    assert (
        exercise(page, "How worried should you be?")
        .get_by_role("radio", name="5 (very high)")
        .is_checked()
    )
    assert (
        exercise(page, "Spot the tactic")
        .get_by_role("combobox", name=LINE_3)
        .input_value()
        .startswith("DARVO")
    )
    assert "This is the end of the scenario." in exercise(page, "A home visit").inner_text()
    assert (
        exercise(page, "Reflect on a visit").get_by_role("textbox").input_value()
        == expected["reflection_practice"]
    )
    assert (
        exercise(page, "Check the language of a case note").get_by_role("textbox").input_value()
        == expected["audit_practice"]
    )
    flags = exercise(page, "Check the language of a case note").locator(".pl-flags").inner_text()
    assert "failed to protect" in flags
    assert page.title() != "pwned" and not page.dialogs
    assert saved_answers(server, folder="gallery") == saved
