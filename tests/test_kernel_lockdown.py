"""The kernel behind a served learner page accepts widget traffic only: code sent to it never runs.

This holds for each way the course is served: standalone Voilà (`practice-lab serve`) and Voilà
inside a Jupyter server started with our learner config (as on Binder and JupyterHub). A control
message (kernel_info_request) proves the socket and message format work, so the silence after an
execute_request is the kernel refusing code, not a broken test.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from practice_lab import jupyter_route, serve
from tests import processes
from tests.conftest import MODULE
from tests.fixtures_browser import free_port
from tests.kernel_socket import kernel_id_in, send_code

pytestmark = pytest.mark.browser
ASSESSMENT = f"{MODULE}/assessment.ipynb"


@pytest.fixture(scope="module")
def jupyter_server(server):
    """`jupyter server` with the learner config on the folder the `server` fixture prepared."""
    port, token = free_port(), uuid.uuid4().hex
    folder = server["home"] / "learner"
    command = jupyter_route.jupyter_server_command(folder, port, token)
    if os.geteuid() == 0:  # test containers run as root; a learner's server never does
        command.append("--allow-root")
    url = f"http://127.0.0.1:{port}/"
    try:
        proc = processes.start(
            command,
            server["home"] / "jupyter-server.log",
            processes.answers(f"{url}api/status?token={token}"),
            env=jupyter_route.jupyter_server_env(),
            timeout=120,
        )
    except processes.DidNotStart as exc:
        pytest.fail(str(exc))
    yield {"url": url, "port": port, "auth": {"token": token}, "folder": folder}
    processes.stop(proc)


@pytest.fixture(params=["voila", "jupyter-server"])
def served(request):
    """Each way the course is served: its base URL, port and the query that authenticates."""
    if request.param == "voila":
        server = request.getfixturevalue("server")
        return {"url": server["url"], "port": server["port"], "auth": {}}
    return request.getfixturevalue("jupyter_server")


def fetch(served: dict, path: str, **query: str) -> str:
    """The page at ``path`` on a served course, as text."""
    url = f"{served['url']}{path}?{urlencode({**served['auth'], **query})}"
    return urllib.request.urlopen(url, timeout=120).read().decode()


def test_execute_request_over_the_kernel_socket_runs_nothing(served, tmp_path):
    html = fetch(served, f"voila/render/{ASSESSMENT}")
    kernel_id = kernel_id_in(html)
    marker = Path(tmp_path) / "code-ran"
    ws_url = (
        f"ws://127.0.0.1:{served['port']}/api/kernels/{kernel_id}/channels?"
        f"{urlencode(served['auth'])}"
    )
    seen = send_code(ws_url, f"open({str(marker)!r}, 'w').write('x')")
    assert "kernel_info_reply" in seen, f"the control message got no reply: {seen}"
    assert "execute_reply" not in seen and "execute_input" not in seen, seen
    assert not marker.exists(), "code sent over the websocket ran in the learner's kernel"


def test_jupyter_server_route_serves_pages_as_practice_lab_serve_does(jupyter_server):
    """Our template with its quick exit (even asked for another), no sources, no denied extensions."""
    source = (jupyter_server["folder"] / ASSESSMENT).read_text()
    assert "CoursePage(" in source  # so its absence from the page below means stripped sources
    for query in ({}, {"template": "lab"}):
        html = fetch(jupyter_server, f"voila/render/{ASSESSMENT}", **query)
        assert 'id="pl-quick-exit"' in html, f"no quick exit with {query}"
        assert "CoursePage(" not in html, "cell sources reached the page"
        for name in serve.DENYLIST:
            assert f'"name": "{name}"' not in html, f"{name} is loaded in a learner page"


def test_jupyter_server_route_has_no_terminals(jupyter_server):
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(jupyter_server, "api/terminals")
    assert refused.value.code == 404


NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
MODULE_FOLDER = MODULE
# Every verb on every route through which a Jupyter server can change files (issue 17: copying a
# folder with copy_from and creating checkpoints returned 201).
WRITES = [
    ("PUT", "api/contents/evil.ipynb", {"type": "notebook", "content": NOTEBOOK}),
    ("PUT", f"api/contents/{ASSESSMENT}", {"type": "notebook", "content": NOTEBOOK}),
    ("PUT", "api/contents/big.txt", {"type": "file", "format": "text", "content": "x", "chunk": 1}),
    ("PUT", "api/contents/newdir", {"type": "directory"}),
    ("PATCH", f"api/contents/{ASSESSMENT}", {"path": "moved.ipynb"}),
    ("PATCH", f"api/contents/{MODULE_FOLDER}", {"path": "moved"}),
    ("POST", "api/contents/", {"type": "notebook"}),
    ("POST", "api/contents/", {"type": "directory"}),
    ("POST", "api/contents/", {"type": "file", "ext": ".py"}),
    ("POST", "api/contents/", {"copy_from": ASSESSMENT}),
    ("POST", "api/contents/", {"copy_from": MODULE_FOLDER}),
    ("POST", f"api/contents/{MODULE_FOLDER}", {"copy_from": ASSESSMENT}),
    ("DELETE", f"api/contents/{ASSESSMENT}", None),
    ("DELETE", f"api/contents/{MODULE_FOLDER}", None),
    ("POST", f"api/contents/{ASSESSMENT}/checkpoints", None),
    ("POST", f"api/contents/{ASSESSMENT}/checkpoints/checkpoint", None),
    ("DELETE", f"api/contents/{ASSESSMENT}/checkpoints/checkpoint", None),
    ("POST", f"api/contents/{ASSESSMENT}/trust", None),
    ("PUT", f"files/{ASSESSMENT}", {"content": "x"}),
    ("POST", f"files/{ASSESSMENT}", {"content": "x"}),
    ("DELETE", f"files/{ASSESSMENT}", None),
    ("PATCH", f"files/{ASSESSMENT}", {"path": "moved.ipynb"}),
]


def _tree(folder: Path) -> dict[str, tuple]:
    """Every path under ``folder`` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.is_dir(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def test_jupyter_server_route_refuses_every_write_through_every_route(jupyter_server):
    """Otherwise a notebook written through the file API could be opened in Voilà and run."""
    before = _tree(jupyter_server["folder"])
    answered = {}
    for method, path, body in WRITES:
        request = urllib.request.Request(
            f"{jupyter_server['url']}{path}?{urlencode(jupyter_server['auth'])}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
        )
        try:
            answered[(method, path)] = urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as refused:
            answered[(method, path)] = refused.code
    assert {k: v for k, v in answered.items() if v not in (403, 405)} == {}
    assert _tree(jupyter_server["folder"]) == before
    assert fetch(jupyter_server, f"api/contents/{ASSESSMENT}", content="0")  # reading still works
