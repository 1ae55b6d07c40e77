"""Learners' accounts on the hub, made from the trainer's roster.

Each learner is a Unix account (so no learner can read another's folder or submission), with a
home only they can open, and a one-time code stored as the first password in the hub's password
file (``FirstUseAuthenticator``): the trainer hands each learner their code, the learner logs in
with it and then chooses a password at ``/hub/auth/change-password``. Nobody can sign up, and
nobody can claim a learner's account before they do. Making accounts needs root.
"""

from __future__ import annotations

import dbm
import os
import re
import secrets
import subprocess
from pathlib import Path

# A Unix account name that useradd accepts everywhere, and that JupyterHub keeps as it is.
ACCOUNT = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
CODE_SYMBOLS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on paper
CODE_LENGTH = 12
PASSWORDS = "passwords.dbm"  # in the hub's state folder; FirstUseAuthenticator reads it
TRAINERS_ENV = "PRACTICE_LAB_TRAINERS"  # the trainers' accounts, comma-separated, for their servers


class AccountError(ValueError):
    """A roster id cannot be a learner's account; the message names the file and the line."""


def one_time_code() -> str:
    """A code a learner types once: 12 symbols from 31 (about 59 bits), grouped in fours."""
    raw = "".join(secrets.choice(CODE_SYMBOLS) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def account_names(roster: Path) -> list[str]:
    """The roster's learner ids, each checked as a Unix account name."""
    from grading.roster import read_roster

    learners = read_roster(roster)
    bad = [p.id for p in learners if not ACCOUNT.fullmatch(p.id)]
    if bad:
        raise AccountError(f"{roster}: {bad_names_message(bad)}")
    return [p.id for p in learners]


def bad_names_message(bad: list[str]) -> str:
    """Why the ids ``bad`` cannot be accounts, and what an account name may hold."""
    return (
        f"these ids cannot be accounts on the server: {', '.join(bad)}. Use lower-case "
        "letters, digits, - and _, starting with a letter, at most 32 characters."
    )


def _exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def make_account(name: str) -> bool:
    """Create the Unix account ``name`` with a private home (700); False if it already exists."""
    if _exists(name):
        return False
    subprocess.run(
        [
            "useradd",
            "--create-home",
            "--key",
            "HOME_MODE=0700",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],
        check=True,
        capture_output=True,
    )
    return True


def checked(trainers: list[str]) -> list[str]:
    """``trainers``, each checked as an account name (AccountError names the bad ones)."""
    bad = [t for t in trainers if not ACCOUNT.fullmatch(t)]
    if bad:
        raise AccountError(f"these trainers' names cannot be accounts: {', '.join(bad)}")
    return trainers


def make_named_accounts(names: list[str], passwords: Path) -> dict[str, str]:
    """Make the Unix account of each of ``names`` (checked names) that has none, each with a
    one-time code in the hub's ``passwords`` file; returns ``{account: code}`` for the new ones
    (existing accounts and passwords are left alone). Needs root."""
    import bcrypt  # the hub's extra: only a hub makes accounts

    if os.geteuid() != 0:
        raise PermissionError("making accounts needs root: run it with sudo")
    codes: dict[str, str] = {}
    with dbm.open(str(passwords), "c", 0o600) as db:
        for name in names:
            make_account(name)
            if name.encode() in db:
                continue
            codes[name] = one_time_code()
            db[name] = bcrypt.hashpw(codes[name].encode(), bcrypt.gensalt())
    return codes


def accounts(passwords: Path) -> list[str]:
    """The accounts that have a password (or a one-time code) in the hub's ``passwords`` file:
    the only ones allowed to log in."""
    try:
        with dbm.open(str(passwords), "r") as db:
            return sorted(key.decode() for key in db.keys())
    except dbm.error:
        return []  # no accounts yet


def codes_csv(codes: dict[str, str]) -> bytes:
    """The one-time codes as a CSV for the trainer to hand out (one row per learner)."""
    from grading.export import csv_bytes

    return csv_bytes(["account", "one-time code"], sorted(codes.items()))
