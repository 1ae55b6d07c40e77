"""A cohort's whole journey on one hub, in Chromium, through the hub's login page and proxy: a real
hub, a trainer account and two learner accounts (real Unix users).

The trainer releases module 02 from their dashboard (their home on the hub); learners A and B log
in, land on the course home, answer and submit; A cannot read B's work, neither through the hub
nor on disk as A's Unix account; the trainer collects, autogrades, marks A's reflection on
formgrader's page (inside the trainer's own server, where no learner reaches it) and releases
feedback, every step from the dashboard; each learner then reads their own feedback, with their
own score, and A cannot read B's. The tests are the journey's steps, in order, on one hub.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course_model.answers import FILE_NAME
from course_model.workspace import COURSE_ID
from grading.course_dir import read_config
from grading.learner_exchange import CACHE_DIR
from tests.conftest import MODULE, graded_keys
from tests.dashboard_steps import STEP_S, mark_in_formgrader, press, row
from tests.hubs import log_in, running_hub
from tests.test_exchange_users import can_read, run_as

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]
ASSESSMENT = "Assessment: sort, spot and reflect"
REFLECTION = "What? I heard three planets. So what? He hides between them. Now what? Ask him. "
REFLECTION_MARK = 2  # A's mark; B writes no reflection and ticks every right option (3 points)


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    with running_hub(with_trainer=True) as running:
        yield running


@pytest.fixture(scope="module")
def pages(hub, browser):
    """Each person's browser on the hub, logged in once and kept for the whole journey: the
    trainer's (on their dashboard) and each learner's (on their course home)."""
    opened: dict[str, object] = {}
    yield opened
    for page in opened.values():
        page.context.close()


def _learner_folder(name: str) -> Path:
    """Where a learner's server keeps their pages and answers (in their private home)."""
    return Path(f"/home/{name}/practice-lab/learner")


def _open_assessment(page):
    """Open module 02's assessment from the course home."""
    page.get_by_role("link", name=ASSESSMENT, exact=True).click()
    page.wait_for_selector(".pl-submit-panel", timeout=120_000)


def _submit(page) -> None:
    page.get_by_role("button", name="Submit this module to my trainer").click()
    page.get_by_text("Thank you: your trainer has your answers").wait_for(timeout=120_000)


def test_the_trainer_releases_from_their_dashboard_and_learners_see_the_module(hub, browser, pages):
    (trainer,), (a, b) = hub["trainers"], hub["names"]
    page = pages["trainer"] = log_in(browser, hub, trainer, home="Trainer's dashboard")
    assert f"/user/{trainer}/voila/render/home.ipynb" in page.url
    press(page, "Release to learners")
    expect(page.get_by_text(f"Released {MODULE}.")).to_be_visible(timeout=STEP_S)
    api = f"{hub['url']}/user/{trainer}/formgrader/api/assignments"
    grader = page.request.get(api)  # the trainer's own formgrader, on their course
    assert grader.status == 200 and MODULE in [a["name"] for a in grader.json()]
    for name in (a, b):
        learner = pages[name] = log_in(browser, hub, name)
        assert f"/user/{name}/voila/render/home.ipynb" in learner.url
        expect(learner.get_by_role("link", name=ASSESSMENT, exact=True)).to_be_visible()
        peek = learner.request.get(api, max_redirects=0)
        assert peek.status != 200 or MODULE not in peek.text()  # no learner reaches formgrader


def test_two_learners_answer_and_submit_from_their_course_home(hub, pages):
    a, b = hub["names"]
    _open_assessment(pages[a])
    pages[a].get_by_role("textbox").last.fill(REFLECTION * 3)
    pages[a].get_by_text("Saved at").last.wait_for(timeout=60_000)
    _submit(pages[a])
    _open_assessment(pages[b])
    options = pages[b].locator(".pl-multiselect input[type=checkbox]")
    for option in graded_keys()["exploitable_contradictions"]:
        options.nth(int(option.removeprefix("o")) - 1).check()
    pages[b].get_by_text("Saved at").last.wait_for(timeout=60_000)
    _submit(pages[b])
    for name in (a, b):
        assert "Submitted at" in pages[name].locator(".pl-submit-status").inner_text()


def _refused_over_http(page, urls: list[str], secret: str) -> None:
    """Each of ``urls``, fetched in ``page``'s browser session, gives no content (nothing with
    ``secret`` in it, no success)."""
    for url in urls:
        got = page.request.get(url)
        assert not got.ok and secret not in got.text(), f"{url}: {got.status}"


def _refused_on_disk(user: str, paths: list[Path]) -> None:
    """``user``'s Unix account can neither read nor list any of ``paths`` (each exists)."""
    for path in paths:
        assert path.exists(), path
        if path.is_dir():
            assert run_as(user, "ls", str(path), check=False).returncode != 0, f"listed {path}"
        else:
            assert not can_read(user, path), f"{user} read {path}"


def _submission_of(hub, name: str) -> Path:
    """``name``'s submission folder in the shared exchange's inbound."""
    inbound = hub["exchange"] / COURSE_ID / "inbound"
    (found,) = [p for p in inbound.iterdir() if p.name.startswith(f"{name}+{MODULE}+")]
    return found


def test_a_learner_cannot_read_another_learners_work_by_http_or_on_disk(hub, pages):
    a, b = hub["names"]
    server = f"{hub['url']}/user/{b}"
    answers = f"{MODULE}/{FILE_NAME}"
    urls = [
        f"{server}/voila/render/home.ipynb",
        f"{server}/api/contents",
        f"{server}/files/{answers}",
    ]
    _refused_over_http(pages[a], [*urls, f"{server}/api/contents/{answers}"], "o2")
    submission = _submission_of(hub, b)
    _refused_on_disk(
        a,
        [
            Path(f"/home/{b}"),
            _learner_folder(b) / answers,
            submission,
            submission / FILE_NAME,
            hub["exchange"] / COURSE_ID / "inbound",
        ],
    )


def test_the_trainer_collects_grades_marks_and_releases_feedback_from_the_dashboard(hub, pages):
    a, _ = hub["names"]
    page = pages["trainer"]
    press(page, "Collect submissions")
    expect(page.get_by_text("2 collected")).to_be_visible(timeout=STEP_S)
    press(page, "Autograde")
    expect(page.get_by_text("Autograde: 2 graded, 0 failed")).to_be_visible(timeout=STEP_S)
    expect(row(page)).to_contain_text("0 of 1 reflection marked", timeout=60_000)
    press(page, "Mark reflections")
    mark_in_formgrader(page, a, REFLECTION_MARK)
    guide = page.get_by_role("link", name="Open the marking guide (new tab)").get_attribute("href")
    assert "reflect_planets" in page.request.get(hub["url"] + guide).text()
    press(page, "Release feedback")
    expect(page.get_by_text("Feedback: released to 2 of 2 learners")).to_be_visible(timeout=STEP_S)


def _feedback_shown(page) -> str:
    """Open the module's feedback in the learner's app, from their course home opened again;
    return the text the learner reads."""
    page.goto(page.url.split("/voila/")[0] + "/voila/render/home.ipynb")
    card = page.get_by_role("region", name="Three planets: why families get contradictory messages")
    expect(card).to_contain_text("Status: Feedback ready", timeout=120_000)
    _open_assessment(page)
    page.get_by_role("button", name="Show my trainer's feedback").click()
    feedback = page.locator(".pl-trainer-feedback")
    feedback.get_by_text("Score:").first.wait_for(timeout=60_000)
    return feedback.inner_text()


def _released_feedback(name: str) -> Path:
    """``name``'s feedback page in the shared exchange, found as their server's fetch looks for
    it (``grading.learner_exchange``): by the hash of their submission's secret."""
    folder = _learner_folder(name)
    (cached,) = (folder / CACHE_DIR / COURSE_ID).glob(f"*+{MODULE}+*")
    secret = (cached / "submission_secret.txt").read_text()
    page = hashlib.md5((secret + "assessment").encode(), usedforsecurity=False).hexdigest()
    return Path(read_config(folder).Exchange.root) / COURSE_ID / "feedback" / f"{page}.html"


def test_each_learner_reads_only_their_own_feedback(hub, pages):
    a, b = hub["names"]
    seen = {name: _feedback_shown(pages[name]) for name in (a, b)}
    assert REFLECTION[:30] in seen[a] and f"Score: {REFLECTION_MARK} out of 4 points" in seen[a]
    assert REFLECTION[:30] not in seen[b] and "Score: 3 out of 3 points" in seen[b]
    fetched = _learner_folder(b) / MODULE / "feedback"
    (copy,) = fetched.glob("*/assessment.html")
    server = f"{hub['url']}/user/{b}"
    _refused_over_http(
        pages[a],
        [
            f"{server}/files/{copy.relative_to(_learner_folder(b))}",
            f"{server}/api/contents/{MODULE}/feedback",
        ],
        "Score",
    )
    _refused_on_disk(a, [_released_feedback(b), copy, fetched])


def test_the_trainer_makes_accounts_from_their_dashboard_and_a_new_learner_logs_in(
    hub, browser, pages
):
    """Last, as it changes the cohort: a roster with one learner who has an account (A) and one
    who has none; the page makes the newcomer's account and shows their code once."""
    a = hub["names"][0]
    newcomer = f"plc{a[3:]}"  # the fixture removes every account that got a code
    roster = hub["shared"] / "new-roster.csv"
    roster.write_text(f"id,name,email,team\n{a},Ash Quinn,,A\n{newcomer},Cal Ng,,B\n")
    page = pages["trainer"]
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload roster").click()
    chooser.value.set_files(str(roster))
    expect(page.get_by_text("1 new accounts on the hub.")).to_be_visible(timeout=STEP_S)
    codes = page.get_by_role("table", name="One-time codes")
    expect(codes.get_by_role("row")).to_have_count(2)  # the header and the newcomer: A had one
    code = codes.get_by_role("row", name=newcomer).get_by_role("cell").nth(1).inner_text()
    expect(page.get_by_role("link", name="Download the codes (CSV)")).to_be_visible()
    learner = log_in(browser, {**hub, "codes": {newcomer: code}}, newcomer)  # no hub restart
    service = f"{hub['url']}/services/accounts/accounts"
    for headers in ({}, {"Authorization": "token forged"}):  # nobody but a trainer makes one
        refused = learner.request.post(service, data={"accounts": ["intruder"]}, headers=headers)
        assert refused.status == 403, refused.text()
    learner.context.close()
