"""Grading for the Practice Lab: scoring rules, nbgrader hidden-test helpers, course-directory
wrappers over the real nbgrader commands, and exports."""

import os
import sys
from pathlib import Path

# nbgrader's Gradebook runs the `alembic` command by name; when Python is started by its full path
# (a venv not activated, as in `make`), put that environment's scripts first on PATH.
_scripts = str(Path(sys.executable).parent)
if _scripts not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_scripts, os.environ.get("PATH", "")])
