"""Loading a learner's page fast and right: the preheated-kernel wait and the figure cache."""

from __future__ import annotations

import json
import threading

import pytest
from websockets.sync.server import serve

from widgets import figures, page


@pytest.fixture
def voila_query(monkeypatch):
    """A stand-in for Voilà's request-info socket: sends one request's details, records the path."""
    paths = []

    def handler(ws):
        paths.append(ws.request.path)
        ws.send(json.dumps({"QUERY_STRING": "learner=1", "SCRIPT_NAME": "/voila/render/x.ipynb"}))

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        for name, value in {
            "VOILA_PREHEAT": "True",
            "VOILA_KERNEL_ID": "k-1",
            "VOILA_APP_PORT": str(port),
            "VOILA_SERVER_URL": "/base/",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("QUERY_STRING", raising=False)
        monkeypatch.delenv("SCRIPT_NAME", raising=False)
        yield paths
        server.shutdown()


@pytest.mark.parametrize("value", [None, "False"])
def test_no_wait_outside_a_preheated_kernel(monkeypatch, value):
    """nbclient, nbgrader and plain Voilà (which sets VOILA_PREHEAT=False) never block."""
    if value is None:
        monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    else:
        monkeypatch.setenv("VOILA_PREHEAT", value)
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # nothing listens there: connecting would fail
    assert not page.preheated()
    page.wait_for_learner()


def test_preheated_kernel_waits_for_the_request_once(voila_query, monkeypatch):
    page.wait_for_learner()
    assert voila_query == ["/base/voila/query/k-1"]
    assert page.os.environ["QUERY_STRING"] == "learner=1"
    assert not page.preheated()
    page.wait_for_learner()  # Voilà sends the request once: a second wait must not block
    assert voila_query == ["/base/voila/query/k-1"]


def test_figures_are_drawn_once_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PRACTICE_LAB_HOME", str(tmp_path))
    case = {"title": "Case", "risk_over_time": [{"when": "Month 1", "level": "high", "note": "n"}]}
    first = figures.case_figure("risk", case)
    [png] = figures.cache_dir().glob("risk_over_time-*.png")
    assert first.data == png.read_bytes() and first.format == "png"

    def no_matplotlib():
        raise RuntimeError("matplotlib imported")

    monkeypatch.setattr(figures, "_pyplot", no_matplotlib)
    assert figures.case_figure("risk", case).data == first.data
    with pytest.raises(RuntimeError, match="matplotlib imported"):
        figures.case_figure("risk", case | {"title": "Changed"})  # new data: drawn anew
