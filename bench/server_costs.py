"""What a tree of server processes costs: CPU seconds from process times, memory from smaps.

CPU is read from the kernel's process times, not sampled: for every live process in the tree,
its own user + system time plus the time of its children it has waited for (``children_user``,
``children_system``). A process that exits during a phase is not lost: its whole lifetime moves
into its parent's children's time when the parent reaps it (the hub reaps learner servers, a
server its kernels, a server's prepare step the nbgrader processes it ran), so the difference
between two samples counts it once. Only a process reaped outside the tree (re-parented to init)
would be lost; none of the hub's are.
"""

from __future__ import annotations

from collections import Counter

import psutil

# What a process is, from its command line: the first role whose marker it contains.
ROLES = (
    ("kernel", "ipykernel_launcher"),
    ("learner server", "jupyterhub.singleuser"),
    ("learner server", "practice_lab.hub_learner"),
    ("proxy", "configurable-http-proxy"),
    ("idle culler", "jupyterhub_idle_culler"),
    ("hub", "jupyterhub"),
    ("Voilà", "voila"),
)


def role(proc: psutil.Process) -> str:
    """The part of the server ``proc`` plays (kernel, learner server, hub, proxy…), or "other"."""
    command = " ".join(proc.cmdline())
    return next((name for name, marker in ROLES if marker in command), "other")


def tree(root: int) -> list[psutil.Process]:
    """``root`` and every live process below it."""
    top = psutil.Process(root)
    return [top, *top.children(recursive=True)]


def cpu_by_role(root: int) -> Counter:
    """CPU seconds so far of the tree under ``root``, by role; the children a process has reaped
    are counted apart, under "<its role>: exited children" (a learner server's nbgrader fetch,
    or, under the hub, the learner servers it stopped)."""
    seconds: Counter = Counter()
    for proc in tree(root):
        try:
            with proc.oneshot():
                t, name = proc.cpu_times(), role(proc)
                seconds[name] += t.user + t.system
                seconds[f"{name}: exited children"] += t.children_user + t.children_system
        except psutil.Error:  # exited between listing and reading: its parent has its time
            continue
    return seconds


def cpu_between(before: Counter, after: Counter) -> Counter:
    """CPU seconds by role spent between two :func:`cpu_by_role` samples."""
    spent = Counter(after)
    spent.subtract(before)
    return spent


def memory_mib(procs: list[psutil.Process]) -> dict[str, float]:
    """USS, PSS and RSS of ``procs`` together, in MiB (USS: what stopping them would free; PSS:
    their fair share of what they share with the rest, so PSS sums over a server to its total)."""
    total: Counter = Counter()
    for proc in procs:
        info = proc.memory_full_info()
        total.update(uss=info.uss, pss=info.pss, rss=info.rss)
    return {kind: total[kind] / 2**20 for kind in ("uss", "pss", "rss")}


def server_and_kernels(server: psutil.Process) -> list[psutil.Process]:
    """A Jupyter or Voilà server and the kernels it started."""
    return [server, *(p for p in server.children(recursive=True) if role(p) == "kernel")]
