"""What the course's pages import: the learner's pages from ``widgets/``, connected to nbgrader's
exchange from ``grading/`` (the two never import each other; this is where they meet).

Every notebook's first cell imports from here, so a page in Voilà, in JupyterLab or under
nbclient submits and shows feedback through the real exchange.
"""

from __future__ import annotations

from grading import learner_exchange
from widgets import exchange
from widgets.cpd import cpd_record
from widgets.home import course_home
from widgets.page import CoursePage

exchange.connect(learner_exchange)

__all__ = ["CoursePage", "course_home", "cpd_record"]
