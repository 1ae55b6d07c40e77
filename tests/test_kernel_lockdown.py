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


def test_jupyter_server_route_refuses_writes_through_the_file_api(jupyter_server):
    """Otherwise a notebook saved through /api/contents could be opened in Voilà and run."""
    body = json.dumps(
        {
            "type": "notebook",
            "content": {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
        }
    ).encode()
    for method, path, data in [
        ("PUT", "api/contents/evil.ipynb", body),
        ("DELETE", f"api/contents/{ASSESSMENT}", None),
        ("PATCH", f"api/contents/{ASSESSMENT}", json.dumps({"path": "moved.ipynb"}).encode()),
    ]:
        request = urllib.request.Request(
            f"{jupyter_server['url']}{path}?{urlencode(jupyter_server['auth'])}",
            data=data,
            method=method,
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403, (method, path, refused.value.code)
    assert not (jupyter_server["folder"] / "evil.ipynb").exists()
    assert (jupyter_server["folder"] / ASSESSMENT).exists()
