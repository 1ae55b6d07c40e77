"""Benchmark: the practice edition (``make lite``) against the served course, side by side.

Prints the static site's size, then the time to interactive of module 02's first lesson page,
cold, in headless Debian Chromium on 127.0.0.1, measured in one run:

- the practice edition served by ``python -m http.server`` (a fresh browser context per load: an
  empty cache, so each load downloads the Pyodide runtime and wheels and starts Python in the
  browser, as a learner's first visit does);
- the same page served by ``make serve``'s Voilà (a fresh browser context per load too, and a new
  kernel per load), in a fresh workspace (~70 s to prepare).

Time to interactive runs from telling the browser to open the page to the first control of the
first exercise being visible and enabled (bench/voila_tti.py's poller). REPS loads of each,
alternating; prints the medians and their ratio beside the target (at most 4x). No assertions.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.voila_tti import EXERCISE, Voila, open_pages
from course_model import workspace
from practice_lab import serve
from tests import lite_site, processes
from tests.fixtures_browser import CHROMIUM, CHROMIUM_ARGS, free_port

REPS = 3
TARGET = 4.0


def cold_load(browser, url: str, port: int | None = None) -> tuple[float, int]:
    """One load in a fresh browser context: (seconds to interactive, requests to other hosts,
    counted when ``port`` names the only host allowed)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    others = lite_site.block_other_hosts(context, port) if port else []
    [(seconds, _page)] = open_pages([context], url, EXERCISE)
    context.close()
    return seconds, len(others)


def run(home: Path) -> None:
    site = lite_site.build()
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"Practice edition: {site} is {size / 1e6:.1f} MB ({size:,} bytes)", flush=True)
    os.environ[workspace.HOME_ENV] = str(home)
    print(f"Preparing the served course's workspace in {home}…", flush=True)
    folder = serve.prepare()
    page = lite_site.first_lesson()
    port = free_port()
    static = lite_site.serve(port, home / "http.log")
    served = Voila(folder, home / "voila.log")
    lite_url = f"http://127.0.0.1:{port}/{page}"
    served_url = served.url + quote(f"{lite_site.MODULE}/{Path(page).stem}.ipynb")
    times: dict[str, list[float]] = {"lite": [], "served": []}
    blocked = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            print(f"{REPS} cold loads of each, alternating…", flush=True)
            for _ in range(REPS):
                seconds, others = cold_load(browser, lite_url, port)
                times["lite"].append(seconds)
                blocked += others
                times["served"].append(cold_load(browser, served_url)[0])
                served.settle()
            browser.close()
    finally:
        served.stop()
        processes.stop(static)
    lite, voila = (statistics.median(times[k]) for k in ("lite", "served"))
    verdict = "meets" if lite / voila <= TARGET else "MISSES"
    print(f"\nModule 02's first lesson page ({page}), time to the first interactive exercise:")
    for name, key, median in (("practice edition", "lite", lite), ("make serve", "served", voila)):
        each = ", ".join(f"{t:.2f}" for t in times[key])
        print(f"  {name}, cold: median {median:.2f} s ({each})")
    print(f"  ratio {lite / voila:.2f}× ({verdict} the {TARGET:.0f}× target)")
    print(f"  requests to other hosts from the practice edition: {blocked}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp))


if __name__ == "__main__":
    main()
