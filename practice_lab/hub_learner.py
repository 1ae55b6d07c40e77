"""A learner's server on the hub: prepare their folder, then run JupyterHub's single-user server.
(A trainer's server starts here too and goes on in ``practice_lab.hub_trainer``.)

The hub starts this as the learner's own Unix account (``Spawner.cmd``). It fetches every module
the trainer has released from the shared exchange (a learner's server never releases anything),
adds the lesson pages, the CPD page, the gallery and the course home, and then becomes
``jupyterhub-singleuser`` rooted at the learner's folder, with our locked-down Jupyter config
first on ``JUPYTER_CONFIG_PATH`` (set by the hub, see ``practice_lab.hub``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from course_model import workspace
from practice_lab.hub_cohorts import COURSE_ENV
from practice_lab.serve import prepare_learner

EXCHANGE_ENV = "PRACTICE_LAB_EXCHANGE"


def become_singleuser(folder: Path, argv: list[str]) -> None:
    """Replace this process with JupyterHub's single-user server, rooted at ``folder``."""
    os.chdir(folder)
    os.execv(  # noqa: S606 - becomes the hub's own single-user server
        sys.executable,
        [sys.executable, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={folder}", *argv],
    )


def main(argv: list[str]) -> None:
    """Prepare this learner's folder (or, for a trainer, their course) for the course the hub
    named, then become the single-user server."""
    from practice_lab import hub_trainer

    account, exchange = os.environ["JUPYTERHUB_USER"], Path(os.environ[EXCHANGE_ENV])
    course = os.environ.get(COURSE_ENV) or workspace.COURSE_ID  # the hub sets each server's own
    if hub_trainer.is_trainer(account):
        hub_trainer.main(exchange, argv, course)
    folder = prepare_learner(workspace.learner_dir(), exchange, account, True, course)
    become_singleuser(folder, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
