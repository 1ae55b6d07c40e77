"""The exercise toolkit learners touch: widgets built from exercise specs, saving every answer."""

from widgets.page import CoursePage

__all__ = ["CoursePage"]
