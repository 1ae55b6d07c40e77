"""Sessions: where they live, their codes and keys, expiry, and the rule of five."""

from __future__ import annotations

import json
import stat
from collections import Counter

import pytest

from course_model import workspace
from practice_lab import cli
from workshop import prompts, session
from workshop.results import tally
from workshop.session import ALPHABET, Session
from workshop.store import Answer

RATING = {
    "id": "p1",
    "kind": "rating",
    "text": "How confident?",
    "scale": {"min": 1, "max": 5, "min_label": "not", "max_label": "very"},
}


def test_codes_have_eight_symbols_from_32_without_look_alikes():
    assert len(set(ALPHABET)) == 32 and not set("ILOU") & set(ALPHABET)
    codes = [session.new_code() for _ in range(5000)]
    assert all(len(c) == 8 and set(c) <= set(ALPHABET) for c in codes)
    assert len(set(codes)) == 5000  # 2**40 possible codes: repeats are vanishingly rare
    seen = Counter("".join(codes))
    assert set(seen) == set(ALPHABET)
    assert max(seen.values()) < 1.5 * min(seen.values())  # every symbol about equally likely


def test_a_code_is_read_as_people_type_it():
    assert session.normalise(" k7m2-qd9x ") == "K7M2QD9X"
    assert session.normalise("0oIl1") == "00111"
    assert session.grouped("K7M2QD9X") == "K7M2-QD9X", "two groups of four, to read aloud"


def test_a_session_lives_in_the_workspace_readable_only_by_its_owner():
    s, key = Session.create(prompts.load("07"))
    assert s.folder.parent == workspace.root() / "workshops"
    assert stat.S_IMODE(s.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((s.folder / Session.FILE).stat().st_mode) == 0o600
    assert sorted(p.name for p in s.pages.iterdir()) == ["facilitator.ipynb", "participant.ipynb"]
    assert key not in (s.folder / Session.FILE).read_text(), "only the key's hash is stored"
    assert Session.load(s.folder) == s


def test_the_code_works_until_the_session_ends_and_the_key_opens_the_facilitator_page():
    s, key = Session.create(prompts.load("07"))
    assert s.accepts_code(session.grouped(s.code).lower())
    assert not s.accepts_code("")
    assert s.accepts_key(key) and s.accepts_key(key.replace("-", "").lower())
    assert not s.accepts_key(s.code)
    s.store.end()
    assert not s.accepts_code(s.code), "the code expires when the session ends"


def test_the_threshold_is_five_by_default_and_never_below_three():
    assert session.DEFAULT_MIN_ANSWERS == 5
    assert session.check_min_answers(3) == 3
    with pytest.raises(ValueError, match="too low"):
        session.check_min_answers(2)
    with pytest.raises(ValueError):
        Session.create(prompts.load("07"), min_answers=2)


def test_the_command_refuses_a_threshold_below_three(capsys):
    code = cli.main(["workshop", "start", "--prompts", "07", "--min-answers", "2"])
    assert code == 2
    assert "--min-answers 2 is too low" in capsys.readouterr().err
    assert not (workspace.root() / "workshops").exists(), "no session was created"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql+psycopg://trainer:secret@db.example/cohort", "must not hold a password"),
        ("sqlite:///answers.db", "takes a PostgreSQL URL"),
        ("not a url", "is not a database URL"),
    ],
)
def test_the_command_refuses_a_database_it_should_not_use(capsys, url, problem):
    assert cli.main(["workshop", "start", "--prompts", "07", "--db", url]) == 2
    assert problem in capsys.readouterr().err
    assert not (workspace.root() / "workshops").exists(), "no session was created"


@pytest.mark.postgres
def test_a_session_on_postgres_keeps_its_answers_in_a_schema_of_its_own(postgres_server):
    s, _ = Session.create(prompts.load("07"), db_url=postgres_server)
    assert s.db_schema.startswith("ws_") and not (s.folder / "answers.db").exists()
    s.store.open_prompt("p1")
    s.store.answer("p1", s.join(s.code, "page"), 4)
    again = Session.load(s.folder)
    assert again == s and [a.value for a in again.store.answers("p1")] == [4]


def test_a_session_folder_from_before_postgres_still_loads():
    s, _ = Session.create(prompts.load("07"))
    data = json.loads((s.folder / Session.FILE).read_text())
    del data["db_url"], data["db_schema"]
    (s.folder / Session.FILE).write_text(json.dumps(data))
    old = Session.load(s.folder)
    assert old.store.url == f"sqlite:///{s.folder / 'answers.db'}" and old.store.prompts()


def _answers(values):
    return [Answer(f"t{n}", v, "new", float(n)) for n, v in enumerate(values)]


def test_four_answers_show_nothing_but_their_number_and_five_show_the_summary():
    four = tally(RATING, _answers([1, 2, 2, 5]), min_answers=5)
    assert not four.visible and four.total == 4
    assert four.counts == {} and four.median is None
    five = tally(RATING, _answers([1, 2, 2, 5, 3]), min_answers=5)
    assert five.visible and five.counts == {"1": 1, "2": 2, "3": 1, "4": 0, "5": 1}


def test_typed_answers_are_held_back_too_and_listed_in_an_order_unrelated_to_arrival():
    prompt = {"id": "p2", "kind": "reflection", "text": "What?"}
    texts = [f"answer {n}" for n in range(12)]
    assert tally(prompt, _answers(texts[:4]), 5).review == []
    listed = [a.value for a in tally(prompt, _answers(texts), 5).review]
    assert sorted(listed) == sorted(texts) and listed != texts
    other = [a.value for a in tally({**prompt, "id": "p3"}, _answers(texts), 5).review]
    assert other != listed, "each prompt has its own order"


def test_the_word_list_keeps_only_words_from_two_or_more_answers_on_screen():
    prompt = {"id": "p2", "kind": "reflection", "text": "What?"}
    answers = [
        Answer("a", "Supervision helped me", "shown", 1),
        Answer("b", "supervision and time", "shown", 2),
        Answer("c", "Time with Zebedee", "shown", 3),
        Answer("d", "supervision", "hidden", 4),
        Answer("e", "time", "new", 5),
    ]
    t = tally(prompt, answers, 5)
    assert t.words == [("supervision", 2), ("time", 2)]  # "zebedee" is in one answer only
    on_screen = {"Supervision helped me", "supervision and time", "Time with Zebedee"}
    assert set(t.shown) == on_screen
    assert set(t.not_hidden) == on_screen | {"time"}, "a hidden answer is never kept"


def test_a_participant_sorts_with_drop_downs_named_by_their_statements():
    """Workshop sorts use the course's sort rows: each drop-down is labelled with its statement
    as plain text, a tampered saved label is ignored, and the answer reads back by row."""
    from types import SimpleNamespace

    from workshop.participant import ParticipantPage

    page = SimpleNamespace()
    prompt = {
        "kind": "sort",
        "categories": [{"id": "c1", "label": "Incident"}, {"id": "c2", "label": "Pattern"}],
        "items": [{"id": "i1", "text": "<b>One</b> call-out"}, {"id": "i2", "text": "Rules"}],
    }
    rows = ParticipantPage._build(page, prompt, {"i1": "not-a-category", "i2": "c2"})
    assert [r.description for r in rows.children] == [
        "Statement 1. <b>One</b> call-out",
        "Statement 2. Rules",
    ]
    assert page.read_value() == {"i2": "c2"}
    rows.children[0].value = "c1"
    assert page.read_value() == {"i1": "c1", "i2": "c2"}
