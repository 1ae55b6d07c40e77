"""Serving the learner's pages through the Voilà extension of a Jupyter server (Binder, JupyterHub).

Standalone Voilà (``practice-lab serve``) passes only widget traffic to its kernels. Inside a Jupyter
server, Voilà's pages use the server's kernel manager, which passes anything, ``execute_request``
included. ``CONFIG_DIR`` is a Jupyter configuration folder that limits kernel messages to the ones
standalone Voilà allows, makes the file API read-only, switches terminals off and sets Voilà up as ``practice-lab serve`` does (our
template, sources stripped, tracebacks hidden, no template override from the URL, the same
extension denylist). It takes effect only where it is on ``JUPYTER_CONFIG_PATH``: a trainer's own
JupyterLab is untouched, while any server started with it (its JupyterLab too) runs no code sent
from a browser. It leaves the address to whoever starts the server: JupyterHub and Binder must
listen where the hub says, and ``jupyter_server_command`` binds 127.0.0.1 on the command line.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado.web import HTTPError

from practice_lab import serve

CONFIG_DIR = Path(__file__).resolve().parent / "share" / "learner_server_config"
# The variables that put our config and template folders first: the lockdown travels in them.
JUPYTER_PATHS = ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH")


# Every ContentsManager method the server's handlers call to change a file, a folder, a
# checkpoint or a notebook's trust: PUT (save, upload), PATCH (update), POST (new, new_untitled,
# copy of a file or a folder), DELETE, the checkpoint routes and /trust. Reading stays open.
WRITES = (
    "save",
    "update",
    "new",
    "new_untitled",
    "copy",
    "delete",
    "delete_file",
    "rename",
    "rename_file",
    "create_checkpoint",
    "restore_checkpoint",
    "delete_checkpoint",
    "trust_notebook",
)


def _refused(name: str):
    async def refuse(self, *args, **kwargs):
        raise HTTPError(403, "the course is read-only on a learner's course server")

    refuse.__name__ = refuse.__qualname__ = name
    refuse.__doc__ = f"Refused ({name}): see the class docstring."
    return refuse


class ReadOnlyContentsManager(AsyncLargeFileManager):
    """File API for a learner's server that refuses every write, through every route.

    Without it, anyone who can reach the server could save a notebook through ``/api/contents``
    and open it in Voilà, running its code. Learners never need the file API to write: their
    answers are saved by their pages' kernels. Each method in :data:`WRITES` is refused itself
    rather than relying on ``save``: copying a folder and the checkpoint routes never call it.
    """


for _name in WRITES:
    setattr(ReadOnlyContentsManager, _name, _refused(_name))
del _name


def jupyter_server_env() -> dict[str, str]:
    """The environment for a learner's Jupyter server: our config folder first on the config path.

    First, because the first folder on ``JUPYTER_CONFIG_PATH`` outranks every other config file
    (user, environment, system), so none of them can lift the restriction. Our template folder
    goes first on ``JUPYTER_PATH``, as for ``practice-lab serve``.
    """
    env = serve.voila_env()
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        filter(None, [str(CONFIG_DIR), env.get("JUPYTER_CONFIG_PATH")])
    )
    return env


def jupyter_server_command(folder: Path, port: int, token: str) -> list[str]:
    """The ``jupyter server`` command line that serves ``folder`` to a learner on 127.0.0.1.

    Pages are at ``/voila/render/<path inside folder>``; every request needs ``token`` (``?token=``
    or an ``Authorization: token`` header). Run it with ``jupyter_server_env()``.
    """
    return [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--ServerApp.root_dir={folder}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
    ]


def shell_exports() -> str:
    """``export`` lines that put our config and template folders first on the Jupyter paths.

    binder/start evaluates them, so the server mybinder.org starts next is the locked-down one.
    """
    env = jupyter_server_env()
    return "".join(f"export {name}={shlex.quote(env[name])}\n" for name in JUPYTER_PATHS)


if __name__ == "__main__":
    print(shell_exports(), end="")
