"""What the facilitator's and participants' pages share: their styles and a polling loop.

The pages run in Voilà kernels. A page polls the store from a task in the kernel's own asyncio
loop (ipykernel's), so widget updates are sent from the kernel's thread like any other change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import ipywidgets as W

from widgets.base import escape

log = logging.getLogger(__name__)
_TASKS: set[asyncio.Task] = set()  # keep running loops referenced until they finish

STYLE = """<style>
.pl-ws { margin-top: 2.5rem; } /* clear of the quick-exit button on a phone */
.pl-ws h1 { font-size: 1.6rem; margin: 0.2rem 0 0.6rem; }
.pl-ws-box { border: 1px solid #767676; border-radius: 6px; padding: 0.6rem 1rem; margin: 0.8rem 0; }
.pl-ws-question { font-size: 1.15rem; }
.pl-ws-question .pl-ws-kind { color: #3d3d3d; font-size: 0.95rem; font-weight: 400; }
.pl-ws-msg { min-height: 1.5em; }
.pl-ws-ok { color: #1b5e20; font-weight: 700; }
.pl-ws-problem { color: #7a0019; font-weight: 700; }
.pl-ws-note { color: #3d3d3d; }
.pl-ws-join-at { font-size: 1.4rem; }
.pl-ws-code { font-family: monospace; font-size: 2.2rem; letter-spacing: 0.12em; font-weight: 700;
  background: #eef3fa; padding: 0.1rem 0.5rem; border-radius: 4px; }
.pl-ws-count { font-size: 1.3rem; }
.pl-ws-table { border-collapse: collapse; margin: 0.5rem 0; }
.pl-ws-table th, .pl-ws-table td { border: 1px solid #b0b0b0; padding: 0.25rem 0.6rem; text-align: left;
  vertical-align: top; }
.pl-ws-answers { list-style: none; padding: 0; }
.pl-ws-answers li, .pl-ws-row { border-left: 4px solid #1d4f91; background: #f6f8fb; margin: 0.4rem 0;
  padding: 0.4rem 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.pl-ws-row.pl-ws-hidden { border-left-color: #767676; background: #ededed; color: #3d3d3d; }
.pl-ws-chart img { max-width: 100%; height: auto; }
.pl-ws .widget-radio-box label { white-space: normal; height: auto; }
.pl-ws .widget-label { width: auto; min-width: 6rem; }
.pl-ws .widget-button { height: auto; min-height: 2.2em; }
</style>"""


def style() -> W.HTML:
    """The workshop pages' styles, as a widget to put at the top of a page."""
    return W.HTML(STYLE)


REST_SECONDS = 0.1


def every(seconds: float, step: Callable[[], bool | None], on_error: Callable[[str], None]):
    """Call ``step`` now and then every ``seconds`` until it returns False.

    The ``seconds`` run from the start of one step to the start of the next, so a slow step
    (the facilitator's chart, redrawn while answers pour in) does not stretch the time until an
    answer shows by its own length again; between steps the kernel always rests at least
    :data:`REST_SECONDS`, to take the page's own messages. An error is logged and reported
    through ``on_error`` (for a line on the page), and the loop carries on: a database busy for
    a moment must not stop the live view for the session.
    """

    async def loop():
        clock = asyncio.get_running_loop().time
        while True:
            started = clock()
            try:
                if step() is False:
                    return
            except Exception as exc:
                log.exception("workshop page update failed")
                on_error(f"Live updates paused for a moment ({type(exc).__name__}); retrying.")
            await asyncio.sleep(max(REST_SECONDS, seconds - (clock() - started)))

    task = asyncio.get_event_loop().create_task(loop())
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
    return task


def message(text: str, kind: str = "note") -> str:
    """A status line's HTML from plain text (escaped), announced politely to screen readers."""
    role = "alert" if kind == "problem" else "status"
    return f'<p class="pl-ws-msg pl-ws-{kind}" role="{role}">{escape(text)}</p>'
