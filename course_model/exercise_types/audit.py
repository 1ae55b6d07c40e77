"""Language audit: the learner writes a case note and sees flagged phrases as they write.
Formative only: never marked."""

from __future__ import annotations

from course_model.exercise_types.base import FORMATIVE, ExerciseType

TYPE = ExerciseType(
    name="audit",
    fields={
        "max_chars": {"type": "integer", "minimum": 100, "maximum": 20000},
        "placeholder": {"type": "string"},
    },
    marking=FORMATIVE,
)
