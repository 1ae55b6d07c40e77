"""Several cohorts on one hub, as nbgrader's multiple-course setup has them: each cohort is a
course id with its own learners and trainers, its own ``exchange/<course>/`` and its own groups
(``nbgrader-<course>``, ``formgrade-<course>``).

Who is in which cohort is kept in the hub's state folder (:data:`FILE`, beside the password file:
root's, mode 700), written by ``practice-lab hub accounts --cohort`` and read each time the hub's
config is written, so it survives a restart. A learner's server must learn its own course (and
whether its account is a trainer) without learning who else is on the hub: the hub's config is
root's alone, and holds one :class:`PerAccount` per such variable, which JupyterHub calls for each
server it starts (``Spawner.environment`` takes callables) and which hands that server only its
own account's value. A file learners' servers read themselves would have to be readable by every
learner; an environment variable listing everyone would show every learner the whole hub.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from course_model.files import write_text_atomically
from course_model.workspace import COURSE_ID

FILE = "cohorts.json"  # {course: {"learners": [...], "trainers": [...]}} in the hub's state folder
COURSE_ENV = "PRACTICE_LAB_COURSE_ID"  # a server's nbgrader course id, set by the hub
ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?")


class CohortError(ValueError):
    """A cohort that cannot be on the hub: the message says why and what to do."""


def check_id(text: str) -> str:
    """``text`` as a cohort id, or CohortError: it names folders (``exchange/<id>/``) and groups,
    so it is short and plain: lower-case letters, digits and inner hyphens, at most 24."""
    if not ID.fullmatch(text):
        raise CohortError(
            f"{text!r} cannot be a cohort id: use 1 to 24 lower-case letters, digits and hyphens, "
            "starting and ending with a letter or digit (e.g. spring-2026)"
        )
    return text


def load(state: Path) -> dict[str, dict[str, list[str]]]:
    """The hub's named cohorts, ``{course: {"learners": [...], "trainers": [...]}}`` ({} if none)."""
    path = state / FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def refuse_clashes(state: Path, course: str, names: list[str]) -> None:
    """CohortError if any of ``names`` is already in a cohort other than ``course``: an account's
    server serves one course. Checked before any account is made."""
    elsewhere = {
        name: other
        for other, people in load(state).items()
        if other != course
        for name in [*people["learners"], *people["trainers"]]
    }
    clash = [f"{n} (in {elsewhere[n]})" for n in names if n in elsewhere]
    if clash:
        raise CohortError(
            f"already in another cohort, so not added to {course}: {', '.join(clash)}"
        )


def add(state: Path, course: str, learners: list[str], trainers: list[str]) -> None:
    """Record ``learners`` and ``trainers`` in the cohort ``course`` (see :func:`refuse_clashes`)."""
    refuse_clashes(state, course, [*learners, *trainers])
    cohorts = load(state)
    cohort = cohorts.setdefault(course, {"learners": [], "trainers": []})
    for role, names in (("learners", learners), ("trainers", trainers)):
        cohort[role] = sorted(set(cohort[role]) | set(names))
    write_text_atomically(state / FILE, json.dumps(cohorts, indent=1, sort_keys=True), mode=0o600)


class PerAccount:
    """One environment variable's value for each account (``Spawner.environment`` calls it with
    the spawner of the server it starts), ``default`` for any other account. Its ``repr`` is the
    expression that makes it again, so the hub's config can hold it."""

    def __init__(self, values: dict[str, str], default: str = ""):
        self.values, self.default = dict(sorted(values.items())), default

    def __call__(self, spawner) -> str:
        """The value for the account whose server ``spawner`` starts."""
        return self.values.get(spawner.user.name, self.default)

    def __repr__(self) -> str:
        return f"PerAccount({self.values!r}, {self.default!r})"


class CourseOf:
    """Each account's course id (``Spawner.environment`` calls it with the spawner of the server
    it starts), read from the hub's cohorts file at that moment: a learner whose account their
    cohort's trainer has just made from the dashboard (``practice_lab.hub_accounts_service``)
    starts in that cohort without the hub restarting. Anyone in no cohort is in the default
    course. Its ``repr`` is the expression that makes it again, so the hub's config can hold it."""

    def __init__(self, state: str):
        self.state = state

    def __call__(self, spawner) -> str:
        """The course of the account whose server ``spawner`` starts."""
        return cohort_of(Path(self.state), spawner.user.name) or COURSE_ID

    def __repr__(self) -> str:
        return f"CourseOf({self.state!r})"


def cohort_of(state: Path, account: str) -> str | None:
    """The named cohort ``account`` (a learner or a trainer) is in, None if in none."""
    for course, people in load(state).items():
        if account in people["learners"] or account in people["trainers"]:
            return course
    return None
