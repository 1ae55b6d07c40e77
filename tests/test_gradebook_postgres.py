"""The trainer's gradebook on PostgreSQL (``db_url=postgresql+psycopg://…``), for a cohort whose
grading shares one server: nbgrader's own API and command line, and the trainer's page reading
it, against a throwaway server."""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from grading import cohort, course_dir

pytestmark = pytest.mark.postgres
MODULE = "02-three-planets"


def test_nbgrader_s_gradebook_keeps_learners_and_modules_on_postgres(postgres_db):
    with Gradebook(postgres_db) as gb:
        gb.add_student("l001", first_name="Sam", last_name="Example", email="sam@example.org")
        gb.add_assignment(MODULE)
    with Gradebook(postgres_db) as gb:  # read back through a new connection
        assert [(s.id, s.first_name, s.email) for s in gb.students] == [
            ("l001", "Sam", "sam@example.org")
        ]
        assert [a.name for a in gb.assignments] == [MODULE]


@pytest.mark.nbgrader
def test_an_nbgrader_command_writes_the_gradebook_on_postgres_and_the_trainer_s_page_reads_it(
    tmp_path, postgres_db
):
    course = tmp_path / "trainer"
    course_dir.init(course, tmp_path / "exchange", db_url=postgres_db)
    assert course_dir.db_url(course) == postgres_db
    course_dir.nbgrader(course, "db", "student", "add", "l002", "--last-name=Example")
    with Gradebook(postgres_db) as gb:
        assert [(s.id, s.last_name) for s in gb.students] == [("l002", "Example")]
    states = {state.module: state for state in cohort.module_states(course)}
    assert states[MODULE].learners == ["l002"] and states[MODULE].missing == ["l002"]


def test_the_trainer_s_page_reads_a_new_empty_gradebook_database_as_an_empty_cohort(
    tmp_path, postgres_db
):
    course = tmp_path / "trainer"  # as on the hub: the database is made before nbgrader writes it
    course_dir.init(course, tmp_path / "exchange", db_url=postgres_db)
    states = {state.module: state for state in cohort.module_states(course)}
    assert states[MODULE].learners == [] and states[MODULE].next_action == "release"
