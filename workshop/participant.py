"""The participant's page: join with the session code, answer the prompt the facilitator has
opened, and see "Sent — thank you".

No name is asked for. A participant is one device: on joining, the store issues a random token,
and the page hands it to the browser, whose template script (``workshop-identity.js`` in the
practice-lab template) keeps it in a cookie for this page's address only. Voilà passes that cookie
to the kernel of a reloaded page (``HTTP_COOKIE``, see ``practice_lab.workshop_server``), which
takes it back only if this session's store issued it: a reload is the same participant, so
sending again replaces their answer, and the rule of five counts people, not page loads. A
forged, stale or malformed cookie is ignored and the code is asked for.

The page never shows anyone else's answers: participants see those only on the facilitator's
screen. No answer controls exist until the code is accepted, and every action is checked again
in the kernel and the store (a widget message can be sent by hand, whatever the page shows).
"""

from __future__ import annotations

import os
import secrets
import time

import ipywidgets as W
from IPython.display import display

from widgets.base import button, close_all, escape
from widgets.choice import scale_options
from widgets.sorting import UNSET, row_dropdowns
from workshop import ui
from workshop.prompts import KINDS, MAX_TEXT, AnswerError
from workshop.session import Session
from workshop.store import TooManyTries

POLL_SECONDS = 1.0
WRONG_CODE_PAUSE_S = 1.0
COOKIE = "pl_ws_participant"  # the name workshop-identity.js stores the token under


def presented_token(cookie_header: str | None = None) -> str | None:
    """The participant token the browser sent with this page's request (Voilà puts the request's
    Cookie header in the kernel's environment), or None. Only a candidate: the store decides.
    Read by hand, not with http.cookies, which stops at the first cookie it cannot parse (one
    another page on this host may have set)."""
    header = os.environ.get("HTTP_COOKIE", "") if cookie_header is None else cookie_header
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name == COOKIE and value:
            return value  # the first is the most specific path's, as browsers send them
    return None


def _question_html(prompt: dict) -> str:
    title = f"<strong>{escape(prompt['title'])}</strong><br>" if prompt.get("title") else ""
    return (
        f'<div class="pl-ws-question"><span class="pl-ws-kind">{escape(KINDS[prompt["kind"]])}'
        f"</span><p>{title}{escape(prompt['text'])}</p></div>"
    )


class ParticipantPage:
    """One participant's page in one kernel."""

    def __init__(self, session: Session, presented: str | None = None):
        self.session = session
        self.store = session.store
        self.client = secrets.token_hex(8)  # this page, for the per-page limit on wrong codes
        self.token: str | None = None
        self.joined = False
        self.prompt: dict | None = None
        self.read_value = lambda: None
        self._code = W.Text(description="Session code", placeholder="e.g. K7M2-QD9X")
        self._join = button("Join", kind="primary")
        self._join.on_click(self.join)
        self._join_msg = W.HTML()
        self._join_box = W.VBox([self._code, self._join, self._join_msg])
        self._status = W.HTML()
        self._question = W.HTML()
        self._controls = W.VBox()
        self._send = button("Send my answer", kind="primary", layout=W.Layout())  # shown, hidden
        self._send.on_click(self.send)
        self._sent = W.HTML()
        self._answer_box = W.VBox(
            [self._status, self._question, self._controls, self._send, self._sent],
            layout=W.Layout(display="none"),
        )
        self._answer_box.add_class("pl-ws-box")
        self._keep = W.HTML(layout=W.Layout(display="none"))  # hands the token to the browser
        self.root = W.VBox(
            [ui.style(), self._intro(), self._join_box, self._answer_box, self._keep]
        )
        self.root.add_class("pl-ws")
        if self.store.knows(presented):  # a reload on a device that has joined: welcome back
            self._enter(presented)

    def _intro(self) -> W.HTML:
        from widgets.page import support_html

        return W.HTML(
            "<h1>Team workshop</h1>"
            "<p>Answer anonymously: you are not asked for your name, and no one sees who wrote "
            "what. Keep any case anonymous too: no names, places, dates or details that could "
            "identify a family or a colleague.</p>"
            "<p>Your answers appear only on the facilitator's screen, and only once at least "
            f"{self.session.min_answers} people have answered.</p>"
            '<details class="pl-content-note"><summary>Support, if you need it</summary>'
            f"{support_html()}</details>"
        )

    def join(self, _=None) -> None:
        """Check the typed code; once it is right, show the open prompt and follow changes.
        Too many wrong codes (from this page or the whole session) pause joining, and the page
        says for how long."""
        if self.joined:
            return
        try:
            token = self.session.join(self._code.value, self.client)
        except TooManyTries as exc:
            self._join_msg.value = ui.message(str(exc), "problem")
            return
        except AnswerError as exc:  # a wrong code, or the session has ended
            time.sleep(WRONG_CODE_PAUSE_S)  # slows guessing: this kernel serves only this page
            self._join_msg.value = ui.message(str(exc), "problem")
            return
        self._enter(token)

    def _enter(self, token: str) -> None:
        """Take part as ``token``: hand it to the browser to keep, show the open prompt and
        follow the facilitator."""
        self.token, self.joined = token, True
        self._keep.value = f'<span class="pl-ws-keep" data-token="{escape(token)}"></span>'
        self._join_box.layout.display = "none"
        self._answer_box.layout.display = None
        self._show(None, "Waiting for the facilitator to open a question…")
        ui.every(POLL_SECONDS, self.refresh, self._show_problem)

    def _show_problem(self, text: str) -> None:
        self._sent.value = ui.message(text, "problem")

    def refresh(self) -> bool:
        """Follow the facilitator: show the newly opened prompt, or the end. False stops polling."""
        state = self.store.state()
        if state.ended:
            self._show(None, "The session has ended. Thank you for taking part.")
            return False
        if (self.prompt or {}).get("id") != state.open_prompt:
            if state.open_prompt:
                self._show(self.store.prompt(state.open_prompt))
            else:
                self._show(None, "Waiting for the facilitator to open a question…")
        return True

    def _show(self, prompt: dict | None, note: str = "") -> None:
        self.prompt = prompt
        self._sent.value = ""
        if prompt is None:
            self._status.value = ui.message(note)
            self._question.value = ""
            self._replace_controls(None)
            self._send.layout.display = "none"
            return
        self._status.value = ui.message("Open for answers now:")
        self._question.value = _question_html(prompt)
        saved = self.store.answer_of(prompt["id"], self.token)
        self._replace_controls(self._build(prompt, saved))
        self._send.layout.display = None

    def _replace_controls(self, controls: W.Widget | None) -> None:
        """Show new answer controls, closing the previous prompt's widgets."""
        old = self._controls.children
        self._controls.children = (controls,) if controls else ()
        for widget in old:
            close_all(widget)

    def _build(self, prompt: dict, saved) -> W.Widget:
        """The controls for one prompt, showing the participant's earlier answer if any."""
        kind = prompt["kind"]
        if kind in ("poll", "rating"):
            if kind == "poll":
                options = [(o["label"], o["id"]) for o in prompt["options"]]
            else:
                options = scale_options(prompt["scale"])
            radio = W.RadioButtons(
                options=options,
                value=saved if saved in [v for _, v in options] else None,
                layout=W.Layout(width="auto"),
            )
            self.read_value = lambda: radio.value
            return radio
        if kind == "sort":
            placed = saved if isinstance(saved, dict) else {}
            choices = row_dropdowns(prompt["items"], prompt["categories"], placed)
            self.read_value = lambda: {k: d.value for k, d in choices.items() if d.value != UNSET}
            return W.VBox(list(choices.values()))
        area = W.Textarea(
            value=saved or "",
            placeholder="Write here. Keep it anonymous: no names, places or dates.",
            description="Your answer",
            layout=W.Layout(width="100%", height="9em"),
        )
        count = W.HTML()

        def counted(_=None):
            n = len(area.value)
            over = " (too long: please shorten it)" if n > MAX_TEXT else ""
            count.value = f'<p class="pl-ws-note">{n:,} of {MAX_TEXT:,} characters{over}</p>'

        area.observe(counted, names="value")
        counted()
        self.read_value = lambda: area.value
        return W.VBox([area, count])

    def send(self, _=None) -> None:
        """Send the answer to the open prompt; the store checks it and that the prompt is open."""
        if not self.joined or self.prompt is None:
            return
        try:
            self.store.answer(self.prompt["id"], self.token, self.read_value())
        except AnswerError as exc:
            self._sent.value = ui.message(str(exc), "problem")
            return
        self._sent.value = ui.message(
            "Sent — thank you. You can change your answer and send it again while this "
            "question is open.",
            "ok",
        )


def participant_page() -> ParticipantPage:
    """Show the participant's page for the session this kernel's folder belongs to, as the
    participant this browser already is if it brought back a token the session issued."""
    page = ParticipantPage(Session.for_page(), presented_token())
    display(page.root)
    return page
