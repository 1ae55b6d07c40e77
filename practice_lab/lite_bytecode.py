"""Bytecode for the practice edition, made at build time by the browser's own Python.

Runs inside Pyodide under Node (``practice_lab.lite.add_bytecode`` starts it), never in the
course's Python: bytecode is only valid for the interpreter that made it, and Pyodide's is
CPython 3.13 built for WebAssembly. Without bytecode, a page compiles every module it imports
from source in the browser, the standard library included (npm's Pyodide ships it as source),
which is most of a cold page's time in Python.

The archives keep their sources: bytecode is added beside them, only for the modules a page
imports, as unchecked hash-based .pyc files (PEP 552), which Python loads without reading the
source. Everything else behaves as before (``__file__``, tracebacks with source lines), and a
module left out is only compiled in the browser, as now. The job is read from ``/work/job.json``:
``{"wheels": [...], "stdlib": name, "imports": [...], "walk": [...]}``: wheels and the
standard library's zip (files in ``/work``, rewritten in place), the modules a page imports, and
the course's packages, every module of which a page may import.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import importlib.util
import json
import pkgutil
import sys
import types
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
from pathlib import Path

WORK = Path("/work")
STAMP = (2020, 1, 1, 0, 0, 0)


def _pyc(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _site_packages() -> Path:
    return Path(next(p for p in sys.path if p.endswith("site-packages")))


def write_archive(archive: Path, entries: dict[str, bytes]) -> None:
    """A zip of ``entries`` (name -> bytes), compressed, with fixed dates; a wheel's RECORD
    entry (if there is one) is written afresh to name every other entry with its hash. Also
    used by ``practice_lab.lite`` for the wheels it makes."""
    record = next((n for n in entries if n.endswith(".dist-info/RECORD")), None)
    if record:
        rows = [f"{n},{_record_hash(d)},{len(d)}" for n, d in entries.items() if n != record]
        entries = {**entries, record: ("\n".join([*rows, f"{record},,"]) + "\n").encode()}
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in sorted(entries.items()):  # a ZipInfo's own compression is "stored"
            zf.writestr(zipfile.ZipInfo(name, STAMP), data, zipfile.ZIP_DEFLATED)


def _add(archive: Path, added: dict[str, bytes]) -> None:
    with zipfile.ZipFile(archive) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    write_archive(archive, {**entries, **added})


def imported_files(wheels: list[Path], imports: list[str], walk: list[str]) -> set[str]:
    """Install the wheels, import ``imports`` and every module of the packages in ``walk``, and
    return the files every module imported was loaded from."""
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(_site_packages())
    importlib.invalidate_caches()
    for name in ("fcntl", "termios", "resource"):  # empty in the browser: the kernel mocks them
        sys.modules.setdefault(name, types.ModuleType(name))
    for name in imports:
        importlib.import_module(name)
    for name in walk:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            try:
                importlib.import_module(info.name)
            except ImportError:  # what only the served course has (jsonschema, nbgrader)
                pass
    return {
        m.__spec__.origin
        for m in list(sys.modules.values())
        if getattr(m, "__spec__", None) and m.__spec__.origin and m.__spec__.has_location
    }


def add_wheel_bytecode(wheel: Path, loaded: set[str]) -> int:
    """Beside each module of ``wheel`` that was imported, its ``__pycache__`` bytecode."""
    tag, site_packages = sys.implementation.cache_tag, _site_packages()
    added = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            installed = str(site_packages / name)
            if name.endswith(".py") and installed in loaded:
                path = Path(name)
                cached = path.parent / "__pycache__" / f"{path.stem}.{tag}.pyc"
                added[cached.as_posix()] = _pyc(zf.read(name), installed)
    _add(wheel, added)
    return len(added)


def add_stdlib_bytecode(stdlib: Path, loaded: set[str]) -> int:
    """Beside each standard-library module that was imported, its .pyc (zipimport reads a
    .pyc next to the .py, not in ``__pycache__``)."""
    mounted = next(p for p in sys.path if p.endswith(".zip"))
    added = {}
    with zipfile.ZipFile(stdlib) as zf:
        for name in zf.namelist():
            if name.endswith(".py") and f"{mounted}/{name}" in loaded:
                added[f"{name}c"] = _pyc(zf.read(name), f"{mounted}/{name}")
    _add(stdlib, added)
    return len(added)


def main() -> None:
    job = json.loads((WORK / "job.json").read_text(encoding="utf-8"))
    wheels = [WORK / name for name in job["wheels"]]
    loaded = imported_files(wheels, job["imports"], job["walk"])
    counts = {wheel.name: add_wheel_bytecode(wheel, loaded) for wheel in wheels}
    counts[job["stdlib"]] = add_stdlib_bytecode(WORK / job["stdlib"], loaded)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
