"""Course content as data: find, load and validate modules, exercises and case studies.

Every content file is YAML checked against a JSON Schema in ``course/schema/``. Problems are
reported as :class:`Problem` values naming the file, the place inside it and the reason, so an
author can fix a file without reading code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_model import workspace

COURSE_ENV = "PRACTICE_LAB_COURSE"


def course_root() -> Path:
    """Return the folder holding the course content.

    ``$PRACTICE_LAB_COURSE`` wins (tests point it at broken copies); otherwise the ``course/``
    folder of a source checkout, or the copy bundled inside an installed wheel.
    """
    if os.environ.get(COURSE_ENV):
        return Path(os.environ[COURSE_ENV]).resolve()
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "course", here / "_course"):
        if (candidate / "modules").is_dir():
            return candidate
    raise FileNotFoundError(
        "course content not found: set PRACTICE_LAB_COURSE to the course/ folder"
    )


class ContentError(Exception):
    """A content file that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one content file: printed as ``file:line: place: reason``, where
    the reason says what is wrong and, where it is not obvious, what to do."""

    file: Path
    where: str
    reason: str

    def __str__(self) -> str:
        try:
            shown = self.file.relative_to(Path.cwd())
        except ValueError:
            shown = self.file
        if at := re.match(
            r"line (\d+),? ?(.*)", self.where
        ):  # a parser's place: "line 3, column 4"
            return f"{shown}:{at[1]}: {at[2] + ': ' if at[2] else ''}{self.reason}"
        line = line_of(self.file, self.where)
        return f"{shown}{f':{line}' if line else ''}: {self.where or '(whole file)'}: {self.reason}"


_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def line_of(path: Path, where: str) -> int | None:
    """The line of ``path`` that ``where`` names (a YAML path such as ``exercises[3].key``, an
    exercise id, ``cells[5]`` in a notebook, a Markdown heading), or None if it cannot be found."""
    if match := re.match(r"line (\d+)", where):
        return int(match.group(1))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    steps = [int(i) if i else name for i, name in _STEP.findall(where)]
    if path.suffix == ".ipynb" and steps[:1] == ["cells"] and len(steps) > 1:
        starts = [n for n, line in enumerate(text.splitlines(), 1) if '"cell_type"' in line]
        return starts[steps[1]] if isinstance(steps[1], int) and steps[1] < len(starts) else None
    if path.suffix == ".md":
        lines = text.splitlines()
        return next((n for n, line in enumerate(lines, 1) if line.strip() == where), 1)
    if path.suffix in (".yaml", ".yml"):
        return _yaml_line(text, steps)
    return None


def _yaml_line(text: str, steps: list) -> int | None:
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    for step in steps:
        found = _child(node, step)
        if found is None:
            break
        node = found
    return node.start_mark.line + 1 if node is not None else None


def _child(node, step):
    """The child of a YAML node at ``step`` (a key or an index), or the nearest mapping below it
    whose ``id`` is ``step`` (problems often name an exercise or a person by id)."""
    import yaml

    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return node.value[step] if step < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return value
    for child in _descendants(node):
        if isinstance(child, yaml.MappingNode) and any(
            k.value == "id" and v.value == step for k, v in child.value
        ):
            return child
    return None


def _descendants(node):
    import yaml

    todo = [node]
    while todo:
        current = todo.pop(0)
        if isinstance(current, yaml.MappingNode):
            kids = [v for _, v in current.value]
        elif isinstance(current, yaml.SequenceNode):
            kids = list(current.value)
        else:
            kids = []
        yield from kids
        todo += kids


def _json_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


EXERCISES_SCHEMA = "exercises.schema.json"  # completed from the exercise-type registry


def _validator(schema_name: str):
    from course_model import exercise_types

    types = tuple(sorted(exercise_types.TYPES)) if schema_name == EXERCISES_SCHEMA else ()
    return _compiled(schema_name, types)


@functools.cache
def _compiled(schema_name: str, types: tuple[str, ...]):
    from jsonschema import Draft202012Validator  # slow import (~1 s): only when validating

    from course_model import exercise_types

    schema = json.loads((course_root() / "schema" / schema_name).read_text(encoding="utf-8"))
    if schema_name == EXERCISES_SCHEMA:
        schema = exercise_types.exercises_schema(schema)
    return Draft202012Validator(schema)


MAX_FILE_BYTES = 1_000_000  # the largest course file is about 60 kB
MAX_VALUES = 50_000  # values in a file once its aliases are expanded; the largest has about 1,700


def _parse_yaml(path: Path, text: str) -> Any:
    import yaml  # about 10 ms: learner kernels usually find the file in the cache instead

    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ContentError(
            [
                Problem(
                    path, "", f"larger than {MAX_FILE_BYTES:,} bytes: split it into smaller files"
                )
            ]
        )
    # libyaml's safe loader is about 8 times faster than the pure-Python one; same data.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(path, node)
        return None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(path, where, f"not valid YAML: {reason}")]) from exc
    finally:
        loader.dispose()


def _check_expansion(path: Path, root) -> None:
    """Refuse a file whose aliases (``*name``) would expand it past MAX_VALUES values, or that
    contains itself: the data parses small, but anything that walks it (the schema check, the
    JSON cache) would walk every copy, and a "billion laughs" file never finishes."""
    import yaml

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids = (
            [part for pair in node.value for part in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
            if isinstance(node, yaml.SequenceNode)
            else []
        )
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(kid)] for kid in kids)
            if sizes[id(node)] > MAX_VALUES:
                _refuse_expansion(path, node, f"expands to more than {MAX_VALUES:,} values")
            continue
        if id(node) in open_nodes:
            _refuse_expansion(path, node, "contains itself through an alias")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((kid, False) for kid in kids if id(kid) not in sizes)


def _refuse_expansion(path: Path, node, why: str):
    where = f"line {node.start_mark.line + 1}"
    raise ContentError(
        [Problem(path, where, f"{why}: write the values out instead of repeating an alias (*name)")]
    )


def _remember(cached: Path, data: Any) -> None:
    """Keep ``data`` as JSON in the content cache if JSON gives back exactly the same data (a
    YAML date or a number as a key would not survive, and is then parsed from YAML each time)."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    if json.loads(text) != data:
        return
    from course_model.files import write_bytes_atomically

    try:
        write_bytes_atomically(cached, text.encode("utf-8"))
    except OSError:
        pass  # an unwritable cache only costs the time


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors into a ContentError with line and column.

    Every learner page reads its module's files in a new kernel, where importing and running a
    YAML parser is a tenth of the page's own work: once ``serve`` has made the workspace's
    content cache, a file's data is kept there as JSON, named by a hash of the file's text, so
    an edited file is parsed afresh and a stale copy is never read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(path, "", f"cannot be read ({exc})")]) from exc
    folder = workspace.content_cache()
    if folder is None:
        return _parse_yaml(path, text)
    cached = folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.json"
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        pass  # not cached yet, or a damaged copy: parse the file and cache it again
    data = _parse_yaml(path, text)
    _remember(cached, data)
    return data


def schema_problems(path: Path, data: Any, schema_name: str) -> list[Problem]:
    """Validate ``data`` against a schema; one Problem per violation, deepest first."""
    errors = _validator(schema_name).iter_errors(data)
    problems = []
    for err in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        # Inside if/then branches jsonschema reports the branch; the best_match leaf is clearer.
        leaf = (
            min(err.context, key=lambda e: len(e.absolute_path), default=err)
            if err.context
            else err
        )
        problems.append(Problem(path, _json_path(leaf.absolute_path), leaf.message))
    return problems


def load_checked(path: Path, schema_name: str) -> Any:
    """Read a YAML file and validate it, raising ContentError listing every problem."""
    data = read_yaml(path)
    problems = schema_problems(path, data, schema_name)
    if problems:
        raise ContentError(problems)
    return data


GALLERY = "gallery"


def module_dir(module_id: str) -> Path:
    """The folder of one module, e.g. ``course/modules/02-three-planets`` (or ``course/gallery``,
    the toolkit gallery, which is laid out like a module but is not part of the course)."""
    path = (
        course_root() / GALLERY if module_id == GALLERY else course_root() / "modules" / module_id
    )
    if not (path / "module.yaml").is_file():
        raise ContentError([Problem(path / "module.yaml", "", f"no module called {module_id!r}")])
    return path


def module_ids() -> list[str]:
    """Every module folder under course/modules, in course order."""
    return sorted(p.parent.name for p in (course_root() / "modules").glob("*/module.yaml"))


# The loaders below parse without validating: `practice-lab check` (in CI) and every release
# validate the whole module first, so learner kernels need not import jsonschema (about 1 s).


@functools.cache
def load_module(module_id: str) -> dict:
    """A module's ``module.yaml``, parsed (validated by check and at release)."""
    return read_yaml(module_dir(module_id) / "module.yaml")


@functools.cache
def load_exercises(module_id: str) -> dict[str, dict]:
    """A module's exercises, keyed by exercise id, in file order (validated by check and at release)."""
    path = module_dir(module_id) / "exercises.yaml"
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
        raise ContentError(
            [Problem(path, "exercises", "missing or not a list; run `practice-lab check`")]
        )
    return {spec["id"]: spec for spec in data["exercises"]}


def exercise_spec(module_id: str, exercise_id: str) -> dict:
    """One exercise's spec; a clear error if the module has no such exercise."""
    specs = load_exercises(module_id)
    if exercise_id not in specs:
        path = module_dir(module_id) / "exercises.yaml"
        raise ContentError([Problem(path, "exercises", f"no exercise with id {exercise_id!r}")])
    return specs[exercise_id]


@functools.cache
def load_case_study(case_id: str) -> dict:
    """The data file of one composite case study (validated by check and at release)."""
    path = course_root() / "case_studies" / f"{case_id}.yaml"
    if not path.is_file():
        raise ContentError([Problem(path, "", f"no case study called {case_id!r}")])
    return read_yaml(path)


@functools.cache
def load_signposting() -> dict:
    """Support services shown on every page (one file, so numbers are checked in one place)."""
    return read_yaml(course_root() / "signposting.yaml")


@functools.cache
def load_course() -> dict:
    """The course's own file, ``course.yaml``: what the course home shows before any module."""
    return read_yaml(course_root() / "course.yaml")
