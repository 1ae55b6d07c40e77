"""The ecomap in module 04, in real Chromium: practice on the lesson page (instant feedback and the
map in words), graded on the assessment page (no feedback, no key), both saved and restored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_browser import wait_for_saved

pytestmark = pytest.mark.browser

MODULE = "04-children"
LEE = "Lee, his mum's ex-partner"


def ecomap(page, title: str):
    box = page.locator(".pl-exercise", has=page.get_by_role("heading", name=title))
    box.get_by_role("combobox", name=f"{LEE}: place").wait_for(timeout=90_000)
    return box


def test_practice_ecomap_gives_feedback_and_draws_the_map_in_words(page, server):
    page.goto(server["url"] + f"voila/render/{MODULE}/01-children-as-victims.ipynb")
    box = ecomap(page, "Kojo's world at Month 2: an ecomap")
    box.get_by_role("combobox", name=f"{LEE}: place").select_option(label="In the child's world")
    box.get_by_role("combobox", name=f"{LEE}: tie").select_option(label="Control")
    expect(box.locator(".pl-ecomap-words")).to_contain_text(
        f"{LEE}: in the child's world; tie: control"
    )
    expect(box.locator(".pl-ecomap svg")).to_have_attribute("role", "img")
    box.get_by_role("button", name="Check my answer").click()
    expect(box.locator(".pl-feedback")).to_contain_text("the tie is control")
    saved = wait_for_saved(
        server, lambda a: "tie" in a.get("ecomap_kojo_month2", {}).get("lee", {}), folder=MODULE
    )
    assert saved["ecomap_kojo_month2"]["lee"] == {"ring": "around", "tie": "control"}
    page.reload()
    box = ecomap(page, "Kojo's world at Month 2: an ecomap")
    expect(box.get_by_role("combobox", name=f"{LEE}: tie")).to_have_value("Control")


def test_graded_ecomap_is_saved_without_feedback_or_key(page, server):
    page.goto(server["url"] + f"voila/render/{MODULE}/assessment.ipynb")
    box = ecomap(page, "Kojo's world at Month 6: an ecomap")
    box.get_by_role("combobox", name=f"{LEE}: place").select_option(label="At the edge")
    box.get_by_role("combobox", name=f"{LEE}: tie").select_option(label="Control")
    expect(box.get_by_role("button", name="Check my answer")).to_have_count(0)
    saved = wait_for_saved(
        server, lambda a: "tie" in a.get("ecomap_kojo_month6", {}).get("lee", {}), folder=MODULE
    )
    assert saved["ecomap_kojo_month6"]["lee"] == {"ring": "edge", "tie": "control"}
    assert "BEGIN HIDDEN TESTS" not in page.content() and "score(" not in page.content()
