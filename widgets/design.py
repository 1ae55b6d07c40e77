"""The design system's patterns as HTML, in one place: GOV.UK Frontend's warning text,
notification banner, panel and details, and the classes of its type scale and inset text, which
the Voilà template bundles (static/govuk-frontend.css). Pages and widgets say what a thing is (a
problem, a confirmation) and these functions say how it looks. Text passed as ``text``,
``title`` or ``summary`` is escaped here; ``*_html`` arguments are HTML the caller escaped."""

from __future__ import annotations

import base64

from widgets.base import escape

# GOV.UK's type scale: the one title of a page, a section, an item within a section.
H_PAGE, H_SECTION, H_ITEM = "govuk-heading-l", "govuk-heading-m", "govuk-heading-s"
LIST = "govuk-list govuk-list--bullet"
# GOV.UK's inset text: a note set apart from what it sits in (a case is fictional, a comment).
INSET = "govuk-inset-text"


def warning_html(text: str) -> str:
    """A problem the learner must know about, announced at once (role alert): GOV.UK's warning
    text, its "!" icon hidden from screen readers, which hear "Warning:" instead."""
    return (
        '<div class="govuk-warning-text pl-problem" role="alert">'
        '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
        '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">'
        f"Warning: </span>{escape(text)}</strong></div>"
    )


def banner_html(title: str, body_html: str) -> str:
    """GOV.UK's notification banner: a titled box for something the learner must act on before
    going on, announced at once (role alert) as a problem is."""
    return (
        '<div class="govuk-notification-banner pl-problem" role="alert">'
        '<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title">'
        f"{escape(title)}</h2></div>"
        f'<div class="govuk-notification-banner__content">{body_html}</div></div>'
    )


def panel_html(title: str, body_html: str) -> str:
    """GOV.UK's confirmation panel: the one thing a learner has just done, done."""
    return (
        '<div class="govuk-panel govuk-panel--confirmation">'
        f'<h2 class="govuk-panel__title">{escape(title)}</h2>'
        f'<div class="govuk-panel__body">{body_html}</div></div>'
    )


def details_html(summary: str, body_html: str, extra_class: str = "", is_open: bool = False) -> str:
    """GOV.UK's details: a summary line the learner opens for more (the people in a case, a
    document from the file), or closes (the content note, open at first)."""
    return (
        f'<details class="govuk-details {extra_class}"{" open" if is_open else ""}>'
        '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
        f'{escape(summary)}</span></summary><div class="govuk-details__text">{body_html}</div>'
        "</details>"
    )


def data_link(name: str, data: bytes, mime: str, label: str) -> str:
    """A link that saves ``data`` as the file ``name`` through the browser (a data: URL), for
    what must not be left in a file on the server, such as one-time codes."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="pl-download" download="{escape(name)}" '
        f'href="data:{mime};base64,{encoded}">{escape(label)}</a>'
    )
