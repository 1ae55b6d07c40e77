"""The trainer's page on a hub: the cohort's accounts, made from the roster.

On a hub with one-time codes (``practice-lab hub``), the trainer's server is told where the hub's
accounts service listens (``practice_lab.hub_accounts_service``). After every change to the
roster, the page sends it the cohort's ids with the trainer's own server token and shows the
one-time codes of the accounts it made, to hand out once; they are never written to a file on the
server. Off a hub (one machine) there is nobody to make accounts for, and the page says nothing.
"""

from __future__ import annotations

import os
from html import escape

import requests

from practice_lab.hub_accounts import codes_csv
from practice_lab.hub_accounts_service import MAX_ACCOUNTS, NAME, URL_ENV
from widgets.cpd import data_link
from workshop import ui

TIMEOUT_S = 120  # making an account takes a useradd and a bcrypt hash: about 0.2 s each


def on_hub() -> bool:
    """Whether this page runs on a hub whose accounts service makes the cohort's accounts."""
    return bool(os.environ.get(URL_ENV))


def request_accounts(ids: list[str]) -> dict[str, str]:
    """Ask the hub's accounts service for an account for each of ``ids``; ``{id: one-time code}``
    for the accounts it made. Raises RuntimeError with a sentence for the trainer."""
    try:
        reply = requests.post(
            os.environ[URL_ENV] + NAME,
            json={"accounts": ids[:MAX_ACCOUNTS]},
            headers={"Authorization": f"token {os.environ.get('JUPYTERHUB_API_TOKEN', '')}"},
            timeout=TIMEOUT_S,
        )
    except requests.RequestException as exc:
        raise RuntimeError(f"the hub's accounts service did not answer ({exc})") from None
    payload = reply.json() if reply.headers.get("Content-Type") == "application/json" else {}
    if reply.status_code != 200:
        raise RuntimeError(payload.get("error") or f"the accounts service said {reply.status_code}")
    return payload["codes"]


def codes_html(codes: dict[str, str], cohort_size: int) -> str:
    """What the page shows after accounts were made: each new learner's one-time code in a table
    and as a CSV to download, or that everyone already has an account."""
    if not codes:
        return ui.message(f"All {cohort_size} learners in the cohort have an account.", "ok")
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td><code>{escape(code)}</code></td></tr>"
        for name, code in sorted(codes.items())
    )
    return (
        ui.message(f"{len(codes)} new accounts on the hub.", "ok")
        + "<p>Give each learner their one-time code (they log in with their account name and "
        "the code, then choose a password). This is the only time the codes are shown: download "
        "them now.</p>"
        + '<table class="pl-tr-codes"><caption>One-time codes</caption><thead><tr>'
        + '<th scope="col">Account</th><th scope="col">One-time code</th></tr></thead>'
        + f"<tbody>{rows}</tbody></table><p>"
        + data_link("one-time-codes.csv", codes_csv(codes), "text/csv", "Download the codes (CSV)")
        + "</p>"
    )


def make_cohort_accounts(ids: list[str]) -> str:
    """Make accounts for the cohort's ``ids`` on the hub and say what happened, as HTML."""
    try:
        return codes_html(request_accounts(ids), len(ids))
    except RuntimeError as exc:
        return ui.message(f"The learners' accounts were not made: {exc}", "problem")
