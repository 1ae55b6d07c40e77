"""The hub's accounts service: a trainer makes learners' accounts from their dashboard.

Making a Unix account needs root, and a trainer's server runs as the trainer. So the hub, which
runs as root, starts this small service beside it (``JupyterHub.services``, as it starts the idle
culler). The trainer's dashboard sends it the ids on the course's roster with the token of the
trainer's own server; the service asks the hub whose token that is, refuses anyone who is not one
of the course's trainers, makes each missing account with a one-time code exactly as
``practice-lab hub accounts`` does, and adds it to the hub's users, so the learner can log in at
once without the hub restarting; a cohort's trainer's learners join that cohort. It listens on
127.0.0.1 only and answers in JSON.
"""

from __future__ import annotations

import json
import os
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import requests

from practice_lab import hub_accounts, hub_cohorts
from practice_lab.hub_accounts import TRAINERS_ENV

NAME = "accounts"
STATE_ENV = "PRACTICE_LAB_HUB_STATE"  # the hub's state folder, where the password file is
URL_ENV = "PRACTICE_LAB_ACCOUNTS_URL"  # where a trainer's dashboard reaches this service
MAX_BODY = 100_000  # bytes: a roster of 500 ids fits many times over
MAX_ACCOUNTS = 500
HUB_TIMEOUT_S = 30


class Refused(Exception):
    """A request the service will not carry out: its HTTP status and a sentence for the trainer."""

    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


def _hub(method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(
        method,
        os.environ["JUPYTERHUB_API_URL"].rstrip("/") + path,
        headers={"Authorization": f"token {token}"},
        timeout=HUB_TIMEOUT_S,
        **kwargs,
    )


def trainer_of(token: str) -> str:
    """The trainer whose server ``token`` belongs to, as the hub says; refused for anyone else."""
    reply = _hub("GET", "/user", token) if token else None
    if reply is None or reply.status_code != HTTPStatus.OK:
        raise Refused(HTTPStatus.FORBIDDEN, "the hub does not know this token: log in again")
    name = reply.json().get("name", "")
    if name not in os.environ.get(TRAINERS_ENV, "").split(","):
        raise Refused(HTTPStatus.FORBIDDEN, f"{name} is not one of the course's trainers")
    return name


def requested_accounts(body: bytes) -> list[str]:
    """The account names in a request's JSON body (``{"accounts": [...]}``), each checked."""
    try:
        names = json.loads(body)["accounts"]
    except (ValueError, KeyError, TypeError):
        raise Refused(HTTPStatus.BAD_REQUEST, 'send JSON: {"accounts": ["id", ...]}') from None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Refused(HTTPStatus.BAD_REQUEST, "accounts must be a list of ids")
    if len(names) > MAX_ACCOUNTS:
        raise Refused(HTTPStatus.BAD_REQUEST, f"at most {MAX_ACCOUNTS} accounts at a time")
    bad = [n[:40] for n in names if not hub_accounts.ACCOUNT.fullmatch(n)]
    if bad:
        raise Refused(HTTPStatus.BAD_REQUEST, hub_accounts.bad_names_message(bad))
    return names


def make_accounts(names: list[str], trainer: str) -> dict[str, str]:
    """Make the missing accounts with one-time codes, in ``trainer``'s cohort when they have one
    (``practice_lab.hub_cohorts``), and let them log in now; ``{name: code}`` for the new ones
    (an account that already has a code or password is left alone)."""
    state = Path(os.environ[STATE_ENV])
    cohort = hub_cohorts.cohort_of(state, trainer)
    try:
        if cohort:
            hub_cohorts.refuse_clashes(state, cohort, names)  # before any account is made
        codes = hub_accounts.make_named_accounts(names, state / hub_accounts.PASSWORDS)
        if cohort:
            hub_cohorts.add(state, cohort, names, [])
    except hub_cohorts.CohortError as exc:
        raise Refused(HTTPStatus.CONFLICT, str(exc)) from None
    if codes:
        added = _hub(
            "POST", "/users", os.environ["JUPYTERHUB_API_TOKEN"], json={"usernames": sorted(codes)}
        )
        if added.status_code not in (HTTPStatus.CREATED, HTTPStatus.CONFLICT):  # 409: all known
            raise Refused(HTTPStatus.BAD_GATEWAY, f"the hub refused the new users: {added.text}")
    return codes


class Handler(BaseHTTPRequestHandler):
    """``POST <prefix>accounts``: make accounts; ``GET <prefix>``: say what this is (the hub
    checks that the service answers there); anything else is not found."""

    def do_GET(self) -> None:
        """Say what the service is for, at its own address; nothing else is here."""
        if urlsplit(self.path).path == os.environ["JUPYTERHUB_SERVICE_PREFIX"]:
            self._answer(HTTPStatus.OK, {"service": "a trainer's dashboard makes accounts here"})
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"error": "no such page"})

    def do_POST(self) -> None:
        """Make the accounts a trainer's dashboard asks for, or say why not."""
        try:
            if urlsplit(self.path).path != os.environ["JUPYTERHUB_SERVICE_PREFIX"] + NAME:
                raise Refused(HTTPStatus.NOT_FOUND, "no such page")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the request is too large")
            token = self.headers.get("Authorization", "").removeprefix("token ").strip()
            trainer = trainer_of(token)
            names = requested_accounts(self.rfile.read(length))
            self._answer(HTTPStatus.OK, {"codes": make_accounts(names, trainer)})
        except Refused as refused:
            self._answer(refused.status, {"error": str(refused)})

    def _answer(self, status: HTTPStatus, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    """Serve on the address the hub gave this service until the hub stops it."""
    address = urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])
    ThreadingHTTPServer((address.hostname, address.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
