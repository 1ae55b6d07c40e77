"""A PostgreSQL server of our own, in a folder: for the tests, the benchmarks and, later, the hub.

It uses Debian's server binaries (``/usr/lib/postgresql/<version>/bin``, the newest present) and
starts a cluster in a folder that belongs to it alone, listening on 127.0.0.1 and on a Unix
socket in that same folder, with every local connection trusted: nothing outside this machine
can reach it, and nothing on it needs a password. ``initdb`` refuses to run as root, so as root
the cluster is made and run by an unprivileged account (``nobody``), which then owns the folder.

``temporary()`` is the whole life of a throwaway server: made, started, handed out as a
SQLAlchemy URL, stopped and deleted.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEBIAN = Path("/usr/lib/postgresql")
SERVER_USER = "nobody"  # who runs the server when we are root (initdb refuses root)
START_TIMEOUT_S = 30


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries were found: the message says how to install them."""


def binaries(root: Path = DEBIAN) -> Path:
    """The ``bin`` folder of the newest PostgreSQL under ``root`` (Debian installs each major
    version side by side), or PostgresMissing saying how to install one."""
    found = [
        (tuple(int(n) for n in re.findall(r"\d+", p.parent.parent.name)), p.parent)
        for p in root.glob("*/bin/pg_ctl")
    ]
    if not found:
        raise PostgresMissing(
            f"PostgreSQL's server programs are not installed (no {root}/<version>/bin/pg_ctl). "
            "Install Debian's postgresql package (`apt-get install postgresql`); `make test` "
            "installs it when it runs as root or with sudo."
        )
    return max(found)[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """One PostgreSQL cluster in ``folder``, served on ``port`` while it runs."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of its ``postgres`` database, as the ``postgres`` superuser."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str | Path) -> None:
        """Run one of the server's programs, as the server's account when we are root."""
        argv = [str(binaries() / command[0]), *map(str, command[1:])]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", SERVER_USER, "--", *argv]
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(
                f"{command[0]} failed ({proc.returncode}): {proc.stdout}{proc.stderr}"
                + (log.read_text(errors="replace")[-2000:] if log.is_file() else "")
            )

    def init(self, sync: bool = True) -> None:
        """Create the cluster in the (new or empty) folder, owned by the server's account;
        ``sync=False`` skips flushing its files to disk (seconds, on a busy disk) for a cluster
        that will not outlive a crash anyway."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, SERVER_USER)
        options = ["-U", "postgres", "--auth=trust", "-E", "UTF8", *([] if sync else ["--no-sync"])]
        self._run("initdb", "-D", self.folder, *options)

    def start(self, max_connections: int = 200) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={max_connections}"
        )
        self._run(
            "pg_ctl", "-D", self.folder, "-l", self.folder / "server.log", "-o", options,
            "-w", "-t", str(START_TIMEOUT_S), "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server now, rolling back whatever is still open."""
        self._run("pg_ctl", "-D", self.folder, "-m", "fast", "-w", "stop")


@contextmanager
def temporary(max_connections: int = 200) -> Iterator[str]:
    """A throwaway PostgreSQL server for as long as the block runs: yields its URL, then stops
    the server and deletes every file it wrote."""
    parent = Path(tempfile.mkdtemp(prefix="practice-lab-pg-"))
    parent.chmod(0o755)  # the server's account must reach its folder inside
    cluster = Cluster(parent / "data", free_port())
    try:
        cluster.init(sync=False)  # deleted at the end: nothing to keep safe on disk
        cluster.start(max_connections)
        try:
            yield cluster.url
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(parent, ignore_errors=True)
