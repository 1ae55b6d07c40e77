"""The learner as the course knows them, whatever serves their pages: who they are (an id set
once, and the name they want on CPD records), their written answers, and the lesson pages copied
beside a released module. Nothing here runs nbgrader."""

from __future__ import annotations

import getpass
import json
import os
import shutil
from pathlib import Path

from course_model import content
from course_model.answers import read_answers
from course_model.files import write_json_atomically

LEARNER_ENV = "PRACTICE_LAB_LEARNER"
IDENTITY_FILE = "identity.json"
MAX_NAME = 120


def learner_id() -> str:
    """The id a new learner folder starts with: ``$PRACTICE_LAB_LEARNER`` or the account name."""
    return os.environ.get(LEARNER_ENV) or getpass.getuser()


class ExchangeError(RuntimeError):
    """Submitting or fetching feedback through the course exchange failed."""


class IdentityError(ValueError):
    """The learner's identity file cannot be used; the message says which file and what to do."""


def identity(folder: Path) -> dict[str, str]:
    """The learner's local identity, ``{"id": …, "name": …}``, from ``identity.json`` in their
    folder; empty strings when it has not been set yet."""
    path = Path(folder) / IDENTITY_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"id": "", "name": ""}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IdentityError(
            f"{path} cannot be read ({exc.__class__.__name__}). Delete it and start the course "
            "again: your learner id will be set again and your answers are not affected."
        ) from exc
    if not isinstance(doc, dict) or not all(
        isinstance(doc.get(k, ""), str) for k in ("id", "name")
    ):
        raise IdentityError(
            f"{path} must hold an object with text fields 'id' and 'name'. Delete it and start "
            "the course again: your answers are not affected."
        )
    return {"id": doc.get("id", ""), "name": doc.get("name", "")}


def settle_identity(folder: Path, account: str | None = None) -> str:
    """The learner id for this folder, set once: the stored one, or on first use
    :func:`learner_id`, stored in ``identity.json`` so later sessions submit under the same id.
    On a shared server the id is the learner's ``account`` there, whatever was stored."""
    me = identity(folder)
    if account and me["id"] != account:
        me["id"] = ""
    if not me["id"]:
        me["id"] = account or learner_id()
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_json_atomically(Path(folder) / IDENTITY_FILE, me)
    return me["id"]


def set_name(folder: Path, name: str) -> str:
    """Store the name the learner wants on their CPD records (trimmed, at most 120 characters);
    it never leaves this machine. Returns the name as stored."""
    me = identity(folder)
    me["name"] = " ".join(name.split())[:MAX_NAME]
    write_json_atomically(Path(folder) / IDENTITY_FILE, me)
    return me["name"]


def install_lessons(module_id: str, target: Path) -> None:
    """Copy the module's lesson pages into ``target`` (beside its assessment); no learner data."""
    meta = content.load_module(module_id)
    for page in meta["pages"]:
        if page["kind"] == "lesson":
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(content.module_dir(module_id) / page["file"], target / page["file"])


WRITTEN = ("reflection", "audit")  # the exercise types a learner answers in their own words


def written_answers(
    folder: Path, module_id: str, kinds: tuple[str, ...] = WRITTEN
) -> list[tuple[str, str]]:
    """The learner's written answers in a module as (title, text), in course order: by default
    reflections and rewritten case notes (what the submit check reads for identifying details);
    ``kinds`` narrows it (the CPD record quotes reflections only). Answers to other types are
    choices, never text, so they never appear here, not even by their ids."""
    answers, _ = read_answers(Path(folder) / module_id)
    return [
        (spec["title"], answers[spec_id])
        for spec_id, spec in content.load_exercises(module_id).items()
        if spec["type"] in kinds
        and isinstance(answers.get(spec_id), str)
        and answers[spec_id].strip()
    ]
