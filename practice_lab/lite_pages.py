"""The pages' side of the practice edition (``make lite``), running on Pyodide in the browser.

Pages there save answers and CPD drafts into their folder as the served course does: the
folder is JupyterLite's drive, which the browser keeps in its storage for the site (IndexedDB),
so answers survive a reload and are never sent anywhere. Each lesson page offers Download and
Load my answers (``widgets.portable``) to move them to another browser.
"""

from __future__ import annotations

import os
from pathlib import Path

from course_model import workspace
from widgets import portable

CACHE_HOME = Path(__file__).resolve().parent / "_lite_home"


def connect() -> None:
    """Read the figures drawn and the course's files parsed when the site was built (from the
    caches of a workspace in this package), and show the answers panel on lesson pages."""
    os.environ.setdefault(workspace.HOME_ENV, str(CACHE_HOME))
    portable.enable()
