"""Learning outcomes mapped to the professional frameworks a social worker's CPD is read against:
BASW's Professional Capabilities Framework, the Knowledge and Skills Statements and Social Work
England's professional standards (``course/frameworks.yaml``, cited there).

Each outcome in a module's ``module.yaml`` names the numbers it maps to; this module checks those
numbers, and gives the mapping in words to the CPD record, the course home and README's table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from course_model import content
from course_model.content import Problem
from course_model.files import write_bytes_atomically

FILE = "frameworks.yaml"
# Every outcome names at least one framework of each group: the PCF, a Knowledge and Skills
# Statement (child and family, or adult services where the outcome concerns adults, or both) and
# Social Work England's standards.
REQUIRED = (("pcf",), ("kss_children", "kss_adults"), ("swe",))


@dataclass(frozen=True)
class Framework:
    """One framework: its id, short and full names, its source, and its entries by number."""

    id: str
    short: str
    name: str
    source: str
    entries: dict[int, str]


@functools.cache
def frameworks() -> dict[str, Framework]:
    """Every framework in ``course/frameworks.yaml``, in the file's order. Read, not validated:
    pages (and the practice edition, which has no schema validator) only read it; `practice-lab
    check` validates it with the course's other shared files."""
    data = content.read_yaml(content.course_root() / FILE)
    return {
        f["id"]: Framework(
            f["id"],
            f["short"],
            f["name"],
            f["source"],
            {e["number"]: e["title"] for e in f["entries"]},
        )
        for f in data["frameworks"]
    }


def problems(meta_path: Path, meta: dict) -> list[Problem]:
    """Every outcome of a course module mapped to a PCF domain, at least one Knowledge and
    Skills Statement (child and family, adult services or both) and a Social Work England
    standard, by numbers those frameworks have."""
    known = frameworks()
    found = []
    for i, outcome in enumerate(meta["learning_outcomes"]):
        where = f"learning_outcomes[{i}].frameworks"
        mapped = outcome.get("frameworks", {})
        for group in REQUIRED:
            if not any(mapped.get(f) for f in group if f in known):
                found.append(Problem(meta_path, where, _gap(outcome["id"], group, known)))
        for fid, numbers in mapped.items():
            if fid not in known:
                found.append(Problem(meta_path, where, f"no framework {fid!r} in {FILE}"))
                continue
            found += [
                Problem(meta_path, f"{where}.{fid}", f"{known[fid].name} has no number {n}")
                for n in numbers
                if n not in known[fid].entries
            ]
    return found


def _gap(outcome_id: str, group: tuple[str, ...], known: dict[str, Framework]) -> str:
    """What to tell an author whose outcome maps to no framework of ``group``."""
    names = [known[f].name for f in group if f in known]
    if not names:
        return f"{outcome_id} needs one of {', '.join(group)}, and {FILE} has none of them"
    if len(names) == 1:
        return f"{outcome_id} maps to no {names[0]}: add one"
    return f"{outcome_id} maps to no {' or '.join(names)}: add at least one"


def module_mapping(meta: dict) -> list[tuple[Framework, list[tuple[int, str]]]]:
    """What a module's outcomes map to, together: each framework (in file order) with its
    numbered entries the module reaches, in order."""
    reached: dict[str, set[int]] = {}
    for outcome in meta["learning_outcomes"]:
        for fid, numbers in outcome.get("frameworks", {}).items():
            reached.setdefault(fid, set()).update(numbers)
    return [
        (f, [(n, f.entries[n]) for n in sorted(reached[fid])])
        for fid, f in frameworks().items()
        if reached.get(fid)
    ]


def in_words(mapping: list[tuple[Framework, list[tuple[int, str]]]]) -> list[tuple[str, str]]:
    """A mapping as (framework's name, "4 Rights, justice…; 5 Knowledge") lines."""
    return [(f.name, "; ".join(f"{n} {title}" for n, title in entries)) for f, entries in mapping]


def markdown_table() -> str:
    """README's table: one row per module, one column per framework, the numbers it reaches;
    then each framework's numbers in words and its source."""
    known = frameworks()
    head = ["Module", *(f.short for f in known.values())]
    rows = [head, ["---"] * len(head)]
    for module_id in content.module_ids():
        meta = content.load_module(module_id)
        reached = {
            f.id: ", ".join(str(n) for n, _ in entries) for f, entries in module_mapping(meta)
        }
        rows.append([f"{module_id[:2]} {meta['title']}", *(reached.get(f, "—") for f in known)])
    lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    for f in known.values():
        numbered = "; ".join(f"{n} {title}" for n, title in f.entries.items())
        lines += ["", f"**{f.short}**: {numbered}. Source: {' '.join(f.source.split())}"]
    return "\n".join(lines) + "\n"


START, END = "<!-- outcome-map:start -->", "<!-- outcome-map:end -->"


def with_table(readme: str) -> str:
    """``readme`` with :func:`markdown_table` between its outcome-map markers."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{markdown_table()}{END}{tail}"


if __name__ == "__main__":  # `make outcome-table`: rewrite README's table from the data
    import sys

    path = Path(sys.argv[1])
    write_bytes_atomically(path, with_table(path.read_text(encoding="utf-8")).encode("utf-8"))
