"""A simulated learner for the hub benchmark: an HTTP client, not a browser.

It does over HTTP what a learner's browser does, in two steps the benchmark times apart:

1. :meth:`Learner.log_in_and_spawn`: the hub's login form with the one-time code, the spawn of
   their server, and the server's own login (JupyterHub's OAuth redirects, which the first visit
   to the home page starts and which end by sending the browser back to it);
2. :meth:`open_home`: the Voilà course home. Voilà runs the page's notebook on the server while
   it answers the GET, so the response is the rendered page (checked: it holds the page's widget
   outputs and its kernel's id, not a spinner). The home is all widgets, whose state lives in the
   kernel: the browser shows nothing until it opens the kernel's websocket and asks for it, so
   this does too (kernel_info, then ipywidgets' control comm: ``request_states`` answered by
   ``update_states``, as ``@jupyter-widgets/base`` does). It skips what follows in a browser:
   one comm per widget and drawing them, which only costs the browser.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from urllib.parse import quote, urljoin

import requests
from requests.cookies import get_cookie_header
from websockets.sync.client import connect

from course_model import workspace
from tests.kernel_socket import kernel_id_in, message

TIMEOUT_S = 900  # a whole room spawning at once on two shared cores is slow
WIDGET_OUTPUT = "application/vnd.jupyter.widget-view+json"
CONTROL = {"target_name": "jupyter.widget.control", "data": {}}


class LoginFailed(RuntimeError):
    """The hub refused the login or the spawn failed; the message says where."""


def _ws_url(http_url: str) -> str:
    return "ws" + http_url.removeprefix("http")


def widget_states(ws_url: str, headers: dict[str, str]) -> int:
    """Open a page's kernel channel as the page's widget manager does and fetch every widget's
    state; returns how many widgets the kernel sent."""
    comm = uuid.uuid4().hex
    with connect(ws_url, additional_headers=headers, open_timeout=60, proxy=None) as ws:
        ws.send(message("kernel_info_request", {}))
        ws.send(message("comm_open", {**CONTROL, "comm_id": comm}, {"version": "1.0.0"}))
        ws.send(message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv(timeout=120))
            data = msg["content"].get("data", {})
            if msg["header"]["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                ws.send(message("comm_close", {"comm_id": comm, "data": {}}))
                return len(data["states"])
    raise TimeoutError(f"no widget state from {ws_url}")


def open_home(session: requests.Session, base: str) -> int:
    """GET the course home under ``base`` (a Voilà server, or a learner's server on the hub),
    check it is the rendered page, then fetch its widgets' state; returns the widget count."""
    page = session.get(f"{base}/voila/render/{workspace.HOME_PAGE}", timeout=TIMEOUT_S)
    if page.status_code != 200 or WIDGET_OUTPUT not in page.text:
        raise LoginFailed(f"{page.url}: {page.status_code}, not the rendered home page")
    channels = f"{base}/api/kernels/{kernel_id_in(page.text)}/channels"
    # The cookies a browser sends there: on a hub, the learner's server's login and its _xsrf
    # (the hub's own cookies carry the same names for other paths).
    cookies = get_cookie_header(session.cookies, requests.Request("GET", channels)) or ""
    xsrf = re.search(r"(?:^|; )_xsrf=([^;]*)", cookies)
    url = f"{_ws_url(channels)}?_xsrf={quote(xsrf.group(1) if xsrf else '')}"
    return widget_states(url, {"Cookie": cookies} if cookies else {})


class Learner:
    """One learner with an account and a one-time code on the hub at ``hub``."""

    def __init__(self, hub: str, name: str, code: str):
        self.hub, self.name, self.code = hub, name, code
        self.session = requests.Session()
        self.server = f"{hub}/user/{name}"
        self.home = f"/user/{name}/voila/render/{workspace.HOME_PAGE}"

    def _log_in(self) -> None:
        form = self.session.get(f"{self.hub}/hub/login", timeout=60)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        sent = self.session.post(
            f"{self.hub}/hub/login",
            data={"username": self.name, "password": self.code, "_xsrf": xsrf and xsrf.group(1)},
            allow_redirects=False,
            timeout=TIMEOUT_S,
        )
        if sent.status_code != 302:
            raise LoginFailed(f"{self.name}: login answered {sent.status_code}")

    def _spawn(self, then: str) -> str:
        """Ask the hub for the server and wait on the pending page until it redirects to it."""
        url = f"{self.hub}/hub/spawn/{self.name}?next={quote(then)}"
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            answer = self.session.get(url, allow_redirects=False, timeout=TIMEOUT_S)
            location = answer.headers.get("Location", "")
            if answer.status_code == 302 and f"/user/{self.name}/" in location:
                return urljoin(url, location)
            if answer.status_code == 302:
                url = urljoin(url, location)  # the spawn-pending page
            elif answer.status_code == 200:
                time.sleep(0.5)  # still pending: ask again, as the page's progress bar does
            else:
                raise LoginFailed(f"{self.name}: spawn answered {answer.status_code} at {url}")
        raise LoginFailed(f"{self.name}: server not ready in {TIMEOUT_S} s")

    def _log_in_to_server(self, url: str) -> None:
        """Follow the server's OAuth login (to the hub and back) until it sends us on to ``url``
        itself: its login cookie is set, and the page is left for :meth:`open_home`."""
        for _ in range(5):
            answer = self.session.get(url, allow_redirects=False, timeout=TIMEOUT_S)
            location = answer.headers.get("Location", "")
            if answer.status_code != 302:
                raise LoginFailed(f"{self.name}: {answer.status_code} at {url} while logging in")
            if "/oauth2/authorize" not in location and "/oauth_callback" not in location:
                return
            url = urljoin(url, location)
        raise LoginFailed(f"{self.name}: the server's login went round in circles")

    def log_in_and_spawn(self) -> float:
        """Log in with the one-time code, start the server, pass its own login; seconds taken."""
        start = time.perf_counter()
        self._log_in()
        self._log_in_to_server(self._spawn(self.home))
        return time.perf_counter() - start

    def open_home(self) -> float:
        """Open the course home on the learner's server; seconds taken."""
        start = time.perf_counter()
        open_home(self.session, self.server)
        return time.perf_counter() - start

    def log_out(self) -> None:
        """Log out: the hub stops the learner's server (``shutdown_on_logout``)."""
        self.session.get(f"{self.hub}/hub/logout", timeout=120)
