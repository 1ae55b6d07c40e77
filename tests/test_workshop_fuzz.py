"""Property-based tests (Hypothesis) for the workshop's join and answer paths: whatever text or
structure a page, a widget message sent by hand or a cookie brings, the outcome is a correct
result or a clear refusal (AnswerError, whose message the page shows), never a traceback."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workshop import session as session_module
from workshop.db import new_schema
from workshop.participant import COOKIE, presented_token
from workshop.prompts import AnswerError
from workshop.session import Session
from workshop.store import TOKEN_SHAPE, Store, TooManyTries, WrongCode

FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PROMPTS = [
    {
        "id": "p1",
        "kind": "poll",
        "text": "Which?",
        "options": [{"id": "o1", "label": "A"}, {"id": "o2", "label": "B"}],
    },
    {
        "id": "p2",
        "kind": "rating",
        "text": "How?",
        "scale": {"min": 1, "max": 5, "min_label": "low", "max_label": "high"},
    },
    {
        "id": "p3",
        "kind": "sort",
        "text": "Where?",
        "categories": [{"id": "c1", "label": "X"}, {"id": "c2", "label": "Y"}],
        "items": [{"id": "i1", "text": "one"}, {"id": "i2", "text": "two"}],
    },
    {"id": "p4", "kind": "reflection", "text": "What?"},
]
TEXT = st.text(max_size=200) | st.text(
    alphabet=st.sampled_from(["\ud800", "\udcff", "\x00", "a", "-", " "]), max_size=9
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
ANYTHING = JSON | st.binary(max_size=40) | st.sets(st.integers(), max_size=3)
# Near misses for each prompt, so that the checks beyond the type are reached too.
NEAR = st.sampled_from(["o1", "o2", "o3", 0, 1, 5, 6, True, " ", "x" * 2001]) | st.dictionaries(
    st.sampled_from(["i1", "i2", "i3"]), st.sampled_from(["c1", "c2", "c3", 1, None]) | JSON
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared(request, tmp_path_factory):
    """One store for every example (a SQLite file, then a schema on the throwaway PostgreSQL):
    a participant who joined, every prompt in turn open."""
    if request.param == "postgres":
        store = Store.create(request.getfixturevalue("postgres_server"), PROMPTS, new_schema())
    else:
        store = Store.create(tmp_path_factory.mktemp("fuzz") / "answers.db", PROMPTS)
    return store, store.join("page", True)


@FUZZ
@given(prompt=st.sampled_from(PROMPTS), value=ANYTHING | NEAR, own_token=st.booleans())
def test_any_answer_is_kept_as_checked_or_refused_in_words(shared, prompt, value, own_token):
    store, token = shared
    store.open_prompt(prompt["id"])
    try:
        kept = store.answer(prompt["id"], token if own_token else "not a participant", value)
    except AnswerError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    assert own_token, "only a participant's answer is kept"
    assert store.answer_of(prompt["id"], token) == kept


@FUZZ
@given(prompt_id=ANYTHING, token=ANYTHING, value=ANYTHING, open_one=st.booleans())
@example(prompt_id="p4", token="\ud800", value="text", open_one=True)  # noqa: S106 - not a secret
def test_an_answer_from_a_stranger_or_to_a_closed_prompt_is_refused(
    shared, prompt_id, token, value, open_one
):
    store, _ = shared
    store.open_prompt("p4" if open_one else None)
    with pytest.raises(AnswerError):
        store.answer(prompt_id, token, value)
    with pytest.raises(AnswerError):
        store.answer("" if open_one else "p4", shared[1], "a fine answer")


@FUZZ
@given(client=ANYTHING, code_ok=st.booleans())
@example(client="\ud800", code_ok=True)
def test_joining_gives_a_fresh_token_or_a_clear_refusal(shared, client, code_ok):
    store, _ = shared
    try:
        token = store.join(client, code_ok)
    except TooManyTries as exc:  # many wrong codes from the examples before: wait, in words
        assert exc.wait_s >= 1 and f"wait {exc.wait_s} second" in str(exc)
        return
    except WrongCode as exc:
        assert not code_ok and "does not match" in str(exc)
        return
    assert code_ok and TOKEN_SHAPE.fullmatch(token) and store.knows(token)


@FUZZ
@given(presented=ANYTHING)
@example(presented="\ud800" * 32)
def test_the_store_knows_only_tokens_it_issued(shared, presented):
    store, token = shared
    assert store.knows(presented) is (presented == token)


@FUZZ
@given(header=TEXT | st.text(alphabet="; =\"'\\,a" + COOKIE, max_size=80))
def test_any_cookie_header_gives_a_candidate_or_nothing(header):
    found = presented_token(header)
    assert found is None or isinstance(found, str)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """A session whose code checks are fuzzed (its store is never asked to join)."""
    folder = tmp_path_factory.mktemp("session")
    Store.create(folder / "answers.db", PROMPTS)
    return Session(folder, "t", "s", session_module.new_code(), "", 5, "")


@FUZZ
@given(typed=ANYTHING)
def test_a_typed_code_is_accepted_only_if_it_reads_as_the_code(running, typed):
    accepted = running.accepts_code(typed)
    assert accepted is (
        isinstance(typed, str)
        and len(typed) <= session_module.MAX_TYPED
        and session_module.normalise(typed) == running.code
    )


@FUZZ
@given(
    case=st.lists(st.sampled_from(["upper", "lower"]), min_size=8, max_size=8),
    sep=st.sampled_from(["", " ", "-", " - ", "\t"]),
)
def test_the_code_is_accepted_however_it_is_typed(running, case, sep):
    typed = "".join(getattr(ch, how)() for ch, how in zip(running.code, case, strict=True))
    typed = sep.join(re.findall(".{1,4}", typed))
    assert running.accepts_code(typed.replace("0", "O").replace("1", "l"))
