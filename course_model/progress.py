"""How far a learner has got: which modules are done, the minutes of CPD they add up to, and the
page they last worked on (kept in their folder so the course home can take them back to it).

A module is *done* when the learner has submitted it to their trainer, or, where nobody submits
(the course used alone), when every exercise in it has an answer saved: either way they have
worked through it, so its minutes count as CPD. Nothing here runs nbgrader; whether a module was
submitted is the caller's to say.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

from course_model import content
from course_model.answers import read_answers
from course_model.files import write_json_atomically
from course_model.workspace import CPD_PAGE

LAST_PAGE_FILE = "last-page.json"  # in the learner's folder, beside identity.json: never submitted


def answered(value: object) -> bool:
    """True if a saved answer says something: not missing, not emptied (``""``, ``[]``, ``{}``)."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != [] and value != {}


def all_answered(learner_folder: Path, module_id: str) -> bool:
    """True if every exercise of the module has an answer saved in the learner's copy of it."""
    answers, _ = read_answers(Path(learner_folder) / module_id)
    return all(answered(answers.get(ex_id)) for ex_id in content.load_exercises(module_id))


def cpd_so_far(done: list[str]) -> tuple[int, int]:
    """(modules done, minutes of CPD they add up to) for the ids of the modules done."""
    return len(done), sum(content.load_module(m)["minutes"] for m in done)


def _page_titles(module_id: str) -> dict[str, str]:
    pages = content.load_module(module_id)["pages"]
    return {**{p["file"]: p["title"] for p in pages}, CPD_PAGE: "My CPD record"}


def record_last_page(learner_folder: Path, module_id: str, page_file: str) -> None:
    """Remember the page the learner is working on (atomically; only when it changed, so each
    answer saved costs one read here, not another write). Callers save the answer first; a
    failure here is ignored, as a saved answer must never look unsaved for want of a link."""
    if last_page(learner_folder) == (module_id, page_file):
        return
    doc = {
        "module": module_id,
        "page": page_file,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        write_json_atomically(Path(learner_folder) / LAST_PAGE_FILE, doc)


def last_page(learner_folder: Path) -> tuple[str, str] | None:
    """(module id, page file) of the page the learner last worked on, if it is still a page of
    a course module that the learner has; None if nothing usable is recorded (the file is data:
    anything but a known module's known page is ignored)."""
    try:
        doc = json.loads((Path(learner_folder) / LAST_PAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(doc, dict):
        return None
    module_id, page_file = doc.get("module"), doc.get("page")
    if module_id not in [*content.module_ids(), content.GALLERY]:
        return None
    if page_file not in _page_titles(module_id):
        return None
    if not (Path(learner_folder) / module_id / page_file).exists():
        return None
    return module_id, page_file


def page_title(module_id: str, page_file: str) -> str:
    """What a module's page is called on the course home (the CPD record page included)."""
    return _page_titles(module_id)[page_file]
