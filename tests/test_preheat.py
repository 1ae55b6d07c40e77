"""Loading a learner's page fast and right: the preheated-kernel wait and the figure cache."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from websockets.sync.server import serve

from course_model.answers import FILE_NAME
from practice_lab import serve as course_server
from tests import processes
from tests.conftest import MODULE, answer
from tests.fixtures_browser import free_port
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


def test_a_preheated_page_shows_answers_saved_after_it_was_built(
    voila_query, monkeypatch, tmp_path
):
    """A preheated kernel builds its page before anyone asks for it; answers the learner gave
    meanwhile (in another tab, on another visit) must be what the page shows, untouched."""
    built = page.CoursePage(MODULE, "assessment.ipynb", folder=tmp_path)
    built.header()
    built.exercise("sort_planets")
    built.exercise("exploitable_contradictions")
    sort, multi = built._shown
    assert sort.value == {} and voila_query == []  # built empty, and no learner yet

    monkeypatch.setenv("VOILA_PREHEAT", "False")  # the learner answers on another page
    answer(tmp_path, {"sort_planets": {"s2": "cp"}})
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    on_disk = (tmp_path / FILE_NAME).read_bytes()
    old_controls = sort.controls

    built.finish()  # the learner opens the page
    assert voila_query == ["/base/voila/query/k-1"]
    assert sort.value == {"s2": "cp"} and sort._choices["s2"].value == "cp"
    assert sort._box.children[1] is sort.controls and old_controls.comm is None
    assert multi.value == []
    assert (tmp_path / FILE_NAME).read_bytes() == on_disk  # showing them saved nothing

    sort._choices["s1"].value = "dv"  # and the learner's next change is saved with the rest
    saved = json.loads((tmp_path / FILE_NAME).read_text())["answers"]["sort_planets"]["value"]
    assert saved == {"s1": "dv", "s2": "cp"}


def test_figures_are_drawn_once_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PRACTICE_LAB_HOME", str(tmp_path))
    case = {"title": "Case", "risk_over_time": [{"when": "Month 1", "level": "high", "note": "n"}]}
    first = figures.case_figure("risk", case)
    [svg] = figures.cache_dir().glob("risk_over_time-*.svg")
    assert first == svg.read_bytes() and first.startswith(b"<?xml")

    def no_matplotlib():
        raise RuntimeError("matplotlib imported")

    monkeypatch.setattr(figures, "_pyplot", no_matplotlib)
    assert figures.case_figure("risk", case) == first
    with pytest.raises(RuntimeError, match="matplotlib imported"):
        figures.case_figure("risk", case | {"title": "Changed"})  # new data: drawn anew


PREHEATED_PAGE = "05-risk-and-marac/01-risk-and-marac.ipynb"  # no other test answers it


def pool_fills(log: Path) -> int:
    return log.read_text().count(f"Kernel pool of {PREHEATED_PAGE} is filled")


@pytest.mark.browser
def test_preheated_voila_shows_answers_given_after_its_kernel_built_the_page(server, page):
    """Real Voilà with a preheated kernel for one page, in the learner's served workspace: the
    kernel that serves the reload ran the page before the answer was given, and still shows it."""
    folder = Path(server["home"]) / "learner"
    port, log = free_port(), Path(server["home"]) / "voila-preheated.log"
    pools = {"default": {"pool_size": 0}, PREHEATED_PAGE: {"pool_size": 1}}
    env = course_server.voila_env() | {"PRACTICE_LAB_HOME": str(server["home"])}
    voila = processes.start(
        [
            *course_server.voila_command(folder, port, preheat=True),
            f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        ],
        log,
        lambda: pool_fills(log) >= 1,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/voila/render/{PREHEATED_PAGE}"
        page.goto(url)
        rating = page.locator(".pl-rating input[type=radio]")
        rating.first.wait_for(timeout=90_000)
        deadline = time.monotonic() + 60
        while pool_fills(log) < 2 and time.monotonic() < deadline:  # the replacement kernel…
            time.sleep(0.3)
        assert pool_fills(log) >= 2, log.read_text()[-3000:]
        time.sleep(5)  # …has run the page up to waiting for a learner, long before this answer
        rating.nth(2).check()
        answers = folder / "05-risk-and-marac" / "answers.json"
        deadline = time.monotonic() + 15
        while "confidence_before" not in (answers.read_text() if answers.exists() else ""):
            assert time.monotonic() < deadline, "the answer was never saved"
            time.sleep(0.2)

        page.reload()
        rating.first.wait_for(timeout=90_000)
        assert log.read_text().count("Using pre-heated kernel") == 2
        assert rating.nth(2).is_checked()
    finally:
        processes.stop(voila)


def test_kernels_use_unix_sockets_unless_the_runtime_path_is_too_long(monkeypatch, tmp_path):
    """Kernels started together race for TCP ports; Unix sockets avoid the race where they fit."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/tmp/rt")  # only its length matters here
    assert "--KernelManager.transport=ipc" in course_server.voila_command(tmp_path, 8866)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/tmp/" + "x" * 60)
    assert not any("transport" in arg for arg in course_server.voila_command(tmp_path, 8866))
