"""Benchmark: from a participant's answer to the facilitator's page, with 30 participants at once.

Starts the real `practice-lab workshop start` on a free port and opens the facilitator's page in
headless Chromium. For each of three prompts (a reflection, a poll and a rating), 30 threads
join and then answer through the store API at random moments within a few seconds, as a room
does. A MutationObserver in the page records when the answer count changes; the k-th answer to
be stored is on the dashboard when the count first reaches k. Prints the median, p95 and worst
time from sending to showing, against the 2 s target.
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

from tests.fixtures_browser import CHROMIUM, CHROMIUM_ARGS
from tests.processes import stop
from tests.workshop_server import start_workshop
from workshop.session import Session

PARTICIPANTS, SPREAD_S, TARGET_S = 30, 6.0, 2.0
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
    """30 participants answer at random moments; returns (sent, stored) times for each."""
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


def main() -> None:
    """Run the benchmark and print its figures."""
    home = Path(tempfile.mkdtemp(prefix="bench-workshop-"))
    proc, server = start_workshop(home)
    server["url"] = server["base"] + "facilitator.ipynb"
    store = Session.load(server["folder"]).store
    all_latencies: list[float] = []
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
            browser.close()
    finally:
        stop(proc)
        shutil.rmtree(home, ignore_errors=True)
    p95 = statistics.quantiles(all_latencies, n=20, method="inclusive")[18]
    print(
        f"Workshop: answer -> facilitator's page, {PARTICIPANTS} concurrent participants x "
        f"{len(ROUNDS)} prompts ({len(all_latencies)} answers): median "
        f"{statistics.median(all_latencies):.2f} s, p95 {p95:.2f} s, worst "
        f"{max(all_latencies):.2f} s (target: p95 <= {TARGET_S:.0f} s)"
    )


if __name__ == "__main__":
    main()
