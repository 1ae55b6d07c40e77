"""The answers file: every answer a learner gives in one assignment folder, never lost.

One JSON document per assignment folder (``answers.json`` beside the notebooks), so nbgrader's
submit, collect and autograde carry it with the notebook. Each save re-reads the file under an
exclusive lock on the folder, merges in the one exercise that changed (two tabs on one module
cannot erase each other's answers), writes a temporary file, flushes it to disk and
``os.replace``s it, so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course_model.files import locked, remove_stale_temporaries, write_json_atomically

SCHEMA_VERSION = 1
FILE_NAME = "answers.json"
MAX_FILE_BYTES = 2_000_000  # nine reflections at the 20,000-character cap fit many times over


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_answers(folder: Path) -> tuple[dict[str, Any], str | None]:
    """Read a folder's answers without changing anything: ``(answers by exercise id, problem)``.

    A missing file is simply no answers. An unreadable, oversized or malformed file gives no
    answers and a sentence saying what is wrong, for the caller to show.
    """
    path = Path(folder) / FILE_NAME
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return {}, f"{path.name} is larger than {MAX_FILE_BYTES:,} bytes"
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{path.name} cannot be read ({exc.__class__.__name__})"
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {}, f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno})"
    if not isinstance(doc, dict) or not isinstance(doc.get("answers"), dict):
        return {}, f"{path.name} does not hold an 'answers' object"
    if doc.get("schema_version") != SCHEMA_VERSION:
        return (
            {},
            f"{path.name} has schema version {doc.get('schema_version')!r}, expected {SCHEMA_VERSION}",
        )
    answers = {}
    for ex_id, entry in doc["answers"].items():
        if isinstance(entry, dict) and "value" in entry:
            answers[ex_id] = entry["value"]
    return answers, None


def _write(folder: Path, module_id: str, answers: dict[str, Any], saved_at: str) -> None:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "module": module_id,
        "saved_at": saved_at,
        "answers": {k: {"value": v} for k, v in answers.items()},
    }
    write_json_atomically(folder / FILE_NAME, doc)


class AnswersStore:
    """A learner's answers for the assignment in ``folder``.

    Opening the store removes the temporaries interrupted saves left, and sets a corrupt file
    aside as ``answers.corrupt-<timestamp>.json`` (kept for the trainer, never deleted) and
    records ``problem`` for the page to show; saving then starts a fresh file.
    """

    def __init__(self, folder: Path, module_id: str):
        self.folder = Path(folder)
        self.module_id = module_id
        self.path = self.folder / FILE_NAME
        self.problem: str | None = None
        with locked(self.folder):
            # Every save holds this lock while it writes, so any temporary seen now is one an
            # interrupted save left behind.
            remove_stale_temporaries(self.path, older_than=0)
            self.answers = self._read_or_set_aside()

    def _read_or_set_aside(self) -> dict[str, Any]:
        answers, problem = read_answers(self.folder)
        if problem:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = self.folder / f"answers.corrupt-{stamp}.json"
            os.replace(self.path, aside)
            self.problem = (
                f"Your saved answers file could not be read: {problem}. It has been kept as "
                f"{aside.name} for your trainer. Answers you give from now on are saved as usual."
            )
        return answers

    def get(self, exercise_id: str, default: Any = None) -> Any:
        """The saved answer to one exercise, as it was when the store was opened or last saved."""
        return self.answers.get(exercise_id, default)

    def save(self, exercise_id: str, value: Any) -> str:
        """Save one exercise's answer, merged into the file as it is on disk now; returns the time."""
        saved_at = _now()
        with locked(self.folder):
            on_disk = self._read_or_set_aside()
            on_disk[exercise_id] = value
            _write(self.folder, self.module_id, on_disk, saved_at)
            self.answers = on_disk
        return saved_at


BUNDLE_KIND = "practice-lab answers"
MAX_BUNDLE_BYTES = 10 * MAX_FILE_BYTES  # every module's file at its limit fits


def bundle(learner_folder: Path, module_ids: list[str]) -> bytes:
    """Every module's saved answers in one JSON file a learner can keep and load elsewhere
    (``Download my answers`` in the practice edition)."""
    modules = {}
    for module_id in module_ids:
        answers, _ = read_answers(Path(learner_folder) / module_id)
        if answers:
            modules[module_id] = answers
    doc = {"kind": BUNDLE_KIND, "schema_version": SCHEMA_VERSION, "saved_at": _now()}
    doc["modules"] = modules
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def read_bundle(
    data: bytes, name: str, module_ids: list[str]
) -> tuple[dict[str, dict], str | None]:
    """A downloaded answers file checked whole before anything is saved: ``(answers by module,
    problem)``; with a problem, nothing is returned, so nothing already saved is touched.
    Modules this course does not have are left out."""
    if len(data) > MAX_BUNDLE_BYTES:
        return {}, f"{name} is larger than {MAX_BUNDLE_BYTES:,} bytes, so it is not an answers file"
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}, f"{name} is not an answers file from this course (it is not readable JSON)"
    if not isinstance(doc, dict) or doc.get("kind") != BUNDLE_KIND:
        return {}, f"{name} is not an answers file from this course"
    if doc.get("schema_version") != SCHEMA_VERSION or not isinstance(doc.get("modules"), dict):
        return {}, f"{name} is an answers file this version of the course cannot read"
    modules = {}
    for module_id, answers in doc["modules"].items():
        if module_id in module_ids and isinstance(answers, dict):
            modules[module_id] = answers
    return modules, None


def merge_in(folder: Path, module_id: str, loaded: dict[str, Any]) -> None:
    """Save answers loaded from a file over this folder's, exercise by exercise (in one write)."""
    with locked(folder):
        on_disk, _ = read_answers(folder)
        _write(Path(folder), module_id, {**on_disk, **loaded}, _now())
