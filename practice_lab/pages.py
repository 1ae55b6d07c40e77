"""What the course's pages import: the learner's pages from ``widgets/``, connected to nbgrader's
exchange from ``grading/`` (the two never import each other; this is where they meet).

Every notebook's first cell imports from here, so a page in Voilà, in JupyterLab or under
nbclient submits and shows feedback through the real exchange.
"""

from __future__ import annotations

import sys

from widgets.cpd import cpd_record
from widgets.home import course_home
from widgets.page import CoursePage

if sys.platform == "emscripten":  # the practice edition (``make lite``): no server, no exchange
    from practice_lab import lite_pages

    lite_pages.connect()
else:
    from grading import learner_exchange
    from widgets import exchange

    exchange.connect(learner_exchange)

__all__ = ["CoursePage", "course_home", "cpd_record"]
