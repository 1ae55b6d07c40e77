"""The practice edition (``make lite``) built and served as a council would host it: the static
folder behind ``python -m http.server`` on 127.0.0.1. Used by tests/test_lite.py and bench/lite.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from course_model import content
from tests import processes

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "dist" / "practice-edition"
MODULE = "02-three-planets"


def build() -> Path:
    """``make lite`` (nothing to do when the site is newer than its sources)."""
    subprocess.run(["make", "--no-print-directory", "lite"], cwd=ROOT, check=True)
    return SITE


def serve(port: int, log: Path) -> subprocess.Popen:
    """The built site on http://127.0.0.1:<port>/, by Python's own static file server."""
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    return processes.start(
        [*command, "--directory", str(SITE)], log, processes.answers(f"http://127.0.0.1:{port}/")
    )


def first_lesson(module_id: str = MODULE) -> str:
    """The site's path of a module's first lesson page."""
    page = next(p for p in content.load_module(module_id)["pages"] if p["kind"] == "lesson")
    return f"voici/render/{module_id}/{Path(page['file']).stem}.html"


def block_other_hosts(context, port: int) -> list[str]:
    """Abort every request a browser context makes to any host but the site's; returns the
    list the blocked addresses are recorded in."""
    others: list[str] = []
    here = f"127.0.0.1:{port}"

    def route(r):
        url = urlsplit(r.request.url)
        if url.scheme in ("data", "blob") or url.netloc == here:
            r.continue_()
        else:
            others.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return others
