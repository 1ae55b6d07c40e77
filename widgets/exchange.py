"""Where a learner's submissions go and their trainer's feedback comes from, as pages see it.

``widgets/`` never imports ``grading/``: what serves the pages connects the real exchange here
(``practice_lab.pages`` connects nbgrader's), and the pages ask :func:`current`. With nothing
connected a page offers no submitting and the home shows no submission status.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol


class Exchange(Protocol):
    """A learner's side of the course exchange; each step raises ``ExchangeError`` on failure."""

    def submit(self, folder: Path, module_id: str) -> datetime: ...

    def submissions(self, folder: Path, module_id: str) -> list[datetime]: ...

    def feedback_ready(self, folder: Path, module_id: str) -> bool: ...

    def fetch_feedback(self, folder: Path, module_id: str) -> list[Path]: ...


_connected: Exchange | None = None


def connect(exchange: Exchange | None) -> None:
    """Use ``exchange`` for every page in this process (None disconnects)."""
    global _connected
    _connected = exchange


def current() -> Exchange | None:
    """The connected exchange, or None."""
    return _connected
