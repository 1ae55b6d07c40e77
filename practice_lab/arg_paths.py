"""Paths given on the command line, checked before anything uses them.

A trainer who types a file where a folder belongs, or a folder that does not exist or cannot be
written, gets one line naming the path and what to do (and exit code 2), never a traceback
from deep inside a step that has already half-run. These are ``argparse`` ``type=`` functions:
they raise :class:`PathProblem`, which argparse does not catch, so ``main`` prints it alone.
"""

from __future__ import annotations

import os
from pathlib import Path


class PathProblem(Exception):
    """A path argument that cannot be used; the message names it and says what to do."""


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def folder(text: str) -> Path:
    """A folder to read and write, created later if missing: refused if it is a file, or if it
    (or, when missing, the folder it would be made in) cannot be written."""
    path = Path(text).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise PathProblem(f"{path} is a file, not a folder: give the path of a folder.")
    base = _nearest_existing(path)
    if not base.is_dir():
        raise PathProblem(f"{path} cannot be made: {base} is a file, not a folder.")
    if not os.access(base, os.W_OK | os.X_OK):
        raise PathProblem(
            f"{base} cannot be written by this account: give a folder you can write to."
        )
    return path


def input_file(text: str) -> Path:
    """A file to read: refused if missing, a folder, or unreadable."""
    path = Path(text).expanduser().resolve()
    if not path.exists():
        raise PathProblem(f"{path} does not exist: check the file's name and folder.")
    if path.is_dir():
        raise PathProblem(f"{path} is a folder, not a file: give the path of the file itself.")
    if not os.access(path, os.R_OK):
        raise PathProblem(f"{path} cannot be read by this account: check its permissions.")
    return path


def output_file(text: str) -> Path:
    """A file to write: refused if it is a folder, or if its folder is missing or unwritable."""
    path = Path(text).expanduser().resolve()
    if path.is_dir():
        raise PathProblem(f"{path} is a folder: give the name of a file inside it.")
    if not path.parent.is_dir():
        raise PathProblem(
            f"{path.parent} does not exist: create that folder first, or give another path."
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise PathProblem(
            f"{path.parent} cannot be written by this account: give a folder you can write to."
        )
    return path
