"""Benchmark: what a cohort costs the server, a learner on the hub against `practice-lab serve`.

Measured side by side in one run, on this machine (run as root: it makes real Unix accounts with
`practice-lab hub accounts`, as tests/hubs.py does, and removes them afterwards):

1. **One person, one machine**: `practice-lab serve`'s Voilà (its very command) on a workspace
   prepared by `serve`, started afresh ROUNDS times; each time the course home is opened once
   over HTTP, as a browser would (``bench/learner_client.py``), and its CPU seconds (Voilà and
   its kernel, from their process times) and memory (Voilà + the page's kernel) are taken.
2. **A cohort on the hub**: a real JupyterHub and proxy, every module released by the trainer.
   FIRST, then N simulated learners (HTTP clients, never browsers: in real use each browser runs
   on its learner's own computer) log in at once with their one-time codes. Each round has two
   phases, all learners together and the next phase only once every learner is through the last,
   so that the server's CPU can be split between them: *spawn* (login, the learner's server
   starting and preparing their folder, its OAuth login) and *open* (the course home, as in 1).
   CPU is the process times of the hub, proxy, culler, every learner's server and kernel, and the
   processes they ran and reaped (``bench/server_costs.py``); memory is one learner's server and
   kernel. The FIRST learners log out (stopping their servers) before the N log in.

Prints per-learner CPU for both phases, wall-time p50/p95 for each round, memory, the learners
per core and per GiB this implies, and each ratio beside its target: page-opening CPU on the hub
at most 1.2× the single user's, memory per learner at most 1.3× the single user's Voilà + kernel.
No assertions: the figures are for reading.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import server_costs
from learner_client import Learner, LoginFailed, open_home
from websockets.exceptions import WebSocketException

from course_model import content, workspace
from practice_lab import serve
from tests import processes
from tests.fixtures_browser import free_port
from tests.hubs import running_hub

ROUNDS, FIRST, LEARNERS = 3, 10, 30
TARGET_CPU, TARGET_MEMORY = 1.2, 1.3
PHASES = ("spawn", "open")


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    return sorted(values)[math.ceil(0.95 * len(values)) - 1]


def single_user_open(folder: Path, log: Path) -> dict:
    """Start `serve`'s Voilà on ``folder``, open the home once; its CPU (s), wall (s), memory."""
    port = free_port()
    proc = processes.start(
        serve.voila_command(folder, port),
        log,
        processes.answers(f"http://127.0.0.1:{port}/"),
        env=serve.voila_env(),
        timeout=300,
    )
    try:
        before = server_costs.cpu_by_role(proc.pid)
        start = time.perf_counter()
        open_home(requests.Session(), f"http://127.0.0.1:{port}")
        wall = time.perf_counter() - start
        cpu = sum(server_costs.cpu_between(before, server_costs.cpu_by_role(proc.pid)).values())
        used = memory(psutil.Process(proc.pid))
    finally:
        processes.stop(proc)
    return {"cpu": cpu, "wall": wall, "memory": used}


def single_user(home: Path) -> list[dict]:
    """`serve`'s preparation in ``home``, then ROUNDS fresh Voilàs each opening the home once."""
    os.environ[workspace.HOME_ENV] = str(home)
    try:
        print(f"Preparing a single user's workspace in {home} (as `make serve` does)…", flush=True)
        folder = serve.prepare()
        runs = []
        for n in range(ROUNDS):
            print(f"Single user {n + 1} of {ROUNDS}: a fresh Voilà opens the home…", flush=True)
            runs.append(single_user_open(folder, home / f"voila-{n}.log"))
    finally:
        del os.environ[workspace.HOME_ENV]  # the hub's learners have workspaces of their own
    return runs


def at_once(learners: list[Learner], step: str) -> dict[str, float | str]:
    """Every learner takes ``step`` (a method name) at the same time; each one's seconds, or
    what went wrong (a spawn that outlasts the hub's start timeout fails, as it would for them)."""

    def take(learner: Learner) -> float | str:
        try:
            return getattr(learner, step)()
        except (LoginFailed, requests.RequestException, OSError, WebSocketException) as exc:
            return f"{type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        return dict(
            zip([learner.name for learner in learners], pool.map(take, learners), strict=True)
        )


def memory(server: psutil.Process) -> dict[str, dict[str, float]]:
    """A server's memory alone and with its kernels (MiB)."""
    return {
        "server": server_costs.memory_mib([server]),
        "total": server_costs.memory_mib(server_costs.server_and_kernels(server)),
    }


def learner_servers(hub_pid: int, names: list[str]) -> list[psutil.Process]:
    """The running servers of the learners ``names`` (processes running as their accounts)."""
    found = []
    for proc in server_costs.tree(hub_pid):
        try:
            if server_costs.role(proc) == "learner server" and proc.username() in names:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def hub_round(hub_pid: int, learners: list[Learner]) -> dict:
    """One round: all ``learners`` log in at once, then all who got a server open the home at
    once; per phase the server's CPU by role, how many took part and each one's wall time; what
    failed; then each learner's memory."""
    result: dict = {"n": len(learners), "failed": {}}
    going = learners
    for phase, step in zip(PHASES, ("log_in_and_spawn", "open_home"), strict=True):
        print(f"  {len(going)} learners: {phase}…", flush=True)
        before = server_costs.cpu_by_role(hub_pid)
        times = at_once(going, step)
        result[f"{phase} cpu"] = server_costs.cpu_between(before, server_costs.cpu_by_role(hub_pid))
        result[f"{phase} n"] = len(going)
        result[phase] = {name: t for name, t in times.items() if isinstance(t, float)}
        result["failed"] |= {n: f"{phase}: {t}" for n, t in times.items() if isinstance(t, str)}
        going = [learner for learner in going if learner.name in result[phase]]
    servers = learner_servers(hub_pid, [learner.name for learner in going])
    result["memory"] = [memory(server) for server in servers]
    shared = [p for p in server_costs.tree(hub_pid) if server_costs.role(p) in ("hub", "proxy")]
    result["hub memory"] = server_costs.memory_mib(shared)
    return result


def log_out(hub_pid: int, learners: list[Learner]) -> None:
    """Log ``learners`` out and wait until their servers have stopped."""
    at_once(learners, "log_out")
    deadline = time.monotonic() + 120
    while learner_servers(hub_pid, [learner.name for learner in learners]):
        if time.monotonic() > deadline:
            raise RuntimeError("learners' servers still running two minutes after logging out")
        time.sleep(1)


def cohort(first: int, n: int) -> list[dict]:
    """A hub with ``first + n`` learners' accounts; a round of ``first``, then one of ``n``."""
    print(f"Starting a hub with {first + n} accounts, every module released…", flush=True)
    with running_hub(learners=first + n, modules=tuple(content.module_ids())) as hub:
        hub_pid = hub["process"]().pid
        everyone = [Learner(hub["url"], name, hub["codes"][name]) for name in hub["names"]]
        rounds = [hub_round(hub_pid, everyone[:first])]
        log_out(hub_pid, everyone[:first])
        rounds.append(hub_round(hub_pid, everyone[first:]))
    return rounds


def ratio_line(name: str, hub: float, single: float, target: float, unit: str) -> str:
    """One printed comparison: both figures, their ratio and whether it meets the target."""
    verdict = "meets" if hub / single <= target else "MISSES"
    return (
        f"{name}: hub {hub:.2f} {unit}, single user {single:.2f} {unit} → {hub / single:.2f}× "
        f"({verdict} the {target:.1f}× target)"
    )


def by_role(cpu: Counter, n: int) -> str:
    """CPU seconds per learner by role, largest first."""
    return ", ".join(f"{role} {s / n:.2f}" for role, s in cpu.most_common() if abs(s) >= 0.005)


def report_round(r: dict) -> None:
    """Print one round's CPU per learner, where it went, its wall-time percentiles and failures."""
    spawn, opened = r["spawn"], r["open"]
    both = [spawn[name] + seconds for name, seconds in opened.items()]
    print(f"\n{r['n']} learners logging in at once ({len(opened)} reached the home page):")
    for phase in PHASES:
        cpu, n = r[f"{phase} cpu"], max(r[f"{phase} n"], 1)
        print(f"  {phase} CPU per learner {sum(cpu.values()) / n:.2f} s ({by_role(cpu, n)})")
    for name, walls in (
        ("spawn", list(spawn.values())),
        ("open", list(opened.values())),
        ("both", both),
    ):
        if walls:
            print(
                f"  {name} wall time p50 {statistics.median(walls):.1f} s, "
                f"p95 {p95(walls):.1f} s, max {max(walls):.1f} s"
            )
    reasons = Counter(reason.replace(name, "<learner>") for name, reason in r["failed"].items())
    for reason, count in reasons.most_common():
        print(f"  FAILED ({count} of {r['n']}): {reason[:300]}")


def median_memory(runs: list[dict], part: str) -> dict[str, float]:
    """The median USS, PSS and RSS of one ``part`` (server, or total) over ``runs``."""
    return {k: statistics.median(run[part][k] for run in runs) for k in ("uss", "pss", "rss")}


def report(single: list[dict], rounds: list[dict]) -> None:
    """Print every figure and ratio (the ratios and sizing from the round that brought most
    learners to their home page: normally the largest)."""
    one_cpu = statistics.median(run["cpu"] for run in single)
    one_wall = statistics.median(run["wall"] for run in single)
    one_mem = [run["memory"] for run in single]
    print(f"\nSingle user (`serve`'s Voilà, first open after a start, median of {ROUNDS}):")
    print(f"  open CPU {one_cpu:.2f} s, wall {one_wall:.1f} s")
    print(f"  Voilà + kernel {mib(median_memory(one_mem, 'total'))}")
    print(f"  Voilà alone {mib(median_memory(one_mem, 'server'))}")
    for r in rounds:
        report_round(r)
    big = max(rounds, key=lambda r: len(r["open"]))  # the most learners on their home page
    spawn, opened = (sum(big[f"{p} cpu"].values()) / big[f"{p} n"] for p in PHASES)
    hub_mem, one_total = median_memory(big["memory"], "total"), median_memory(one_mem, "total")
    print(f"\nMemory per learner, median of {len(big['memory'])}:")
    print(f"  server + kernel {mib(hub_mem)}")
    print(f"  server alone {mib(median_memory(big['memory'], 'server'))}")
    print(f"Hub + proxy, once: {mib(big['hub memory'])}")
    print(ratio_line("Page-opening CPU per learner", opened, one_cpu, TARGET_CPU, "s"))
    for kind in ("pss", "uss"):
        name = f"Memory per learner ({kind.upper()})"
        print(ratio_line(name, hub_mem[kind], one_total[kind], TARGET_MEMORY, "MiB"))
    print(f"Spawn CPU per learner: {spawn:.2f} s")
    print(
        f"Implies: {60 / (spawn + opened):.1f} learners logging in per core-minute "
        f"({spawn + opened:.2f} CPU s each); {1024 / hub_mem['pss']:.1f} learners per GiB (PSS)"
    )


def mib(memory: dict) -> str:
    """Memory figures as one phrase."""
    return ", ".join(f"{k.upper()} {v:.0f} MiB" for k, v in memory.items())


def machine() -> str:
    """This machine and how loaded it is now."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    ram = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores, {ram:.0f} GiB RAM, load average {load}"


def main() -> None:
    """Measure the single user, then the cohort on the hub, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=LEARNERS, help="the large round's size")
    parser.add_argument("--first", type=int, default=FIRST, help="the small round's size")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/hub.py makes real Unix accounts: run it as root")
    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        single = single_user(Path(tmp) / "single")
    rounds = cohort(args.first, args.learners)
    report(single, rounds)
    print(f"\nMachine at the end: {machine()}")


if __name__ == "__main__":
    main()
