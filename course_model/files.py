"""Files written so that a crash never leaves half of one: a temporary file beside the target,
flushed to disk, then ``os.replace``d over it; and an exclusive lock for read-merge-write."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import tempfile
import time
from pathlib import Path


@contextlib.contextmanager
def locked(folder: Path):
    """Hold an exclusive lock on ``folder`` (flock) for the duration of the block.

    Pyodide (the practice edition, in the browser) has no flock: there each page's kernel works
    alone on its browser's files, and the block runs unlocked."""
    if not hasattr(fcntl, "flock"):
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


STALE_AFTER_S = 600  # a write takes milliseconds: a temporary this old was left by a crash


def write_bytes_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` so a crash leaves the old file or the new one, never half of one. The
    temporary file has a unique name; temporaries a crash left beside the file are removed.
    The file is readable by its owner only, unless ``mode`` says otherwise."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    remove_stale_temporaries(path)


def remove_stale_temporaries(path: Path, older_than: float = STALE_AFTER_S) -> int:
    """Remove the temporaries that interrupted writes of ``path`` left beside it, older than
    ``older_than`` seconds (by default old enough that no write under way is touched; a caller
    holding the lock every writer of ``path`` takes can say 0). Returns how many."""
    removed = 0
    now = time.time()
    for tmp in Path(path).parent.glob(f".{glob.escape(Path(path).stem)}-*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime >= older_than:
                tmp.unlink()
                removed += 1
    return removed


def write_text_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` (UTF-8) atomically (see :func:`write_bytes_atomically`)."""
    write_bytes_atomically(path, text.encode("utf-8"), mode)


def write_json_atomically(path: Path, doc: dict) -> None:
    """Write ``doc`` as readable JSON, atomically (see :func:`write_bytes_atomically`)."""
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    write_bytes_atomically(path, text.encode("utf-8"))
