"""Files written so that a crash never leaves half of one: a temporary file beside the target,
flushed to disk, then ``os.replace``d over it; and an exclusive lock for read-merge-write."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def locked(folder: Path):
    """Hold an exclusive lock on ``folder`` (flock) for the duration of the block."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` so a crash leaves the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_json_atomically(path: Path, doc: dict) -> None:
    """Write ``doc`` as readable JSON, atomically (see :func:`write_bytes_atomically`)."""
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    write_bytes_atomically(path, text.encode("utf-8"))
