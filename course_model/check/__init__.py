"""``practice-lab check``: the rulebook. Every content file valid against its schema, and every
rule a schema cannot express, all reported in one run.

Beyond each file's schema: the exercise types complete in the registry; ids match folders;
outcomes map to real exercises; every module follows the authoring rules (exercises, types, a
graded reflection); pages exist, open and end as every page does and show only exercises that
exist; rubrics add up; every graded exercise has exactly one marking cell whose key fits it; the
workshop prompts are in each guide; and the course's own words pass its language audit.
"""

from __future__ import annotations

from course_model import content
from course_model.check.exercises import registry_problems
from course_model.check.files import (
    SHARED_FILES,
    case_study_problems,
    language_pattern_problems,
    shared_file_problems,
)
from course_model.check.language import language_problems
from course_model.check.modules import authoring_rules, guard, module_problems
from course_model.check.notebooks import score_call_arguments
from course_model.content import Problem

__all__ = ["authoring_rules", "check_course", "check_module", "score_call_arguments"]


def check_course() -> list[Problem]:
    """Validate the whole course; an empty list means every file is usable."""
    root = content.course_root()
    problems = registry_problems()
    for name in SHARED_FILES:
        problems += guard(lambda n=name: shared_file_problems(root / n))
    for path in sorted((root / "case_studies").glob("*.yaml")):
        problems += guard(lambda p=path: case_study_problems(p))
    for module_id in [*content.module_ids(), content.GALLERY]:
        problems += guard(lambda m=module_id: module_problems(m))
    patterns = guard(lambda: language_pattern_problems(root / "language_patterns.yaml"))
    if not patterns:  # the audit of the course's own words needs sound patterns
        patterns = guard(lambda: language_problems(root))
    return problems + patterns


def check_module(module_id: str) -> list[Problem]:
    """Everything wrong with one module (and the case studies it uses); empty when releasable."""
    return registry_problems() + guard(lambda: module_problems(module_id))
