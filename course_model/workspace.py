"""Where people's data lives: outside the package and the repository, never inside course/.

``$PRACTICE_LAB_HOME`` (or ``--home``) overrides the default ``~/practice-lab``. Inside it:
``trainer/`` is the nbgrader course directory, ``exchange/`` the local exchange folder, and
``learner/`` the learner's copies of released modules with their answers.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "PRACTICE_LAB_HOME"
COURSE_ID = "practice-lab"
HOME_PAGE = "home.ipynb"  # the course home, at the top of the learner's folder
CPD_PAGE = "cpd-record.ipynb"  # one per module folder; the page finds its module from the folder


def _home() -> Path:
    return Path(os.environ.get(HOME_ENV) or Path.home() / "practice-lab").expanduser().resolve()


def root() -> Path:
    """The workspace folder, created on first use."""
    path = _home()
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir(kind: str) -> Path:
    """``<workspace>/cache/<kind>``: what is derived from the course to make pages quicker (drawn
    figures, parsed files); safe to delete. Not created here."""
    return _home() / "cache" / kind


def content_cache(create: bool = False) -> Path | None:
    """The cache where parsed course files are kept as JSON: ``serve`` creates it; None where it
    has not (checks and trainer commands never create it)."""
    path = cache_dir("content")
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path if path.is_dir() else None


def trainer_dir() -> Path:
    """The nbgrader course directory (source, release, submitted, autograded, feedback, gradebook)."""
    return root() / "trainer"


def exchange_dir() -> Path:
    """The local exchange folder that release, fetch, submit and collect pass through."""
    return root() / "exchange"


def learner_dir() -> Path:
    """The learner's folder: one sub-folder per module, each with its notebooks and answers."""
    return root() / "learner"
