"""Benchmark: time to interactive of the heaviest module page vs a one-button notebook in Voilà.

Everything is measured side by side in one run, in headless Debian Chromium against
`practice-lab serve`'s Voilà command on 127.0.0.1, in a fresh workspace:

1. one load of every lesson and assessment page of every module, two more of the three slowest:
   the highest median is "the heaviest page" (the measurement, not a count of exercises, decides);
2. REPS loads of the heaviest page and of a one-button notebook (an ipywidgets Button only),
   alternating, on a plain Voilà (cold: each load starts a kernel) and on a second Voilà started
   with preheated kernels (a pool for those two pages only, filled before the loads);
3. the p95 of CONCURRENT learners (browser contexts) opening the heaviest page at once, cold and
   preheated: one Chromium on this machine plays every learner, so this includes its own work;
4. the memory of the kernel serving each page (USS and PSS; RSS counts shared libraries).

Time to interactive runs from the moment the browser is told to open the page to the moment the
first control of the first exercise (for the one-button notebook: its button) is visible and
enabled, as seen by a poller inside the page, with Voilà's scripts already in the browser's cache
(the first page a learner opens also downloads about 5 MB of them, the same for every page).
Prints medians and the ratios beside the targets (heaviest page at most 1.15x the one-button page
cold, 1.1x preheated; kernel memory at most 1.3x). ``--home DIR`` reuses a workspace instead of
preparing a fresh one (~70 s). No assertions: the figures are for reading.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import nbformat
import psutil
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_model import content, workspace
from practice_lab import serve
from tests import processes
from tests.fixtures_browser import CHROMIUM, CHROMIUM_ARGS, free_port

REPS, CONCURRENT = 5, 20
TARGET_COLD, TARGET_PREHEATED, TARGET_MEMORY = 1.15, 1.1, 1.3
ONE_BUTTON = "one-button.ipynb"
EXERCISE, BUTTON = ".pl-exercise", ".widget-button"
# Polls the page for its first interactive control and records the wall-clock time (ms) it found
# one; runs in every document the browser opens, before the page's own scripts.
READY_POLLER = """
(() => {
  const CONTROLS = "button, input, select, textarea";
  const found = () => {
    const box = document.querySelector(%s);
    if (!box) return false;
    const controls = box.matches(CONTROLS) ? [box] : box.querySelectorAll(CONTROLS);
    return [...controls].some((c) => !c.disabled && c.checkVisibility());
  };
  const timer = setInterval(() => {
    if (found()) {
      window.__ready = performance.timeOrigin + performance.now();
      clearInterval(timer);
    }
  }, 10);
})();
"""


def one_button_notebook(path: Path) -> None:
    """Write the baseline page: one ipywidgets Button and nothing else."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell('import ipywidgets as W\n\nW.Button(description="Go")')],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, path)


def lesson_and_assessment_pages() -> list[str]:
    """Every module's lesson and assessment pages, as paths relative to the learner's folder."""
    return [
        f"{module_id}/{page['file']}"
        for module_id in content.module_ids()
        for page in content.load_module(module_id)["pages"]
        if page["kind"] in ("lesson", "assessment")
    ]


class Voila:
    """`practice-lab serve`'s Voilà command on a free port, in its own process group."""

    def __init__(self, folder: Path, log: Path, *extra: str, preheat: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/voila/render/"
        self.log = log
        self.proc = processes.start(
            [*serve.voila_command(folder, self.port, preheat=preheat), *extra],
            log,
            processes.answers(f"http://127.0.0.1:{self.port}/"),
            env=serve.voila_env(),
            timeout=120,
        )

    def kernels(self) -> dict[str, psutil.Process]:
        """The kernel processes under this Voilà, by kernel id (from their connection file)."""
        found = {}
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                match = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
            except psutil.Error:
                continue
            if match:
                found[match.group(1)] = child
        return found

    def wait_pools(self, notebooks: dict[str, int]) -> None:
        """Wait until Voilà reports each notebook's pool filled, then until the kernels settle."""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            text = self.log.read_text()
            if all(
                f"Kernel pool of {nb} is filled with {n}" in text for nb, n in notebooks.items()
            ):
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"kernel pools not filled:\n{self.log.read_text()[-3000:]}")
        self.settle()

    def settle(self, quiet: float = 10.0) -> None:
        """Wait until Voilà and its kernels are idle (below ``quiet`` % CPU over half a second)."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            procs = [psutil.Process(self.proc.pid), *self.kernels().values()]
            for p in procs:
                p.cpu_percent()
            time.sleep(0.5)
            busy = 0.0
            for p in procs:
                try:
                    busy += p.cpu_percent()
                except psutil.Error:
                    pass
            if busy < quiet:
                return

    def stop(self) -> None:
        """Stop Voilà and its kernels (the whole process group)."""
        processes.stop(self.proc)


def browser_context(browser):
    """One browser context for every load: its HTTP cache keeps Voilà's scripts (about 5 MB, the
    same for every page) after the first load, as for a learner opening a second page."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    # Voilà shuts a page's kernel down when the page is left, with a POST that needs an _xsrf
    # cookie its pages never set (voila#1458): without one every load would leak a kernel.
    context.add_cookies([{"name": "_xsrf", "value": "b3e7c4", "domain": "127.0.0.1", "path": "/"}])
    return context


def open_pages(contexts: list, url: str, selector: str) -> list[tuple[float, object]]:
    """Open ``url`` at once in a tab of each browser context; return each tab's time to
    interactive (s; inf if not interactive within 4 minutes) with the tab, still open."""
    pages = []
    for context in contexts:
        page = context.new_page()
        page.add_init_script(READY_POLLER % json.dumps(selector))
        pages.append(page)
    starts = []
    for page in pages:
        starts.append(time.time() * 1000)
        page.evaluate("url => { window.location.href = url; }", url)
    results = []
    for page, start in zip(pages, starts, strict=True):
        try:
            page.wait_for_function("window.__ready !== undefined", timeout=240_000, polling=50)
            results.append(((page.evaluate("window.__ready") - start) / 1000, page))
        except PlaywrightTimeout:
            results.append((math.inf, page))
    return results


def kernel_id(page) -> str:
    """The id of the kernel serving a Voilà page."""
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def close(page) -> None:
    """Leave the page as a learner would (Voilà shuts its kernel down) and close the tab."""
    page.goto("about:blank")
    page.close()


def load(context, voila: Voila, notebook: str, memory: list | None = None) -> float:
    """One page load's time to interactive; with ``memory``, also append its kernel's memory
    (USS, PSS, RSS in MB) once the page has finished executing."""
    selector = BUTTON if notebook == ONE_BUTTON else EXERCISE
    [(seconds, page)] = open_pages([context], voila.url + quote(notebook), selector)
    if memory is not None:
        page.wait_for_selector("#loading", state="hidden", timeout=120_000)
        voila.settle()
        info = voila.kernels()[kernel_id(page)].memory_full_info()
        memory.append(tuple(x / 2**20 for x in (info.uss, info.pss, info.rss)))
    close(page)
    voila.settle()
    return seconds


def concurrent(browser, voila: Voila, notebook: str) -> list[float]:
    """Times to interactive of CONCURRENT learners opening ``notebook`` at once, each in a browser
    context of their own (a browser opens at most 6 connections to one server: tabs of one
    context would queue behind each other's streaming pages), its cache filled by a first page."""
    contexts = [browser_context(browser) for _ in range(CONCURRENT)]
    for context in contexts:
        load(context, voila, ONE_BUTTON)
    results = open_pages(contexts, voila.url + quote(notebook), EXERCISE)
    for context, (_, page) in zip(contexts, results, strict=True):
        close(page)
        context.close()
    voila.settle()
    return [seconds for seconds, _ in results]


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    return sorted(values)[math.ceil(0.95 * len(values)) - 1]


def ratio_line(name: str, heavy: float, light: float, target: float, unit: str = "s") -> str:
    """One printed comparison: both figures, their ratio and whether it meets the target."""
    ratio = heavy / light
    verdict = "meets" if ratio <= target else "MISSES"
    return (
        f"{name}: heaviest {heavy:.2f} {unit}, one-button {light:.2f} {unit} → {ratio:.2f}× "
        f"({verdict} the {target:.2f}× target)"
    )


def find_heaviest(context, voila: Voila, candidates: list[str]) -> str:
    """The slowest page: one load of each candidate, then two more of the three slowest."""
    print(f"One load of each of {len(candidates)} module pages…", flush=True)
    times = {nb: [load(context, voila, nb)] for nb in candidates}
    top = sorted(times, key=lambda nb: -times[nb][0])[:3]
    for _ in range(2):
        for nb in top:
            times[nb].append(load(context, voila, nb))
    medians = {nb: statistics.median(times[nb]) for nb in top}
    ranked = sorted(medians.items(), key=lambda item: -item[1])
    print("  slowest (median of 3): " + ", ".join(f"{nb} {s:.2f} s" for nb, s in ranked))
    return max(medians, key=medians.get)


def alternate(context, voila: Voila, notebooks: list[str], memory: dict | None = None) -> dict:
    """REPS loads of each notebook, alternating; the times by notebook."""
    times = {nb: [] for nb in notebooks}
    for _ in range(REPS):
        for nb in notebooks:
            times[nb].append(load(context, voila, nb, memory[nb] if memory else None))
    return times


def run(home: Path) -> None:
    """Prepare the workspace in ``home``, measure, and print the figures and ratios."""
    os.environ[workspace.HOME_ENV] = str(home)
    print(f"Preparing the learner's workspace in {home}…", flush=True)
    folder = serve.prepare()
    one_button_notebook(folder / ONE_BUTTON)
    times, crowds = {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser_context(browser)
        cold = Voila(folder, home / "voila-cold.log")
        try:
            load(context, cold, ONE_BUTTON)  # fills the browser's cache and the disk cache
            heaviest = find_heaviest(context, cold, lesson_and_assessment_pages())
            pair = [ONE_BUTTON, heaviest]
            memory = {nb: [] for nb in pair}
            print(f"Cold: {REPS} loads each, alternating…", flush=True)
            times["cold"] = alternate(context, cold, pair, memory)
            print(f"Cold: {CONCURRENT} tabs at once…", flush=True)
            crowds["cold"] = concurrent(browser, cold, heaviest)
        finally:
            cold.stop()
        # A pool holds a kernel for every load of the run: a used kernel is replaced only after
        # fill_delay, and a load that finds the pool's next kernel not started yet waits for it.
        pools = {ONE_BUTTON: 1 + REPS + CONCURRENT + 1, heaviest: REPS + CONCURRENT + 1}
        config = {"default": {"pool_size": 0}} | {nb: {"pool_size": n} for nb, n in pools.items()}
        hot = Voila(
            folder,
            home / "voila-preheated.log",
            f"--VoilaKernelManager.kernel_pools_config={json.dumps(config)}",
            "--VoilaKernelManager.fill_delay=3600",  # no refills competing for the CPU
            preheat=True,
        )
        try:
            print(f"Preheated: filling pools of {sum(pools.values())} kernels…", flush=True)
            hot.wait_pools(pools)
            load(context, hot, ONE_BUTTON)  # a new port: fill the browser's cache again
            print(f"Preheated: {REPS} loads each, alternating…", flush=True)
            times["preheated"] = alternate(context, hot, pair)
            print(f"Preheated: {CONCURRENT} tabs at once…", flush=True)
            crowds["preheated"] = concurrent(browser, hot, heaviest)
        finally:
            hot.stop()
        browser.close()

    print(f"\nHeaviest page (slowest median of 3 loads): {heaviest}")
    for mode, target in (("cold", TARGET_COLD), ("preheated", TARGET_PREHEATED)):
        med = {nb: statistics.median(t) for nb, t in times[mode].items()}
        name = f"time to interactive, {mode}, median of {REPS}"
        print(ratio_line(name, med[heaviest], med[ONE_BUTTON], target))
    for mode, crowd in crowds.items():
        print(
            f"{CONCURRENT} tabs opening the heaviest page at once, {mode}: p95 {p95(crowd):.2f} s "
            f"(median {statistics.median(crowd):.2f} s, max {max(crowd):.2f} s)"
        )
    mem = {nb: [statistics.median(col) for col in zip(*m, strict=True)] for nb, m in memory.items()}
    for i, kind in enumerate(("USS", "PSS", "RSS")):
        name = f"kernel memory ({kind}, median of {REPS})"
        print(ratio_line(name, mem[heaviest][i], mem[ONE_BUTTON][i], TARGET_MEMORY, "MB"))


def main() -> None:
    """Run the benchmark in a fresh temporary workspace, or in ``--home``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--home", help="reuse this workspace (PRACTICE_LAB_HOME) instead of a fresh one"
    )
    args = parser.parse_args()
    if args.home:
        run(Path(args.home).resolve())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp))


if __name__ == "__main__":
    main()
