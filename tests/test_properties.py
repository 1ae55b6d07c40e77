"""Property-based tests: arbitrary bytes and structures given to what reads people's files give a
clear refusal or a correct result, never a traceback or a hang (issue 17).

The loaders under test: course content (what `practice-lab check` and every page read), the
learner's answers file, and the trainer's roster CSV with its import into a real gradebook.
"""

from __future__ import annotations

import csv
import io
import json
import string

import pytest
import yaml
from conftest import MODULE, _clear_content_caches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbgrader.api import Gradebook, Student

from course_model import check, content
from course_model.answers import FILE_NAME, AnswersStore, read_answers
from grading import course_dir
from grading.roster import Learner, RosterError, import_roster, kept_roster, read_roster

FIXTURES_OK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# JSON-like data, as a content or answers file could hold.
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
data = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@FIXTURES_OK
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_in_a_content_file_are_read_or_refused_by_file_and_place(course_copy, raw):
    path = course_copy / "modules" / MODULE / "exercises.yaml"
    path.write_bytes(raw)
    try:
        content.read_yaml(path)
    except content.ContentError as exc:
        assert all(p.file == path and p.reason for p in exc.problems)


@FIXTURES_OK
@given(data)
def test_any_structure_in_a_module_gives_problems_never_a_crash(course_copy, value):
    """Whatever an author (or a broken editor) leaves in exercises.yaml, check lists problems."""
    (course_copy / "modules" / MODULE / "exercises.yaml").write_text(yaml.safe_dump(value))
    _clear_content_caches()
    problems = check.check_module(MODULE)
    assert problems and all(str(p) for p in problems)


@FIXTURES_OK
@given(data)
def test_any_structure_survives_the_loader_unchanged(tmp_path, value):
    path = tmp_path / "any.yaml"
    path.write_text(yaml.safe_dump(value))
    assert content.read_yaml(path) == value


@FIXTURES_OK
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=2, max_value=12))
def test_shared_values_are_read_while_small_and_refused_when_they_would_explode(
    tmp_path, depth, width
):
    text, previous = "", "[leaf]"
    for n in range(depth):
        text += f"l{n}: &l{n} [{', '.join([previous] * width)}]\n"
        previous = f"*l{n}"
    path = tmp_path / "shared.yaml"
    path.write_text(text)
    sizes = [1 + 2 * width]  # l0: a list of `width` one-item lists
    for _ in range(1, depth):
        sizes.append(1 + width * sizes[-1])
    expanded = 1 + depth + sum(sizes)  # the mapping, its keys and every list once expanded
    try:
        content.read_yaml(path)
        assert expanded <= content.MAX_VALUES
    except content.ContentError as exc:
        assert expanded > content.MAX_VALUES and "expands to more than" in str(exc)


@FIXTURES_OK
@given(st.binary(max_size=3000) | data.map(lambda v: json.dumps(v).encode()))
def test_any_answers_file_is_read_or_reported_and_never_stops_saving(tmp_path, raw):
    (tmp_path / FILE_NAME).write_bytes(raw)
    answers, problem = read_answers(tmp_path)
    assert isinstance(answers, dict) and (problem is None or FILE_NAME in problem)
    store = AnswersStore(tmp_path, MODULE)  # sets a bad file aside; the page goes on
    store.save("sort_planets", {"s1": "dv"})
    assert read_answers(tmp_path) == ({**answers, "sort_planets": {"s1": "dv"}}, None)


@FIXTURES_OK
@given(st.text(max_size=1500))
def test_any_roster_text_is_read_or_refused_with_a_line_to_fix(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    try:
        learners = read_roster(path)
    except RosterError as exc:
        assert str(path) in str(exc)
    else:
        assert all(p.id for p in learners)


ids = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=6)
field = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
    max_size=30,
).map(str.strip)
learner = st.builds(Learner, ids, field.filter(bool), st.just(""), field)
cohort = st.lists(learner, max_size=6, unique_by=lambda p: p.id)


def _csv(learners: list[Learner]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "email", "team"])
    writer.writerows((p.id, p.name, p.email, p.team) for p in learners)
    return out.getvalue()


@pytest.mark.nbgrader
@settings(FIXTURES_OK, max_examples=40)
@given(cohort, cohort, st.booleans())
def test_two_imports_leave_the_gradebook_and_the_kept_roster_agreeing(
    trainer_course, first, second, replace
):
    """Names with quotes, formulas, commas and any script are kept exactly as typed."""
    db_url = course_dir.db_url(trainer_course)
    with Gradebook(db_url) as gb:  # each example starts from an empty cohort
        gb.db.query(Student).delete()
        gb.db.commit()
    (trainer_course / "roster.csv").unlink(missing_ok=True)
    for n, learners in enumerate([first, second]):
        path = trainer_course.parent / f"cohort{n}.csv"
        path.write_text(_csv(learners), encoding="utf-8")
        import_roster(path, trainer_course, db_url, replace=replace and n == 1)
    expected = {p.id: p for p in ([] if replace else first)} | {p.id: p for p in second}
    assert {p.id: p for p in kept_roster(trainer_course)} == expected
    with Gradebook(db_url) as gb:
        assert sorted(s.id for s in gb.students) == sorted(expected)
