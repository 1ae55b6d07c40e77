"""``practice-lab serve``: prepare the learner's workspace and serve it with Voilà.

Voilà runs with sources stripped, tracebacks hidden, bound to 127.0.0.1 unless told otherwise,
the template override from the URL switched off (``?template=lab`` must not drop the quick exit)
and the practice-lab template, which carries the quick-exit control on every page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from grading import course_dir
from practice_lab import content, learner, workspace

TEMPLATES = Path(__file__).resolve().parent / "share" / "jupyter"
TEMPLATE = "practice-lab"
# Server extensions whose front-ends have no place in a learner's page.
DENYLIST = [
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "jupytext",
    "@voila-dashboards/jupyterlab-preview",
]


def prepare() -> Path:
    """Release every module from the course into the local exchange and fetch it for the learner.

    Returns the learner's folder. Already-fetched modules are left as they are, answers and all.
    """
    trainer, exchange, folder = (
        workspace.trainer_dir(),
        workspace.exchange_dir(),
        workspace.learner_dir(),
    )
    course_dir.init(trainer, exchange)
    learner.init(folder, exchange, learner.learner_id())
    for module_id in content.module_ids():
        course_dir.release(trainer, module_id)
        target = learner.fetch(folder, module_id)
        learner.install_lessons(module_id, target)
    learner.install_lessons(content.GALLERY, folder / content.GALLERY)  # try every exercise type
    shutil.copyfile(content.course_root() / "home.ipynb", folder / "home.ipynb")
    return folder


def voila_command(folder: Path, port: int, ip: str = "127.0.0.1") -> list[str]:
    """The Voilà command line that serves ``folder`` safely."""
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
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in DENYLIST),
    ]


def voila_env() -> dict[str, str]:
    """The environment for Voilà: our template folder first on the Jupyter data path."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES), env.get("JUPYTER_PATH")]))
    return env


def serve(port: int, ip: str = "127.0.0.1") -> int:
    """Prepare the workspace and run Voilà until interrupted; returns Voilà's exit code."""
    folder = prepare()
    print(
        f"Serving the course from {folder}\n"
        f"Open http://{ip}:{port}/voila/render/home.ipynb in your browser (Ctrl+C stops).",
        flush=True,
    )
    try:
        return subprocess.call(voila_command(folder, port, ip), env=voila_env())
    except KeyboardInterrupt:
        return 0
