"""The answers in graded submissions, and the submissions whose answers file cannot be read.

A learner's score for the autograded items is computed from ``answers.json``; when that file is
damaged (a disk fault, an edit by hand, a tampered submission) the score means nothing. The
report and the export therefore never use such a submission quietly: they list it (learner,
module, file, why) and leave it out, so the cohort's figures never shift without the trainer
being told.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_model.answers import FILE_NAME, read_answers
from grading.course_dir import GradingError


@dataclass(frozen=True)
class Unreadable:
    """One graded submission whose answers file cannot be used."""

    learner: str
    module: str
    file: Path
    why: str

    def __str__(self) -> str:
        return f"{self.learner}, {self.module}: {self.file}: {self.why}"


@dataclass
class Collected:
    """Every graded submission's answers, by module then learner, and the unreadable ones."""

    answers: dict[str, dict[str, dict]]
    unreadable: list[Unreadable]

    def left_out(self) -> set[tuple[str, str]]:
        """``(learner, module)`` pairs to leave out of every figure."""
        return {(u.learner, u.module) for u in self.unreadable}


def collect_answers(course: Path, modules: list[str] | None = None) -> Collected:
    """Read each autograded submission's answers once (all modules, or only ``modules``)."""
    answers: dict[str, dict[str, dict]] = {m: {} for m in modules or []}
    unreadable = []
    for folder in sorted((course / "autograded").glob("*/*")):
        learner, module = folder.parent.name, folder.name
        if not folder.is_dir() or (modules is not None and module not in modules):
            continue
        given, problem = read_answers(folder)
        if problem:
            unreadable.append(Unreadable(learner, module, folder / FILE_NAME, problem))
        else:
            answers.setdefault(module, {})[learner] = given
    return Collected(answers, unreadable)


def unreadable_message(unreadable: list[Unreadable], allowed: bool) -> str:
    """What the trainer reads about unreadable submissions, and what to do about them."""
    listed = "\n".join(f"  {u}" for u in unreadable)
    if allowed:
        return f"{len(unreadable)} submission(s) left out, their answers file unreadable:\n{listed}"
    return (
        f"{len(unreadable)} submission(s) have an answers file that cannot be read, so their "
        f"scores cannot be trusted:\n{listed}\nAsk each learner to submit again, then collect and "
        "autograde; or run this again with --allow-unreadable to leave them out. Nothing was written."
    )


class UnreadableSubmissions(GradingError):
    """Raised instead of writing a report or export that would quietly leave submissions out."""


def refuse_unreadable(unreadable: list[Unreadable], allowed: bool) -> None:
    """Stop (nothing written) when there are unreadable submissions and the trainer has not
    said ``--allow-unreadable``."""
    if unreadable and not allowed:
        raise UnreadableSubmissions(unreadable_message(unreadable, allowed=False))
