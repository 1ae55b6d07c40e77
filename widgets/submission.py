"""Submit a module to the trainer and read their feedback, without leaving the page.

Submitting runs nbgrader's real submit from the learner's folder, which carries the notebooks and
the answers file to the course exchange. Before it does, the learner's written answers are checked
for details that might identify someone; the learner decides whether to edit or submit anyway.
Feedback is fetched with nbgrader's fetch_feedback once the trainer has released it, and shown in
the course's own design from the feedback document the trainer's side put in nbgrader's page
(``widgets.feedback``). A page with no such document (released before the course wrote one) is
shown as nbgrader made it, in a sandboxed frame that can run no script and load nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import ipywidgets as W

from course_model import learner
from course_model.feedback import embedded
from course_model.learner import ExchangeError
from widgets.base import LIVE, button, escape, lean
from widgets.design import H_SECTION, banner_html, panel_html, warning_html
from widgets.exchange import Exchange
from widgets.feedback import feedback_html
from widgets.privacy import identifying_details

# The feedback page comes from nbconvert; inside the frame it may fetch nothing and run nothing.
# Learners never see code: the cells' sources, prompts and raw score values are hidden; scores,
# answers, rubrics and the trainer's comments stay.
_FRAME_HEAD = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; img-src data:\">"
    "<style>.input_area, .prompt, .output_execute_result, .anchor-link "
    "{ display: none !important; }</style>"
)


def when(moment: datetime) -> str:
    """A time as a person reads it, in this machine's time zone: "14:03 on 24 November 2026"."""
    local = moment.astimezone()
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def feedback_frame(html_page: str, title: str) -> str:
    """An iframe showing a feedback page with scripts and network access switched off."""
    return (
        f'<iframe class="pl-feedback-frame" sandbox="" title="{escape(title)}" '
        f'srcdoc="{escape(_FRAME_HEAD + html_page)}"></iframe>'
    )


def _page_html(page: str, title: str) -> str:
    """One released feedback page as the learner reads it: the course's view of its feedback
    document, or (a page without one) nbgrader's page in a sealed frame."""
    doc = embedded(page)
    return feedback_html(doc) if doc else feedback_frame(page, title)


class SubmitPanel:
    """The end of an assessment page: submit (with a check for identifying details), the time of
    the latest submission, and the trainer's feedback when it has been released."""

    def __init__(self, learner_folder: Path, module_id: str, exchange: Exchange):
        self.exchange = exchange
        self.learner_folder = Path(learner_folder)
        self.module_id = module_id
        self.status = lean(W.HTML, "pl-submit-status", LIVE)
        self.submit_button = button("Submit this module to my trainer", "pl-submit", kind="primary")
        self.anyway_button = button("Submit anyway")
        self.warning = lean(W.HTML)
        # These two are shown and hidden through their own layouts.
        self.confirm = W.VBox([self.warning, self.anyway_button], layout=W.Layout(display="none"))
        self.feedback_button = button(
            "Show my trainer's feedback", layout=W.Layout(display="none")
        )  # until feedback is ready
        self.feedback = lean(W.HTML, "pl-trainer-feedback", LIVE)
        self.submit_button.on_click(lambda _b: self._check_then_submit())
        self.anyway_button.on_click(lambda _b: self._submit())
        self.feedback_button.on_click(lambda _b: self._show_feedback())
        self._refresh()

    def _refresh(self, just_submitted: bool = False) -> None:
        times = self.exchange.submissions(self.learner_folder, self.module_id)
        if times:
            text = f"Submitted at {when(times[-1])}."
            if len(times) > 1:
                text += (
                    f" You have submitted {len(times)} times; your trainer sees only the latest."
                )
            text += " You can submit again at any time: the newest submission replaces the others."
        else:
            text = "Not submitted yet. Your answers are saved on this machine as you go."
        done = panel_html("Module submitted", "Thank you: your trainer has your answers.")
        self.status.value = (done if just_submitted else "") + (f"<p>{escape(text)}</p>")
        ready = bool(times) and self.exchange.feedback_ready(self.learner_folder, self.module_id)
        self.feedback_button.layout.display = "" if ready else "none"

    def _check_then_submit(self) -> None:
        flagged = [
            f"<li>{escape(title)}: {escape(', '.join(found))}</li>"
            for title, text in learner.written_answers(self.learner_folder, self.module_id)
            if (found := identifying_details(text))
        ]
        if not flagged:
            self._submit()
            return
        self.warning.value = banner_html(
            "Before you submit",
            "<p>Some of your writing may identify a real person.</p>"
            f"<ul>{''.join(flagged)}</ul><p>Change names to roles "
            "(\u201cthe mother\u201d, \u201ca colleague\u201d) and remove dates, places and numbers, "
            "then submit. If these are not real details, submit anyway.</p>",
        )
        self.confirm.layout.display = ""

    def _submit(self) -> None:
        self.confirm.layout.display = "none"
        self.submit_button.disabled = True
        self.status.value = "<p>Submitting…</p>"
        try:
            self.exchange.submit(self.learner_folder, self.module_id)
        except ExchangeError:
            self.status.value = warning_html(
                "Your submission did not go through. Your answers are safe on this machine. Try "
                "again in a minute; if it still fails, tell your trainer that nbgrader's submit "
                "failed for this module."
            )
        else:
            self._refresh(just_submitted=True)
        finally:
            self.submit_button.disabled = False

    def _show_feedback(self) -> None:
        self.feedback.value = "<p>Fetching your feedback…</p>"
        try:
            pages = self.exchange.fetch_feedback(self.learner_folder, self.module_id)
        except ExchangeError:
            pages = []
        if not pages:
            self.feedback.value = warning_html(
                "Your feedback could not be fetched. Try again in a minute, or ask your trainer "
                "whether it has been released."
            )
            return
        self.feedback.value = f'<h3 class="{H_SECTION}">Feedback from your trainer</h3>' + "".join(
            _page_html(page.read_text(encoding="utf-8"), f"Feedback: {page.stem}") for page in pages
        )

    def widget(self) -> W.Widget:
        """The panel, ready to display."""
        return lean(
            W.VBox,
            "pl-submit-panel",
            children=[
                lean(W.HTML, value=f'<h2 class="{H_SECTION}">Submit to your trainer</h2>'),
                self.status,
                self.submit_button,
                self.confirm,
                self.feedback_button,
                self.feedback,
            ],
        )
