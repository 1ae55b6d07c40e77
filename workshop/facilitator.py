"""The facilitator's page: open prompts, watch answers arrive, review typed answers, and show
the room an aggregate once enough people have answered.

It opens only with the facilitator key printed in the terminal; until then no other control
exists in the kernel. It polls the store every half second and redraws only what changed.

Typed answers are moderated: each arrives "not on screen yet"; the facilitator reads them in the
review list (left out in *Present* mode), hides any that identify someone, and puts the rest on
screen. A hidden answer is never shown or exported, even if its writer edits it. Below the
threshold only the number of answers is shown, to the facilitator too. A prompt this page has on
screen while it is open for answers is recorded as shown: the summary keeps only those.
"""

from __future__ import annotations

import base64
import json

import ipywidgets as W
from IPython.display import display

from widgets.base import button, close_all, escape
from workshop import charts, summary, ui
from workshop.prompts import KINDS, TEXT_KINDS, heading
from workshop.results import Tally, tally
from workshop.session import Session, grouped
from workshop.store import HIDDEN, NEW, SHOWN, Answer

POLL_SECONDS = 0.5
STATUS_WORDS = {NEW: "Not on screen yet", SHOWN: "On screen", HIDDEN: "Hidden: never shown"}


def _table(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="pl-ws-table"><tr>{head}</tr>{body}</table>'


def counts_html(t: Tally) -> str:
    """The tally as a table of counts (what the chart shows, in numbers), or '' for text."""
    prompt = t.prompt
    if prompt["kind"] == "poll":
        rows = [[o["label"], t.counts[o["id"]]] for o in prompt["options"]]
        return _table(["Answer", "Number"], rows)
    if prompt["kind"] == "rating":
        table = _table(["Rating", "Number"], [[p, n] for p, n in t.counts.items()])
        return f"{table}<p>Median: {t.median:g}</p>"
    if prompt["kind"] == "sort":
        cats = prompt["categories"]
        rows = [
            [f"{i}. {item['text']}", *(t.grid[item["id"]][c["id"]] for c in cats)]
            for i, item in enumerate(prompt["items"], start=1)
        ]
        return _table(["Statement", *(c["label"] for c in cats)], rows)
    return ""


def screen_html(t: Tally) -> str:
    """Typed answers on screen, and the words used in two or more of them."""
    if not t.shown:
        return '<p class="pl-ws-note">No typed answers are on screen.</p>'
    words = ""
    if t.words:
        words = (
            "<p><strong>Words in two or more answers:</strong> "
            + ", ".join(f"{escape(w)} ({n})" for w, n in t.words)
            + "</p>"
        )
    items = "".join(f"<li>{escape(text)}</li>" for text in t.shown)
    return f'{words}<ul class="pl-ws-answers" aria-label="Answers on screen">{items}</ul>'


class FacilitatorPage:
    """The facilitator's page in one kernel: a key gate, then the dashboard."""

    def __init__(self, session: Session):
        self.session = session
        self.store = session.store
        self._key = W.Password(description="Facilitator key", placeholder="XXXX-XXXX-XXXX-XXXX")
        unlock = button("Open the facilitator's page", kind="primary")
        unlock.on_click(self.unlock)
        self._key_msg = W.HTML()
        intro = W.HTML(
            f"<h1>Facilitator: {escape(session.title)}</h1><p>Type the facilitator key printed "
            "in the terminal where you started the session.</p>"
        )
        self.unlocked = False
        self.root = W.VBox([ui.style(), intro, self._key, unlock, self._key_msg])
        self.root.add_class("pl-ws")

    def unlock(self, _=None) -> None:
        """Open the dashboard if the typed key is the session's facilitator key."""
        if self.unlocked:
            return
        if not self.session.accepts_key(self._key.value):
            self._key_msg.value = ui.message(
                "That key does not match. It was printed in the terminal where you started "
                "the session.",
                "problem",
            )
            return
        self.unlocked = True
        self._build()
        ui.every(POLL_SECONDS, self.refresh, self._show_problem)

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        s = self.session
        self.prompts = {p["id"]: p for p in self.store.prompts()}
        self._last: tuple | None = None
        self._shown: set[str] = set()  # prompts this page has recorded as shown to the room
        self._row_of: dict[str, W.HBox] = {}  # review rows by participant token, reused
        self._status_of: dict[str, str] = {}
        self._banner = W.HTML(
            f"<h1>{escape(s.title)}</h1>"
            f'<p class="pl-ws-join-at">Join at <strong>{escape(s.join_url)}</strong></p>'
            f'<p class="pl-ws-join-at">Code <span class="pl-ws-code">{escape(grouped(s.code))}'
            "</span></p>"
        )
        self._joined = W.HTML()
        self._pick = W.Dropdown(
            options=[(heading(p), p["id"]) for p in self.prompts.values()],
            value=self.store.state().open_prompt or next(iter(self.prompts)),
            description="Prompt",
            layout=W.Layout(width="100%"),
        )
        self._pick.observe(lambda _: self.refresh(), names="value")
        open_btn = button("Open for answers", kind="primary")
        open_btn.on_click(lambda _: self._set_open(self._pick.value))
        close_btn = button("Close answers")
        close_btn.on_click(lambda _: self._set_open(None))
        self._present = W.ToggleButton(
            description="Present to the room",
            tooltip="Leave out the review list and the session controls",
        )
        self._present.observe(self._presenting, names="value")
        self._open_now = W.HTML()
        self._question = W.HTML()
        self._count = W.HTML()
        self._count.add_class("pl-ws-count")
        self._held = W.HTML()
        self._chart = W.HTML()
        self._chart.add_class("pl-ws-chart")
        self._numbers = W.HTML()
        self._screen = W.HTML()
        self._screen.add_class("pl-ws-screen")
        self._review = self._review_box()
        self._problem = W.HTML()
        self._footer = self._session_controls()
        results = W.VBox(
            [self._question, self._count, self._held, self._chart, self._numbers, self._screen]
        )
        results.add_class("pl-ws-box")
        self.root.children = (
            ui.style(),
            self._banner,
            self._joined,
            self._pick,
            W.HBox([open_btn, close_btn, self._present]),
            self._open_now,
            self._problem,
            results,
            self._review,
            self._footer,
        )

    def _review_box(self) -> W.VBox:
        """The facilitator's own list of typed answers to read, hide or put on screen."""
        self._review_note = W.HTML()
        self._show_new = button(
            "Put answers on screen", kind="primary", layout=W.Layout()
        )  # shown, hidden
        self._show_new.on_click(self._put_on_screen)
        self._rows = W.VBox()
        self._rows.add_class("pl-ws-review")
        box = W.VBox(
            [
                W.HTML(
                    "<h2>Review typed answers</h2><p>Only you should see this list: use "
                    "<em>Present to the room</em> (or blank the projector) while you read. Hide "
                    "any answer that could identify a family, a colleague or the writer.</p>"
                ),
                self._review_note,
                self._show_new,
                self._rows,
            ]
        )
        box.add_class("pl-ws-box")
        return box

    def _session_controls(self) -> W.VBox:
        export = button("Export summary")
        export.on_click(self._export)
        end = button("End session…", kind="warning")
        yes = button("Yes, end the session", kind="warning")
        no = button("Cancel")
        confirm = W.HBox(
            [
                W.HTML(
                    "Ending closes answering for good and the code stops working. "
                    "The summary is exported."
                ),
                yes,
                no,
            ],
            layout=W.Layout(display="none"),
        )
        end.on_click(lambda _: setattr(confirm.layout, "display", None))
        no.on_click(lambda _: setattr(confirm.layout, "display", "none"))
        yes.on_click(lambda _: self._end(confirm))
        self._footer_msg = W.HTML()
        box = W.VBox([W.HBox([export, end]), confirm, self._footer_msg])
        box.add_class("pl-ws-box")
        return box

    # -- actions -----------------------------------------------------------------------------

    def _set_open(self, prompt_id: str | None) -> None:
        self.store.open_prompt(prompt_id)
        self.refresh()

    def _presenting(self, change) -> None:
        self._footer.layout.display = "none" if change["new"] else None
        self._last = None  # redraw: the review list shows or goes with the mode
        self.refresh()

    def _clear_review(self) -> None:
        """Forget the review rows of the prompt viewed before (closing their widgets)."""
        rows = list(self._row_of.values())
        self._row_of, self._status_of = {}, {}
        self._rows.children = ()
        for row in rows:
            close_all(row)

    def _put_on_screen(self, _=None) -> None:
        self.store.show_new(self._pick.value)
        self.refresh()

    def _set_status(self, token: str, status: str) -> None:
        self.store.set_status(self._pick.value, token, status)
        self.refresh()

    def _export(self, _=None) -> None:
        path = summary.export(self.session)
        self._footer_msg.value = ui.message(
            f"Summary written to {path}, and as a PDF to {path.with_suffix('.pdf')}", "ok"
        )

    def _end(self, confirm: W.HBox) -> None:
        confirm.layout.display = "none"
        self.store.end()
        path = summary.export(self.session)
        self._footer_msg.value = ui.message(
            f"The session has ended and the code no longer works. Summary: {path} "
            f"(PDF: {path.with_suffix('.pdf')}). "
            "The server stops by itself.",
            "ok",
        )
        self.refresh()

    def _show_problem(self, text: str) -> None:
        self._problem.value = ui.message(text, "problem")

    # -- live view ---------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Bring the page up to date with the store; redraw results only when answers changed.
        Returns False (stop polling) once the session has ended."""
        state = self.store.state()
        self._problem.value = ""
        people = "person has" if state.participants == 1 else "people have"
        self._joined.value = f'<p class="pl-ws-note">{state.participants} {people} joined.</p>'
        if state.ended:
            self._open_now.value = ui.message("The session has ended.", "ok")
        elif state.open_prompt:
            number = state.open_prompt[1:]
            self._open_now.value = ui.message(f"Open for answers now: prompt {number}.", "ok")
        else:
            self._open_now.value = ui.message(
                "No prompt is open: participants see “Waiting for the facilitator”."
            )
        prompt = self.prompts[self._pick.value]
        if prompt["id"] == state.open_prompt and prompt["id"] not in self._shown:
            self.store.mark_shown(prompt["id"])  # on screen while open: the summary keeps it
            self._shown.add(prompt["id"])
        answers = self.store.answers(prompt["id"])
        signature = (
            prompt["id"],
            tuple(sorted((a.token, json.dumps(a.value), a.status) for a in answers)),
        )
        if signature != self._last:
            if self._last is None or self._last[0] != prompt["id"]:
                self._clear_review()
            self._last = signature
            self._render(tally(prompt, answers, self.session.min_answers))
        return not state.ended

    def _render(self, t: Tally) -> None:
        prompt, least = t.prompt, self.session.min_answers
        title = f"<strong>{escape(prompt['title'])}</strong><br>" if prompt.get("title") else ""
        kind = f"Prompt {prompt['id'][1:]} · {KINDS[prompt['kind']]}"
        self._question.value = (
            f'<div class="pl-ws-question"><span class="pl-ws-kind">{escape(kind)}</span>'
            f"<p>{title}{escape(prompt['text'])}</p></div>"
        )
        typed = prompt["kind"] in TEXT_KINDS
        self._review.layout.display = "none" if self._present.value or not typed else None
        if not t.visible:
            self._held.value = ui.message(
                f"Results appear when at least {least} people have answered "
                f"({t.total} so far). Small numbers can identify people."
            )
            self._chart.value = self._numbers.value = self._screen.value = ""
            self._review_note.value = ui.message(
                f"Typed answers appear here once {least} people have answered."
            )
            self._clear_review()
            self._show_new.layout.display = "none"
        else:
            self._render_results(t, typed)
        noun = "answer" if t.total == 1 else "answers"  # last: when it changes, all is drawn
        self._count.value = f'<span data-count="{t.total}"><strong>{t.total}</strong> {noun}</span>'

    def _render_results(self, t: Tally, typed: bool) -> None:
        self._held.value = ""
        png = charts.chart_png(t)
        self._chart.value = (
            f'<img alt="{escape(charts.alt_text(t))}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode()}">'
            if png
            else ""
        )
        self._numbers.value = counts_html(t)
        self._screen.value = screen_html(t) if typed else ""
        if typed:
            self._render_review(t.review)

    def _render_review(self, review: list[Answer]) -> None:
        waiting = sum(1 for a in review if a.status == NEW)
        self._review_note.value = ui.message(
            f"{waiting} answer(s) not on screen yet." if waiting else "Every answer is reviewed."
        )
        self._show_new.description = f"Put {waiting} answer(s) on screen"
        self._show_new.layout.display = None if waiting else "none"
        self._status_of = {a.token: a.status for a in review}
        for answer in review:
            if answer.token not in self._row_of:
                self._row_of[answer.token] = self._review_row(answer.token)
            text, toggle = self._row_of[answer.token].children
            hidden = answer.status == HIDDEN
            text.value = (
                f'<div class="pl-ws-row{" pl-ws-hidden" if hidden else ""}">'
                f"<strong>{STATUS_WORDS[answer.status]}:</strong> "
                f"{'(hidden)' if hidden else escape(answer.value)}</div>"
            )
            toggle.description = "Show again" if hidden else "Hide"
        self._rows.children = [self._row_of[a.token] for a in review]

    def _review_row(self, token: str) -> W.HBox:
        """One answer's row in the review list; the button hides it or brings it back."""
        toggle = button("Hide")
        toggle.on_click(
            lambda _: self._set_status(
                token, NEW if self._status_of.get(token) == HIDDEN else HIDDEN
            )
        )
        return W.HBox([W.HTML(layout=W.Layout(flex="1 1 auto")), toggle])


def facilitator_page() -> FacilitatorPage:
    """Show the facilitator's page for the session this kernel's folder belongs to."""
    page = FacilitatorPage(Session.for_page())
    display(page.root)
    return page
