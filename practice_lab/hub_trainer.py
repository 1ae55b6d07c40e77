"""A trainer's server on the hub: their dashboard as their home page, formgrader beside it.

The hub starts every server the same way (``practice_lab.hub_learner``); for an account in the
course's trainer group (``TRAINERS_ENV``, set by ``practice_lab.hub``) it comes here instead. The
trainer's course directory is in their own home, on the shared exchange, in shared mode (learners
are other Unix users: ``grading.exchange``). The server is locked down as a learner's is (no
JupyterLab, no terminal, no writes through the file API, widget messages only), with one
difference: nbgrader's formgrader is switched on, so it is served inside the trainer's own server
(``/user/<trainer>/formgrader``) and reachable by nobody else, as nbgrader documents for a hub.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from course_model import workspace
from course_model.files import write_text_atomically
from grading import course_dir
from practice_lab import jupyter_route
from practice_lab.hub_accounts import TRAINERS_ENV
from practice_lab.hub_gradebooks import GRADEBOOK_ENV
from practice_lab.hub_learner import become_singleuser

FORMGRADER = "nbgrader.server_extensions.formgrader"
DASHBOARD = Path(__file__).resolve().parent / "share" / "trainer" / "dashboard.ipynb"


def is_trainer(account: str) -> bool:
    """Whether ``account`` is one of the course's trainers on this hub."""
    return account in os.environ.get(TRAINERS_ENV, "").split(",")


def trainer_config(folder: Path) -> Path:
    """Write the trainer server's Jupyter config into ``folder``: the learners' locked-down
    config with formgrader switched on. Returns the folder."""
    config = json.loads((jupyter_route.CONFIG_DIR / "jupyter_server_config.json").read_text())
    config["ServerApp"]["jpserver_extensions"][FORMGRADER] = True
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomically(folder / "jupyter_server_config.json", json.dumps(config, indent=2))
    return folder


def prepare_trainer(exchange: Path, course_id: str = workspace.COURSE_ID) -> Path:
    """The trainer's course directory for their cohort's course (made on first start), with the
    dashboard as its home page: its releases, gradebook and formgrader are that course's only.
    The gradebook is a SQLite file in the course directory, or the course's database on the
    hub's PostgreSQL when the hub hands one over (``GRADEBOOK_ENV``); a hub moved onto
    PostgreSQL moves the gradebook there at the trainer's next start (with nothing copied)."""
    course = workspace.trainer_dir()
    gradebook = os.environ.get(GRADEBOOK_ENV) or None
    configured = (course / "nbgrader_config.py").exists()
    if not configured or (gradebook and course_dir.db_url(course) != gradebook):
        course_dir.init(course, exchange, db_url=gradebook, shared=True, course_id=course_id)
    shutil.copyfile(DASHBOARD, course / workspace.HOME_PAGE)
    return course


def main(exchange: Path, argv: list[str], course_id: str = workspace.COURSE_ID) -> None:
    """Prepare the trainer's course and config, then become the single-user server."""
    course = prepare_trainer(exchange, course_id)
    config = trainer_config(workspace.root() / "trainer-server-config")
    paths = os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
    others = [p for p in paths if p and Path(p) != jupyter_route.CONFIG_DIR]
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(config), *others])
    become_singleuser(course, argv)  # in the course: formgrader reads nbgrader_config.py there
