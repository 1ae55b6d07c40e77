"""``make lite``: the practice edition, a static site that runs the lesson pages in the browser.

Every module's lesson pages (never an assessment, nothing of nbgrader), each module's CPD record
page and the course home, built by Voici (voici-core with jupyterlite-pyodide-kernel 0.7.0, in
their own virtual environment: nbgrader's lab extension must not reach the site) into
``dist/practice-edition/``. The pages run on Pyodide in the learner's browser and fetch nothing
from any other host: the Pyodide runtime is copied from npm's ``pyodide`` package, the pure
wheels it needs from PyPI, and the course's own packages (``course_model``, ``widgets`` and
``practice_lab.pages``, with the course's files) go in as one pure wheel, so the browser scores
with the same code as the served course. Figures are drawn here, at build time.
shared/field-notes.md ("A static, no-server edition") records the recipe and its traps.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from course_model import content, workspace
from practice_lab.lite_bytecode import write_archive

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "share" / "jupyter" / "voila" / "templates"
LITE_PACKAGE = "practice-lab-lite"
# Pure wheels from PyPI the pages import in the browser, beside those Pyodide's lock names.
PYPI_WHEELS = {"ipywidgets": "8.1.8", "comm": "0.2.3", "pyyaml": "6.0.3", "markupsafe": "3.0.3"}
# PyPI has only compiled wheels of these: their sdists' pure-Python packages are used.
FROM_SDIST = {"pyyaml": "lib/yaml", "markupsafe": "src/markupsafe"}
# What Pyodide's lock names for IPython and micropip (its wheels are not in npm's package).
LOCK_PURE = [
    "micropip",
    "packaging",
    "ipython",
    "asttokens",
    "decorator",
    "executing",
    "matplotlib-inline",
    "prompt-toolkit",
    "pure-eval",
    "pygments",
    "six",
    "stack-data",
    "traitlets",
    "wcwidth",
    "jinja2",  # the CPD record's HTML
]
CACHE_HOME = "_lite_home"  # in the wheel's practice_lab: a workspace holding only its caches


def lesson_pages(module_id: str) -> list[str]:
    return [p["file"] for p in content.load_module(module_id)["pages"] if p["kind"] == "lesson"]


def stage_contents(target: Path) -> None:
    """The learner's folder as the served course lays it out: a folder per module with its lesson
    pages and CPD page, and the course home at the top."""
    root = content.course_root()
    for module_id in content.module_ids():
        folder = target / module_id
        folder.mkdir(parents=True)
        for page in lesson_pages(module_id):
            shutil.copyfile(content.module_dir(module_id) / page, folder / page)
        shutil.copyfile(root / workspace.CPD_PAGE, folder / workspace.CPD_PAGE)
    shutil.copyfile(root / workspace.HOME_PAGE, target / workspace.HOME_PAGE)


def fill_caches(contents: Path, home: Path) -> None:
    """Fill ``home``'s caches as ``serve`` does: every figure the staged pages show, drawn here
    with matplotlib (the browser has neither matplotlib nor pandas), and the course's files."""
    import os

    os.environ[workspace.HOME_ENV] = str(home)
    from widgets import figures

    figures.prerender()
    # The course's files parsed into the content cache as JSON: the browser has no libyaml, and
    # pure-Python YAML parsing there costs a page seconds.
    workspace.content_cache(create=True)
    for path in sorted(content.course_root().rglob("*.yaml")):
        content.read_yaml(path)
    for notebook in sorted(contents.rglob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and "widgets.figures" in source:
                exec(compile(source, str(notebook), "exec"), {})  # noqa: S102 - the course's own cells


def write_wheel(path: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A pure wheel holding ``files`` (archive name -> bytes)."""
    dist = f"{name.replace('-', '_')}-{version}"
    wheel = path / f"{dist}-py3-none-any.whl"
    meta = {
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: practice-lab\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    entries = {**files, **{k: v.encode() for k, v in meta.items()}}
    write_archive(wheel, {**entries, f"{dist}.dist-info/RECORD": b""})  # RECORD written there
    return wheel


def course_wheel(out: Path, home: Path) -> Path:
    """The course's own code and files as one pure wheel: ``course_model`` (its course files in
    ``course_model/_course``), ``widgets`` and the pages' entry point ``practice_lab.pages``."""
    files: dict[str, bytes] = {}
    for package in ("course_model", "widgets"):
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    for name in ("__init__.py", "pages.py", "lite_pages.py"):
        files[f"practice_lab/{name}"] = (ROOT / "practice_lab" / name).read_bytes()
    course = content.course_root()
    for path in sorted(course.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".json", ".md"):
            files[f"course_model/_course/{path.relative_to(course).as_posix()}"] = path.read_bytes()
    for path in sorted((home / "cache").glob("*/*")):  # figures, and the course's files parsed
        files[f"practice_lab/{CACHE_HOME}/{path.relative_to(home).as_posix()}"] = path.read_bytes()
    return write_wheel(out, LITE_PACKAGE, "0.1.0", files)


def pypi_wheels(lite_python: Path, cache: Path, pyodide_lock: dict) -> list[Path]:
    """The pure wheels from PyPI: those the lock names, and ipywidgets, comm and PyYAML."""
    cache.mkdir(parents=True, exist_ok=True)
    packages = pyodide_lock["packages"]
    wanted = [f"{n}=={packages[n]['version']}" for n in LOCK_PURE]
    wanted += [f"{n}=={v}" for n, v in PYPI_WHEELS.items() if n not in FROM_SDIST]
    download = [str(lite_python), "-m", "pip", "download", "--quiet", "--no-deps"]
    python = pyodide_lock["info"]["python"].rsplit(".", 1)[0]  # the browser's Python: 3.13
    subprocess.run(
        [
            *download,
            "--only-binary=:all:",
            f"--python-version={python}",
            "--dest",
            str(cache),
            *wanted,
        ],
        check=True,
    )
    sdists = [f"{n}=={PYPI_WHEELS[n]}" for n in FROM_SDIST]
    subprocess.run([*download, "--no-binary=:all:", "--dest", str(cache), *sdists], check=True)
    pure = [pure_from_sdist(cache, name, folder) for name, folder in FROM_SDIST.items()]
    names = {*LOCK_PURE, *PYPI_WHEELS}  # the cache may hold wheels earlier builds needed
    downloaded = [p for p in cache.glob("*.whl") if _wheel_info(p)[0] in names]
    return [*(p for p in downloaded if p not in pure and not _from_sdist(p)), *pure]


def _from_sdist(wheel: Path) -> bool:
    return _wheel_info(wheel)[0] in FROM_SDIST


def pure_from_sdist(cache: Path, name: str, package_dir: str) -> Path:
    """A package with no pure wheel on PyPI (PyPI's are compiled), as a wheel of the pure-Python
    modules in its sdist (``package_dir`` inside it), which work without their C speed-ups."""
    version = PYPI_WHEELS[name]
    built = cache / f"{name}-{version}-py3-none-any.whl"
    if built.exists():
        return built
    sdist = next(p for p in cache.glob("*.tar.gz") if p.name.lower() == f"{name}-{version}.tar.gz")
    package = Path(package_dir).name
    files = {}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if (
                member.isfile()
                and "/".join(parts[1:-1]) == package_dir
                and member.name.endswith(".py")
            ):
                files[f"{package}/{parts[-1]}"] = tar.extractfile(member).read()
    return write_wheel(cache, name, version, files)


def stubs(out: Path) -> list[Path]:
    """Wheels standing in for two the kernel asks for and the pages never use: IPython's lock
    entry needs sqlite3, which npm's Pyodide leaves out (an empty wheel lets IPython start; it
    keeps no history without it); and jedi, code completion for a notebook's code, which no
    practice page shows (its import fails, so IPython completes without it, and a page does not
    spend a second installing and importing it)."""
    no_jedi = b'raise ImportError("The practice edition leaves out code completion (jedi).")\n'
    return [
        write_wheel(out, "sqlite3", "1.0.0", {}),
        write_wheel(out, "jedi", "0.0.0", {"jedi/__init__.py": no_jedi}),
    ]


def _wheel_info(wheel: Path) -> tuple[str, str]:
    name, version = wheel.name.split("-")[:2]
    return name.lower().replace("_", "-"), version


# The modules a page imports, beside the course's own packages (walked whole): see
# practice_lab/lite_bytecode.py, which runs in Pyodide under Node to add their bytecode. The
# kernel's own package (pyodide_kernel) stops Node when imported there: what it imports is named.
PAGE_IMPORTS = [
    *("IPython", "ipywidgets", "comm", "jinja2", "yaml", "micropip"),
    *("IPython.core.history", "IPython.core.shellapp", "IPython.core.inputtransformer2"),
    *("IPython.utils.tokenutil", "getpass", "shlex", "argparse", "asyncio", "unittest.mock"),
]
COURSE_PACKAGES = ["course_model", "widgets", "practice_lab"]
BYTECODE_JS = """
import { loadPyodide } from %(pyodide)s;
import { readFileSync } from "node:fs";
const py = await loadPyodide();
py.FS.mkdirTree("/work");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(mount)s }, "/work");
py.runPython(readFileSync(%(script)s, "utf8"));
"""


def add_bytecode(target: Path, wheels: list[str]) -> None:
    """Add the browser's bytecode to the wheels named (files in ``target``) and to the standard
    library's zip, for the modules a page imports, and print how many modules each archive got.
    Pyodide itself makes it, in Node (``practice_lab/lite_bytecode.py`` says why)."""
    job = {
        "wheels": wheels,
        "stdlib": "python_stdlib.zip",
        "imports": PAGE_IMPORTS,
        "walk": COURSE_PACKAGES,
    }
    (target / "job.json").write_text(json.dumps(job), encoding="utf-8")
    script = BYTECODE_JS % {
        "pyodide": json.dumps((target / "pyodide.mjs").resolve().as_uri()),
        "mount": json.dumps(str(target)),
        "script": json.dumps(str(Path(__file__).with_name("lite_bytecode.py"))),
    }
    try:
        done = subprocess.run(
            ["node", "--input-type=module", "-e", script], capture_output=True, text=True
        )
    finally:
        (target / "job.json").unlink()
    if done.returncode:
        raise SystemExit(f"Pyodide could not make the pages' bytecode:\n{done.stderr[-3000:]}")
    print(f"Bytecode for the modules a page imports, per archive: {done.stdout.strip()}")


def install_pyodide(site: Path, npm: Path, wheels: list[Path], course: Path) -> None:
    """Copy the Pyodide runtime from npm into ``static/pyodide`` with every wheel the pages need,
    their bytecode added, and rewrite its lock to name exactly those files (hashes included)."""
    target = site / "static" / "pyodide"
    shutil.copytree(npm, target, ignore=shutil.ignore_patterns("*.map", "*.d.ts", "*.html", "*.md"))
    for wheel in [*wheels, course]:
        shutil.copyfile(wheel, target / wheel.name)
    add_bytecode(target, [w.name for w in [*wheels, course]])
    lock = json.loads((target / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    extra = {
        "ipywidgets": (["ipywidgets"], ["comm", "traitlets", "ipython"]),
        "comm": (["comm"], ["traitlets"]),
        "jedi": (["jedi"], []),
        LITE_PACKAGE: (
            ["course_model", "widgets", "practice_lab"],
            ["ipywidgets", "pyyaml", "jinja2"],
        ),
    }
    for wheel in [*wheels, course]:
        installed = target / wheel.name
        name, version = _wheel_info(wheel)
        entry = packages.get(name) or {
            "name": name,
            "package_type": "package",
            "install_dir": "site",
            "shared_library": False,
            "unvendored_tests": False,
        }
        entry.update(
            file_name=wheel.name,
            version=version,
            sha256=hashlib.sha256(installed.read_bytes()).hexdigest(),
        )
        if name in extra:
            entry["imports"], entry["depends"] = extra[name]
        packages[name] = entry
    have = {p.name for p in target.glob("*.whl")}
    # Only what is here: a name whose file is missing would send Pyodide to fetch it.
    lock["packages"] = {k: v for k, v in packages.items() if v["file_name"] in have}
    (target / "pyodide-lock.json").write_text(json.dumps(lock), encoding="utf-8")


def local_font_awesome(site: Path, npm_modules: Path) -> None:
    """Font Awesome from npm, with every page's link to a CDN pointed at it."""
    shutil.copytree(
        npm_modules / "@fortawesome" / "fontawesome-free",
        site / "static" / "fontawesome",
        ignore=shutil.ignore_patterns("js", "svgs", "sprites", "less", "scss", "metadata", "*.map"),
    )
    pattern = re.compile(r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/[^/\"']+/css/")
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(site).parts) - 1
        new = pattern.sub("../" * depth + "static/fontawesome/css/", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


# Pyodide from the site itself, never a CDN, and no fallback to PyPI for a missing package.
LITE_CONFIG = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
        "litePluginSettings": {
            "@jupyterlite/pyodide-kernel-extension:kernel": {
                "pyodideUrl": "./static/pyodide/pyodide.js",
                "disablePyPIFallback": True,
            }
        }
    },
}
HOME_REDIRECT = (  # the site's address opens the course home, as `make serve` prints its address
    '<!doctype html><meta charset="utf-8"><title>Coercive Control Practice Lab</title>'
    '<meta http-equiv="refresh" content="0; url=voici/render/home.html">'
    '<a href="voici/render/home.html">Open the course home</a>\n'
)


def voici_build(lite_venv: Path, contents: Path, out: Path, tmp: Path) -> None:
    """Voici's build of the staged pages with the practice-lab template (the served course's own
    files, found on JUPYTER_PATH), in a fresh lite folder, so nothing of an earlier build
    (its .jupyterlite.doit.db) is reused."""
    lite_dir = tmp / "lite"
    lite_dir.mkdir()
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(LITE_CONFIG), encoding="utf-8")
    env = {
        "PATH": f"{lite_venv / 'bin'}:/usr/bin:/bin",
        "JUPYTER_PATH": str(TEMPLATE.parent.parent),
        "HOME": str(tmp),
    }
    command = [str(lite_venv / "bin" / "voici"), "build", "--no-sourcemaps"]
    command += [f"--lite-dir={lite_dir}", f"--contents={contents}", f"--output-dir={out}"]
    command += ["--template=practice-lab", "--strip_sources=True", "--show_tracebacks=False"]
    subprocess.run(command, check=True, env=env, cwd=tmp)


def build(out: Path, lite_venv: Path, npm_modules: Path, work: Path) -> Path:
    """Build the site into ``out`` (replaced); ``work`` keeps downloads between builds."""
    npm_pyodide = npm_modules / "pyodide"
    pyodide_lock = json.loads((npm_pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="practice-lite-") as tmp:
        tmp = Path(tmp)
        contents, home, wheels = tmp / "contents", tmp / "home", tmp / "wheels"
        wheels.mkdir()
        stage_contents(contents)
        fill_caches(contents, home)
        course = course_wheel(wheels, home)
        pure = pypi_wheels(lite_venv / "bin" / "python", work / "wheels", pyodide_lock)
        if out.exists():
            shutil.rmtree(out)
        voici_build(lite_venv, contents, out, tmp)
        install_pyodide(out, npm_pyodide, [*pure, *stubs(wheels)], course)
        local_font_awesome(out, npm_modules)
    (out / "index.html").write_text(HOME_REDIRECT, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "practice-edition")
    parser.add_argument("--lite-venv", type=Path, default=ROOT / "build" / "lite-venv")
    parser.add_argument("--npm", type=Path, default=ROOT / "build" / "lite-npm" / "node_modules")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "lite")
    args = parser.parse_args(argv)
    site = build(args.out.resolve(), args.lite_venv, args.npm, args.work)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"Built the practice edition in {site} ({size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
