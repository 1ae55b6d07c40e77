"""Benchmark: from a participant's answer to the facilitator's page, with 100 participants at once,
with the answers in a SQLite file and then on a PostgreSQL server, side by side.

Starts the real `practice-lab workshop start` on a free port (the second time with `--db` on a
throwaway PostgreSQL server, started as the tests start theirs) and opens the facilitator's page
in headless Chromium. For each of three prompts (a reflection, a poll and a rating), 100 threads
join and then answer through the store API at random moments within a few seconds, as a room
does. A MutationObserver in the page records when the answer count changes; the k-th answer to
be stored is on the dashboard when the count first reaches k. Prints the median, p95 and worst
time from sending to showing for each store, against the 2 s target, and PostgreSQL's p95 as a
multiple of SQLite's.
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect, sync_playwright

from practice_lab import postgres
from tests.fixtures_browser import CHROMIUM, CHROMIUM_ARGS
from tests.processes import stop
from tests.workshop_server import start_workshop
from workshop.session import Session

PARTICIPANTS, SPREAD_S, TARGET_S = 100, 6.0, 2.0
ROUNDS = [
    (3, "p4", lambda n: f"answer {n}"),
    (1, "p2", lambda n: f"o{n % 3 + 1}"),
    (0, "p1", lambda n: n % 5 + 1),
]
OBSERVE = """() => {
  window.__counts = [];
  const target = document.querySelector('.pl-ws-count');
  const note = () => window.__counts.push([Date.now() / 1000, target.textContent]);
  new MutationObserver(note).observe(target, {subtree: true, childList: true, characterData: true});
}"""


def answer_round(store, prompt_id: str, value) -> list[tuple[float, float]]:
    """Every participant answers at a random moment; returns (sent, stored) times for each."""
    tokens = [store.join(f"bench page {n}", True) for n in range(PARTICIPANTS)]
    rng = random.Random(prompt_id)  # noqa: S311 - timing jitter, not security
    delays = [rng.uniform(0, SPREAD_S) for _ in tokens]
    times: list[tuple[float, float]] = []
    lock = threading.Lock()
    begin = time.time() + 0.5

    def one(n: int) -> None:
        time.sleep(max(0.0, begin + delays[n] - time.time()))
        sent = time.time()
        store.answer(prompt_id, tokens[n], value(n))
        with lock:
            times.append((sent, time.time()))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(PARTICIPANTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def latencies(times: list[tuple[float, float]], seen: list[tuple[float, str]]) -> list[float]:
    """For the k-th answer stored, the time from its sending until the page first showed k."""
    shown = [(at, int(re.match(r"\d+", text).group(0))) for at, text in seen if text[:1].isdigit()]
    result = []
    for k, (sent, _stored) in enumerate(sorted(times, key=lambda t: t[1]), start=1):
        first = min(at for at, count in shown if count >= k)
        result.append(first - sent)
    return result


def run(db_url: str = "") -> tuple[list[float], list[float]]:
    """One workshop served for real, its answers in ``db_url`` ("": the session folder's SQLite
    file): every answer's latency from sending to the facilitator's page, and to being stored."""
    home = Path(tempfile.mkdtemp(prefix="bench-workshop-"))
    proc, server = start_workshop(home, db_url=db_url)
    server["url"] = server["base"] + "facilitator.ipynb"
    store = Session.load(server["folder"]).store
    all_latencies: list[float] = []
    writes: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(server["url"])
            page.get_by_label("Facilitator key").fill(server["key"])
            page.get_by_role("button", name="Open the facilitator's page").click()
            expect(page.locator(".pl-ws-count")).to_be_visible(timeout=60_000)
            for index, prompt_id, value in ROUNDS:
                page.get_by_label("Prompt").select_option(index=index)
                page.get_by_role("button", name="Open for answers").click()
                expect(page.locator(".pl-ws-count")).to_have_text("0 answers", timeout=10_000)
                page.evaluate(OBSERVE)
                times = answer_round(store, prompt_id, value)
                expect(page.locator(".pl-ws-count")).to_have_text(
                    f"{PARTICIPANTS} answers", timeout=30_000
                )
                all_latencies += latencies(times, page.evaluate("window.__counts"))
                writes += [stored - sent for sent, stored in times]
            browser.close()
    finally:
        stop(proc)
        shutil.rmtree(home, ignore_errors=True)
    return all_latencies, writes


def p95(values: list[float]) -> float:
    """The 95th percentile of ``values``."""
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    """Run the benchmark on both stores and print their figures side by side."""
    results = {"SQLite file": run()}
    with postgres.temporary() as url:
        results["PostgreSQL"] = run(url)
    print(
        f"Workshop: answer -> facilitator's page, {PARTICIPANTS} concurrent participants x "
        f"{len(ROUNDS)} prompts (target: p95 <= {TARGET_S:.0f} s)"
    )
    for name, (values, writes) in results.items():
        print(
            f"  {name:<12} {len(values)} answers: median {statistics.median(values):.2f} s, "
            f"p95 {p95(values):.2f} s, worst {max(values):.2f} s "
            f"(of which storing: median {statistics.median(writes):.3f} s, p95 {p95(writes):.3f} s)"
        )
    ratio = p95(results["PostgreSQL"][0]) / p95(results["SQLite file"][0])
    print(f"  PostgreSQL p95 / SQLite p95: {ratio:.2f}")


if __name__ == "__main__":
    main()
