"""``practice-lab workshop start``: create a session and serve its two pages with one Voilà.

Voilà runs exactly as for learners (``practice_lab.serve.voila_command`` and ``voila_env``:
sources stripped, tracebacks hidden, kernels that accept widget traffic only, the practice-lab
template with its quick exit), on the session's ``pages/`` folder, bound to 127.0.0.1 unless
``--ip`` says otherwise, under the URL prefix JupyterHub gives a service it starts
(``JUPYTERHUB_SERVICE_PREFIX``, ``/services/workshop/``: Voilà puts it before every link, static
file and API call of its pages; ``practice_lab.hub``), plus one workshop-only option: the request's Cookie header goes into
each page's kernel environment as ``HTTP_COOKIE`` (Voilà's ``http_header_envs``), which is how a
reloaded participant's page finds the token its browser kept (``workshop.participant``). The
session ends on Ctrl+C, on a stop signal, or when the facilitator ends it on the page: answering
closes, the code stops working, Voilà stops and the summary is written.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from practice_lab.serve import voila_command, voila_env
from workshop import prompts, summary
from workshop.session import DEFAULT_MIN_ANSWERS, Session, check_min_answers, grouped

DEFAULT_PORT = 8870
# A participant's reloaded page brings back the token the session issued, in a cookie.
PARTICIPANT_COOKIE = "--VoilaConfiguration.http_header_envs=Cookie"
START_TIMEOUT_S = 90
PREFIX_ENV = "JUPYTERHUB_SERVICE_PREFIX"
END_GRACE_S = 3  # after the end, time for every open page to show "The session has ended"
ANY = {"0.0.0.0", "::", ""}  # noqa: S104 - recognised here, bound only by Voilà when asked


def lan_address() -> str:
    """This machine's address on the local network (what participants' devices connect to).

    Connecting a UDP socket sends nothing; it only asks the system which interface it would use.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            return s.getsockname()[0]
        except OSError:
            return socket.gethostname()


def base_url() -> str:
    """The URL prefix to serve under: the hub service's (JupyterHub passes it to the services it
    starts) or none; always with a slash at each end."""
    inner = os.environ.get(PREFIX_ENV, "").strip("/")
    return f"/{inner}/" if inner else "/"


def _wait_until_up(url: str, proc: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own http:// address
            return True
        except OSError:
            time.sleep(0.3)
    return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def _pause(seconds: float) -> None:
    """Wait a moment; a second Ctrl+C or stop signal cuts it short."""
    try:
        time.sleep(seconds)
    except KeyboardInterrupt:
        return


def _voila(session: Session, port: int, ip: str, log_path: Path) -> subprocess.Popen:
    """Start Voilà on the session's pages, under the prefix, its output in ``log_path``."""
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [
                *voila_command(session.pages, port, ip),
                *("--Voila.port_retries=0", f"--Voila.base_url={base_url()}", PARTICIPANT_COOKIE),
            ],
            # Voilà needs nothing of a hub's (JUPYTERHUB_*), and its kernels must not hold the
            # service's API token.
            env={k: v for k, v in voila_env().items() if not k.startswith("JUPYTERHUB_")},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def start(
    prompt_arg: str,
    port: int = DEFAULT_PORT,
    ip: str = "127.0.0.1",
    min_answers: int = DEFAULT_MIN_ANSWERS,
    db_url: str = "",
    public_url: str = "",
) -> int:
    """Run a workshop session until it ends, its answers in ``db_url`` (a PostgreSQL URL) or
    in the session folder; returns the command's exit code. ``public_url`` is the address
    people reach the server at when it is not this one's (a hub's proxy: ``http://host:8000``)."""
    check_min_answers(min_answers)
    prompt_set = prompts.load(prompt_arg)
    host = lan_address() if ip in ANY else ip
    local = "127.0.0.1" if ip in ANY else ip
    prefix = base_url()
    pages = f"{prefix}voila/render"
    session, key = Session.create(
        prompt_set,
        min_answers,
        join_url=f"{public_url or f'http://{host}:{port}'}{pages}/participant.ipynb",
        db_url=db_url,
    )
    log_path = session.folder / "voila.log"
    proc = _voila(session, port, ip, log_path)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    up = crashed = False
    try:
        up = _wait_until_up(f"http://{local}:{port}{prefix}", proc)
        if not up:
            print(
                f"Voilà did not start on {ip}:{port} (is the port in use? try --port "
                f"{port + 1}). Its log: {log_path}",
                flush=True,
            )
            return 1
        _announce(
            session,
            key,
            f"{public_url or f'http://{local}:{port}'}{pages}/facilitator.ipynb",
            len(prompt_set["prompts"]),
        )
        while proc.poll() is None and not session.store.state().ended:
            time.sleep(1)
        crashed = proc.poll() is not None
    except KeyboardInterrupt:
        pass
    finally:
        session.store.end()
        if up and proc.poll() is None:
            _pause(END_GRACE_S)
        signal.signal(signal.SIGTERM, previous)
        _stop(proc)
    _ended(summary.export(session))
    if crashed:
        print(f"Voilà stopped unexpectedly; its log: {log_path}", flush=True)
    return 1 if crashed else 0


def _ended(written: Path) -> None:
    """Say the session has ended and where its summary is, as Markdown and as PDF."""
    pdf = written.with_suffix(".pdf")
    print(
        f"\nThe session has ended; its code no longer works.\nSummary: {written} (PDF: {pdf})",
        flush=True,
    )


def _announce(session: Session, key: str, facilitator_url: str, count: int) -> None:
    print(
        f"Workshop: {session.title} ({count} prompts from {session.source})\n"
        f"Session folder: {session.folder}\n"
        + (f"Answers: schema {session.db_schema} in {session.db_url}\n" if session.db_url else "")
        + "\n"
        "For participants (put this on the screen):\n"
        f"  Address: {session.join_url}\n"
        f"  Code:    {grouped(session.code)}\n"
        "\n"
        "For you only (do not project this terminal):\n"
        f"  Facilitator page: {facilitator_url}\n"
        f"  Facilitator key:  {key}\n"
        "\n"
        f"Results stay hidden until {session.min_answers} people have answered a prompt.\n"
        "Ctrl+C here, or End session on the facilitator page, ends the session and writes the "
        f"summary to {Path(session.summary_dir) / 'summary.md'}.",
        flush=True,
    )
