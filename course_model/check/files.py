"""Checks of the course's shared files: case studies, the support services, the course's own
file and the language patterns."""

from __future__ import annotations

import re
from pathlib import Path

from course_model import content
from course_model.content import Problem


def duplicates(path: Path, where: str, ids: list[str]) -> list[Problem]:
    """One problem per id used more than once in a list."""
    seen, dupes = set(), []
    for i in ids:
        if i in seen:
            dupes.append(i)
        seen.add(i)
    return [Problem(path, where, f"id {d!r} is used more than once — rename one") for d in dupes]


def case_study_problems(path: Path) -> list[Problem]:
    """A case study valid against its schema, named as its file, with unique ids."""
    data = content.load_checked(path, "case_study.schema.json")
    problems = []
    if data["id"] != path.stem:
        problems.append(
            Problem(path, "id", f"{data['id']!r} does not match the file name {path.stem!r}")
        )
    problems += duplicates(path, "people", [p["id"] for p in data["people"]])
    problems += duplicates(path, "documents", [d["id"] for d in data["documents"]])
    return problems


SHARED_FILES = {
    "signposting.yaml": "signposting.schema.json",  # the support services shown on every page
    "course.yaml": "course.schema.json",  # the course home's content note
    "frameworks.yaml": "frameworks.schema.json",  # what learning outcomes map to
}


def shared_file_problems(path: Path) -> list[Problem]:
    """One of the course's :data:`SHARED_FILES`, valid against its schema."""
    return content.schema_problems(path, content.read_yaml(path), SHARED_FILES[path.name])


def language_pattern_problems(path: Path) -> list[Problem]:
    """Every pattern a valid regular expression with a known source, matching its own example."""
    data = content.load_checked(path, "language_patterns.schema.json")
    sources = {s["id"] for s in data["sources"]}
    problems = duplicates(path, "patterns", [p["id"] for p in data["patterns"]])
    for i, p in enumerate(data["patterns"]):
        where = f"patterns[{i}]"
        if p["source"] not in sources:
            problems.append(Problem(path, f"{where}.source", f"no source with id {p['source']!r}"))
        try:
            rx = re.compile(rf"\b(?:{p['pattern']})\b", re.I)
        except re.error as exc:
            problems.append(
                Problem(path, f"{where}.pattern", f"not a valid regular expression ({exc})")
            )
            continue
        if not rx.search(p["example"]):
            problems.append(
                Problem(path, f"{where}.example", "the pattern does not match its own example")
            )
    return problems
