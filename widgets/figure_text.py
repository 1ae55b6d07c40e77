"""What each teaching figure shows, in words: the text alternative a screen reader reads for
it, and for a timeline its events as an ordered list beside it. Built from the same data the
figure is drawn from (widgets/figures.py), so the words cannot drift from the picture."""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

from IPython.display import HTML


def with_alternative(svg: bytes, alt: str, beside: str = "") -> HTML:
    """The figure (an SVG document) with a text alternative saying what it shows (``alt``), and
    ``beside`` it any HTML that gives the same information as text (a list, a table). The SVG
    goes in an ``img`` (as data), where a browser shows it as a picture and runs nothing in it."""
    src = base64.b64encode(svg).decode("ascii")
    return HTML(
        f'<figure class="pl-figure"><img src="data:image/svg+xml;base64,{src}" '
        f'alt="{escape(alt)}">{beside}</figure>'
    )


def _first_names(case: dict) -> dict[str, str]:
    return {p["id"]: p["name"].split()[0] for p in case.get("people", [])} | {
        "professionals": "the professionals"
    }


def _timeline_words(case: dict, title: str) -> tuple[str, str]:
    events = case["chronology"]
    lanes = list(dict.fromkeys(e["agency"] for e in events))
    alt = (
        f"{title}: a timeline of {len(events)} numbered events from {events[0]['when']} to "
        f"{events[-1]['when']}, one lane for each of {len(lanes)} agencies ({', '.join(lanes)}). "
        "The events are listed in order below the figure."
    )
    items = "".join(
        f"<li>{escape(e['when'])}, {escape(e['agency'])}: {escape(e['event'])}</li>" for e in events
    )
    beside = (
        '<details class="govuk-details pl-figure-text"><summary class="govuk-details__summary">'
        '<span class="govuk-details__summary-text">The timeline\'s events in order, as text'
        '</span></summary><div class="govuk-details__text">'
        f'<ol class="govuk-list govuk-list--number">{items}</ol></div></details>'
    )
    return alt, beside


def _web_words(case: dict, title: str) -> tuple[str, str]:
    web, names = case["web_of_control"], _first_names(case)
    targets = list(dict.fromkeys(t["target"] for t in web["tactics"]))
    said = "; ".join(
        f"{names.get(target, target)}: "
        + ", ".join(t["tactic"] for t in web["tactics"] if t["target"] == target)
        for target in targets
    )
    centre = names[web["perpetrator"]]
    return (
        f"{title}: at the centre, {centre}'s choices; around them, whom each tactic targets. {said}.",
        "",
    )


def _risk_words(case: dict, title: str) -> tuple[str, str]:
    said = "; ".join(f"{p['when']}: {p['level']} ({p['note']})" for p in case["risk_over_time"])
    return f"{title}: the assessed risk (standard, medium or high) at each point. {said}.", ""


def _network_words(case: dict, title: str) -> tuple[str, str]:
    net, names = case["support_network"], _first_names(case)

    def ring(phase: str) -> str:
        people = net[phase]
        listed = ", ".join(f"{w['who']} ({w['kind']})" for w in people) or "no one"
        return f"{phase}, {len(people)} to turn to: {listed}"

    who = names.get(net["person"], net["person"])
    return f"{title}: who {who} could turn to; {ring('before')}; {ring('after')}.", ""


DESCRIBE: dict[str, Callable[[dict, str], tuple[str, str]]] = {
    "timeline": _timeline_words,
    "web": _web_words,
    "risk": _risk_words,
    "network": _network_words,
}
