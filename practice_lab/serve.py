"""``practice-lab serve``: prepare the learner's workspace and serve it with Voilà.

Voilà runs with sources stripped, tracebacks hidden, bound to 127.0.0.1 unless told otherwise,
the template override from the URL switched off (``?template=lab`` must not drop the quick exit)
and the practice-lab template, which carries the quick-exit control on every page.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from course_model import content, learner, workspace
from grading import course_dir, learner_exchange

TEMPLATES = Path(__file__).resolve().parent / "share" / "jupyter"
TEMPLATE = "practice-lab"
# Server extensions whose front-ends have no place in a learner's page.
DENYLIST = [
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "jupytext",
    "@voila-dashboards/jupyterlab-preview",
]
# A socket path after the Jupyter runtime folder: "/kernel-<36-character id>-ipc-5".
IPC_NAME_LENGTH = 50
SOCKET_PATH_MAX = 100  # Linux allows 107 bytes, macOS 103


def kernel_transport() -> list[str]:
    """Voilà's option for reaching its kernels through Unix sockets instead of TCP ports.

    A kernel is given free TCP ports and binds them a moment later; when many start at once
    (``--preheat`` starts one per page, a class opens pages together) another process can take
    a port in between, the kernel dies ("Address already in use") and its page never loads.
    Unix sockets in the runtime folder need no ports. A runtime folder too long for a socket
    path keeps TCP.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    if len(jupyter_runtime_dir()) + IPC_NAME_LENGTH > SOCKET_PATH_MAX:
        return []
    return ["--KernelManager.transport=ipc"]


def release_course(course: Path, exchange: Path) -> list[str]:
    """The trainer's side: set up the course directory and release every module whose source
    changed since it was last released, all in one nbgrader process; returns the modules released.

    Only the trainer releases: a learner's server (on a hub) calls :func:`prepare_learner` alone.
    """
    course_dir.init(course, exchange)
    return course_dir.release(course, *content.module_ids())


def prepare_learner(
    folder: Path,
    exchange: Path,
    account: str | None = None,
    shared: bool = False,
    course_id: str = workspace.COURSE_ID,
) -> Path:
    """The learner's side: fetch each module the trainer has released that is not in ``folder``
    yet (answers in fetched modules are left as they are), then install the lesson pages and the
    CPD page beside each, the gallery and the home page; returns ``folder``. Releases nothing.

    On one machine the learner is whoever uses it; on a hub (``practice_lab.hub_learner``) the
    learner is the hub ``account``, the exchange is ``shared`` between Unix users and the learner's
    cohort is the course ``course_id``: only its modules are fetched. The content cache is made
    here too, so the learner's page kernels parse the course's files once, not on every page.
    """
    workspace.content_cache(create=True)
    identity = learner.settle_identity(folder, account)
    learner_exchange.init(folder, exchange, identity, shared=shared, course_id=course_id)
    released = learner_exchange.released(folder)
    modules = [module_id for module_id in content.module_ids() if module_id in released]
    for module_id, target in zip(modules, learner_exchange.fetch(folder, *modules), strict=True):
        learner.install_lessons(module_id, target)
        shutil.copyfile(content.course_root() / workspace.CPD_PAGE, target / workspace.CPD_PAGE)
    learner.install_lessons(content.GALLERY, folder / content.GALLERY)  # try every exercise type
    shutil.copyfile(content.course_root() / workspace.HOME_PAGE, folder / workspace.HOME_PAGE)
    return folder


def prepare() -> Path:
    """Prepare one machine's course for ``serve``: the trainer's release, then the learner's
    folder (see :func:`release_course` and :func:`prepare_learner`); returns the learner's folder.

    Every case-study figure is drawn into the figure cache (once; later runs find it there) while
    nbgrader works in its own processes, and every page's kernel then finds the course's files
    parsed in the content cache and this package's code compiled (``PYTHONDONTWRITEBYTECODE``
    would otherwise have each kernel compile it again).
    """
    from widgets import figures

    def release_and_fetch() -> Path:  # nbgrader runs in its own processes: this thread waits
        release_course(workspace.trainer_dir(), workspace.exchange_dir())
        return prepare_learner(workspace.learner_dir(), workspace.exchange_dir())

    workspace.content_cache(create=True)  # filled as the course's files are read
    with ThreadPoolExecutor(max_workers=1) as nbgrader_waiter:
        course_ready = nbgrader_waiter.submit(release_and_fetch)
        figures.prerender()  # learner kernels then show cached images and never import matplotlib
        folder = course_ready.result()
    installed = Path(__file__).resolve().parent.parent  # this package and its siblings
    for package in ("course_model", "practice_lab", "widgets", "grading", "workshop"):
        compileall.compile_dir(installed / package, quiet=2)
    return folder


def voila_command(
    folder: Path, port: int, ip: str = "127.0.0.1", preheat: bool = False
) -> list[str]:
    """The Voilà command line that serves ``folder`` safely.

    ``preheat`` keeps one kernel per page started and run up to the point where the page waits for
    a learner (``widgets.page.wait_for_learner``): a course page is built whole and waits in its
    last cell, so a page then opens in about 1 s instead of 2 s here, but every page in the
    folder holds an idle kernel (about 45 MB each, some 30 pages) and a used kernel is replaced
    after a second. Every page reads learner state only after ``wait_for_learner``, and shows it
    in what it built before, so a preheated page never shows stale answers.
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        # Voilà's shutdown request on leaving a page is refused (no _xsrf, voila#1458), so each
        # visited page would keep its kernel: stop kernels no page has been connected to for
        # 15 minutes. A page left open stays connected and is never stopped.
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in DENYLIST),
        *kernel_transport(),
        *(["--preheat_kernel=True"] if preheat else []),
    ]


def voila_env() -> dict[str, str]:
    """The environment for Voilà: our template folder first on the Jupyter data path."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES), env.get("JUPYTER_PATH")]))
    return env


def serve(port: int, ip: str = "127.0.0.1", preheat: bool = False) -> int:
    """Prepare the workspace and run Voilà until interrupted; returns Voilà's exit code.
    ``preheat``: keep a started kernel ready for each page (see ``voila_command``)."""
    folder = prepare()
    print(
        f"Serving the course from {folder}\n"
        f"Open http://{ip}:{port}/voila/render/{workspace.HOME_PAGE} in your browser (Ctrl+C stops).",
        flush=True,
    )
    try:
        env = voila_env()
        if preheat:  # a waiting page asks Voilà for its request here (default 127.0.0.1)
            env["VOILA_APP_IP"] = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip  # noqa: S104
        return subprocess.call(voila_command(folder, port, ip, preheat), env=env)
    except KeyboardInterrupt:
        return 0
