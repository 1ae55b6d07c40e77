"""Benchmark: the cohort report for 1,000 synthetic learners across the course's 8 modules.

The gradebook schema is created by nbgrader itself; 8,000 synthetic submissions are bulk-inserted
in the shape autograde leaves (grades per cell, answers files), because running nbgrader for
each would take hours. Prints the report's build time against the 10 s target, and, measured in
the same run, the time to merely read the gradebook, as the floor.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nbgrader.api import Gradebook

from course_model import content
from course_model.answers import SCHEMA_VERSION
from grading.keys import keys_in
from grading.report import build_report, load_scores

LEARNERS, TARGET_S = 1000, 10.0


def _id() -> str:
    return uuid.uuid4().hex


def synthetic_course(root: Path) -> tuple[Path, str]:
    """A course directory whose gradebook and autograded folders hold a large synthetic cohort."""
    rng = random.Random(11)  # noqa: S311 - synthetic data
    course = root / "trainer"
    course.mkdir()
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url):  # nbgrader creates its own schema
        pass
    con = sqlite3.connect(course / "gradebook.db")
    learners = [f"l{n:04d}" for n in range(LEARNERS)]
    con.executemany("INSERT INTO student (id) VALUES (?)", [(x,) for x in learners])
    for module_id in content.module_ids():
        pages = content.load_module(module_id)["pages"]
        source = course / "source" / module_id
        source.mkdir(parents=True)
        for page in pages:
            if page["kind"] == "assessment":
                shutil.copy(content.module_dir(module_id) / page["file"], source / page["file"])
        keys = keys_in(sorted(source.glob("*.ipynb")))
        specs = content.load_exercises(module_id)
        a_id, nb_id = _id(), _id()
        con.execute(
            "INSERT INTO assignment (id, name, course_id) VALUES (?, ?, 'default_course')",
            (a_id, module_id),
        )
        con.execute(
            "INSERT INTO notebook (id, name, assignment_id) VALUES (?, 'assessment', ?)",
            (nb_id, a_id),
        )
        cells = []
        for ex_id, spec in specs.items():
            if spec["mode"] == "graded" and spec["type"] != "audit":
                name = f"rubric_{ex_id}" if spec["type"] == "reflection" else f"score_{ex_id}"
                cell_id = _id()
                con.execute(
                    "INSERT INTO base_cell (id, name, notebook_id, type) VALUES (?, ?, ?, 'GradeCell')",
                    (cell_id, name, nb_id),
                )
                con.execute(
                    "INSERT INTO grade_cells (id, max_score, cell_type) VALUES (?, ?, 'code')",
                    (cell_id, spec["points"]),
                )
                cells.append((cell_id, spec["points"]))
        rows_sub, rows_nb, rows_grade = [], [], []
        for learner in learners:
            sa, sn = _id(), _id()
            rows_sub.append((sa, a_id, learner))
            rows_nb.append((sn, sa, nb_id))
            rows_grade += [(_id(), sn, cell, round(rng.random() * pts, 2)) for cell, pts in cells]
            folder = course / "autograded" / learner / module_id
            folder.mkdir(parents=True)
            answers = {ex: {"value": key} for ex, key in keys.items() if rng.random() < 0.6}
            (folder / "answers.json").write_text(
                json.dumps({"schema_version": SCHEMA_VERSION, "answers": answers})
            )
        con.executemany(
            "INSERT INTO submitted_assignment (id, assignment_id, student_id) VALUES (?, ?, ?)",
            rows_sub,
        )
        con.executemany(
            "INSERT INTO submitted_notebook (id, assignment_id, notebook_id) VALUES (?, ?, ?)",
            rows_nb,
        )
        con.executemany(
            "INSERT INTO grade (id, notebook_id, cell_id, auto_score, needs_manual_grade) "
            "VALUES (?, ?, ?, ?, 0)",
            rows_grade,
        )
    con.commit()
    con.close()
    return course, db_url


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"Building a synthetic cohort of {LEARNERS} learners × {len(content.module_ids())} modules…",
            flush=True,
        )
        course, db_url = synthetic_course(Path(tmp))
        start = time.perf_counter()
        rows = len(load_scores(db_url))
        floor = time.perf_counter() - start
        start = time.perf_counter()
        build_report(course, db_url, Path(tmp) / "report.html")
        took = time.perf_counter() - start
    print(f"gradebook rows: {rows:,}; reading them alone (floor): {floor:.2f} s")
    print(
        f"cohort report: {took:.2f} s (target < {TARGET_S:.0f} s; {took / TARGET_S:.2f} of the budget)"
    )


if __name__ == "__main__":
    main()
