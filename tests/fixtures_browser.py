"""Browser fixtures: `practice-lab serve` on a free port and headless Debian Chromium."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests import processes

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEUTRAL = "https://www.bbc.co.uk/weather"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`practice-lab serve` on a free port with a fresh workspace; stopped after the tests."""
    home = tmp_path_factory.mktemp("learner-home")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    try:
        proc = processes.start(
            [sys.executable, "-m", "practice_lab.cli", "serve", "--port", str(port)],
            home / "serve.log",
            processes.answers(url),
            env=dict(os.environ, PRACTICE_LAB_HOME=str(home)),
            timeout=400,  # a first start releases every module: minutes on a busy machine
        )
    except processes.DidNotStart as exc:
        pytest.fail(str(exc))
    yield {"url": url, "home": home, "port": port}
    processes.stop(proc)


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    # The neutral site is off this machine's network: answer it locally so navigation completes.
    context.route(
        f"{NEUTRAL}**",
        lambda route: route.fulfill(body="<title>Weather</title>Weather", content_type="text/html"),
    )
    pg = context.new_page()
    dialogs = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def shoot(page, name: str, locator=None) -> None:
    """Keep a screenshot of this step when PRACTICE_LAB_SCREENSHOTS names a folder (README's
    screenshots come from the tests: `make screenshots`)."""
    folder = os.environ.get("PRACTICE_LAB_SCREENSHOTS")
    if folder:
        if locator is not None:
            locator.scroll_into_view_if_needed()
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))
