"""The kernel behind a served learner page accepts widget traffic only: code sent to it never runs.

A control message (kernel_info_request) proves the socket and message format work, so the
silence after an execute_request is the kernel refusing code, not a broken test.
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

pytestmark = pytest.mark.browser


def message(msg_type: str, content: dict) -> str:
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "session": uuid.uuid4().hex,
                "username": "learner",
                "version": "5.3",
                "date": datetime.now(UTC).isoformat(),
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def exchange(ws_url: str, code: str, wait: float) -> list[str]:
    conn = await websocket_connect(ws_url)
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


def test_execute_request_over_the_kernel_socket_runs_nothing(server, tmp_path):
    html = (
        urllib.request.urlopen(
            server["url"] + "voila/render/02-three-planets/assessment.ipynb", timeout=120
        )
        .read()
        .decode()
    )
    kernel_id = json.loads(
        re.search(
            r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>',
            html,
            re.S,
        ).group(1)
    )["kernelId"]
    marker = Path(tmp_path) / "code-ran"
    ws_url = f"ws://127.0.0.1:{server['port']}/api/kernels/{kernel_id}/channels"
    code = f"open({str(marker)!r}, 'w').write('x')"
    # Playwright's sync API keeps an event loop running in this thread: talk to the kernel from another.
    with ThreadPoolExecutor(1) as pool:
        seen = pool.submit(asyncio.run, exchange(ws_url, code, wait=6)).result()
    assert "kernel_info_reply" in seen, f"the control message got no reply: {seen}"
    assert "execute_reply" not in seen and "execute_input" not in seen, seen
    assert not marker.exists(), "code sent over the websocket ran in the learner's kernel"
