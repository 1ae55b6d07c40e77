"""Talk to a served page's kernel over its websocket, as an attacker in the browser could.

A control message (kernel_info_request) goes first, so silence after an execute_request means
the kernel refused the code, not that the socket or the message format was wrong.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def kernel_id_in(html: str) -> str:
    """The kernel id Voilà wrote into a rendered page."""
    config = re.search(
        r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>',
        html,
        re.S,
    )
    return json.loads(config.group(1))["kernelId"]


def message(msg_type: str, content: dict, metadata: dict | None = None) -> str:
    """A kernel message for the websocket's JSON protocol, on the shell channel."""
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": uuid.uuid4().hex,
        "username": "learner",
        "version": "5.3",
        "date": datetime.now(UTC).isoformat(),
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def _exchange(ws_url: str, code: str, wait: float, headers: dict | None) -> list[str]:
    conn = await websocket_connect(HTTPRequest(ws_url, headers=headers))
    conn.write_message(message("kernel_info_request", {}))
    conn.write_message(
        message(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
            },
        )
    )
    seen = []
    try:
        while True:
            raw = await asyncio.wait_for(conn.read_message(), timeout=wait)
            if raw is None:
                break
            seen.append(json.loads(raw)["header"]["msg_type"])
    except TimeoutError:
        pass
    conn.close()
    return seen


def send_code(ws_url: str, code: str, wait: float = 6, headers: dict | None = None) -> list[str]:
    """Send a kernel_info_request then ``code`` as an execute_request; the reply types seen.
    ``headers`` go with the websocket's request (a logged-in learner's cookie, through a hub).

    Runs in its own thread: Playwright's sync API keeps an event loop in the test's thread.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _exchange(ws_url, code, wait, headers)).result()
