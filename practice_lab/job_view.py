"""How the trainer's page shows a background step (``grading.jobs``): a progress bar while it
runs, then its summary and the per-learner problems."""

from __future__ import annotations

import ipywidgets as W

from grading import jobs
from widgets.base import escape
from workshop import ui


def set_html(widget: W.HTML, value: str) -> None:
    """Change an HTML widget only when its text changes (each change is a message to the page)."""
    if widget.value != value:
        widget.value = value


def show_job(
    job: jobs.Job, what: str, progress: W.IntProgress, text: W.HTML, unit: str = "learners"
) -> bool:
    """Show ``job`` (named ``what``, counting ``unit``) in ``progress`` and ``text``; True while
    it is running."""
    running = job.state == jobs.RUNNING
    progress.layout.display = None if running else "none"
    progress.max, progress.value = max(job.total, 1), job.done
    if running:
        count = f" ({job.done} of {job.total} {unit})" if job.total else ""
        shown = ui.message(f"{what}: running{count}. You can close this page.", "note")
    else:
        kind = "ok" if job.state == jobs.DONE else "problem"
        details = "".join(f"\n{line}" for line in job.details)
        shown = (
            f"{ui.message(job.summary, kind)}{f'<pre>{escape(details)}</pre>' if details else ''}"
        )
    set_html(text, shown)
    return running
