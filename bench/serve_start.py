"""Benchmark: the first `practice-lab serve` against Voilà alone serving the same home page.

Measured side by side in one run, ROUNDS times, alternating; each figure runs from starting the
process to the course's home page answering HTTP 200 (Voilà answers once the page's notebook has
run, so this includes a kernel starting and the home page being built):

1. the first `practice-lab serve` in a fresh, empty workspace: it releases every module, fetches
   them into the learner's folder, draws the figures, then starts Voilà;
2. Voilà alone, started with the very command `serve` uses, on the learner's folder that run (1)
   has just prepared. The same server renders the same page from the same files and caches, so
   the difference is exactly what `serve` does first. (A folder holding only a copy of
   course/home.ipynb would make Voilà's page cheaper than the one learners get: it would list no
   fetched module and parse the course's files without the content cache.)

Prints the medians, their ratio and the target (at most 3×). ``--old REV`` also times the first
`practice-lab serve` of a git revision (e.g. the one before a change), once, in the same run.
No assertions: the figures are for reading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_model import workspace
from practice_lab import serve
from tests import processes
from tests.fixtures_browser import free_port

ROUNDS, TARGET = 3, 3.0
ROOT = Path(__file__).resolve().parent.parent


def home_answers(port: int):
    """A readiness check: the server answers, then (one request, however long the page takes to
    build) its home page answers 200."""
    server = processes.answers(f"http://127.0.0.1:{port}/")

    def check() -> bool:
        if not server():
            return False
        url = f"http://127.0.0.1:{port}/voila/render/{workspace.HOME_PAGE}"
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status == 200

    return check


def seconds_to_home(command: list[str], env: dict[str, str], port: int, log: Path) -> float:
    """Seconds from starting ``command`` to its home page answering 200; the server is stopped."""
    start = time.perf_counter()
    proc = processes.start(command, log, home_answers(port), env=env, timeout=600)
    elapsed = time.perf_counter() - start
    processes.stop(proc)
    return elapsed


def first_serve(home: Path, code: Path = ROOT) -> float:
    """The first `practice-lab serve` of the code in ``code`` in the empty workspace ``home``."""
    port = free_port()
    env = dict(os.environ, PRACTICE_LAB_HOME=str(home), PYTHONPATH=str(code))
    command = [sys.executable, "-m", "practice_lab.cli", "serve", "--port", str(port)]
    return seconds_to_home(command, env, port, home.parent / f"{home.name}-serve.log")


def voila_alone(folder: Path, log: Path) -> float:
    """Voilà alone, with `serve`'s command line, on an already prepared learner's folder."""
    port = free_port()
    return seconds_to_home(serve.voila_command(folder, port), serve.voila_env(), port, log)


def old_code(rev: str, into: Path) -> Path:
    """The project's files at git revision ``rev``, exported into ``into``."""
    archive = into / "old.tar"
    subprocess.run(["git", "archive", "-o", str(archive), rev], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "old", filter="data")
    return into / "old"


def main() -> None:
    """Time both starts ROUNDS times, alternating, and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", metavar="REV", help="also time this git revision's first serve")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-start-") as tmp:
        root = Path(tmp)
        os.chdir(root)  # `python -m` looks in the working folder first, before PYTHONPATH
        if args.old:
            print(f"First serve of {args.old} (once)…", flush=True)
            old = first_serve(root / "old-home", old_code(args.old, root))
        served, alone = [], []
        for n in range(ROUNDS):
            print(f"Round {n + 1} of {ROUNDS}: first serve, then Voilà alone…", flush=True)
            home = root / f"home-{n}"
            served.append(first_serve(home))
            alone.append(voila_alone(home / "learner", root / f"voila-{n}.log"))
    first, bare = statistics.median(served), statistics.median(alone)
    verdict = "meets" if first / bare <= TARGET else "MISSES"
    print(f"\nFirst `practice-lab serve` to the home page: {first:.1f} s (median of {ROUNDS})")
    print(f"Voilà alone, same page and folder:           {bare:.1f} s (median of {ROUNDS})")
    print(f"Ratio {first / bare:.2f}× ({verdict} the {TARGET:.0f}× target)")
    if args.old:
        print(f"First serve of {args.old}: {old:.1f} s (once), {old / bare:.2f}× Voilà alone")


if __name__ == "__main__":
    main()
