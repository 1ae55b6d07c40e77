"""Sort items into categories (e.g. the three planets), and spot the tactic in a transcript.

Both give each row a drop-down of labels: a native select, so keyboard and screen-reader
friendly, labelled with the row itself ("Statement 3. …", "Line 5. Speaker: …"), so a screen
reader says what is being sorted. The label is plain text, never HTML. The answer maps row id
to label id for the rows the learner has labelled.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W

from widgets.base import RIGHT, WRONG, Exercise, lean, register

UNSET = ""


def statement_label(n: int, row: dict) -> str:
    """A statement to sort as its drop-down's visible label and accessible name."""
    return f"Statement {n}. {row['text']}"


def row_dropdowns(
    rows: list[dict],
    labels: list[dict],
    placed: dict,
    blank: str = "Choose…",
    label: Callable[[int, dict], str] = statement_label,
) -> dict[str, W.Dropdown]:
    """A drop-down per row (by row id), labelled ``label(n, row)``, offering ``blank`` and then
    ``labels``, and showing the label ``placed`` gives the row if it is one of them."""
    known = {c["id"] for c in labels}
    options = [(blank, UNSET)] + [(c["label"], c["id"]) for c in labels]
    return {
        row["id"]: lean(
            W.Dropdown,
            "pl-row",
            options=options,
            value=placed.get(row["id"]) if placed.get(row["id"]) in known else UNSET,
            description=label(n, row),
        )
        for n, row in enumerate(rows, start=1)
    }


@register
class SortExercise(Exercise):
    """Sort statements into categories; scored by its type's scorer (``course_model.exercise_types.sort``)."""

    kind = "sort"
    help = "Choose a category for each statement. Each one placed correctly earns an equal share of the points."
    rows_field, labels_field = "items", "categories"
    blank, row_name = "Choose…", "Statement"
    verb, none_label = "belongs with", "no category"

    row_label = staticmethod(statement_label)

    def build(self, saved):
        self._choices = row_dropdowns(
            self.spec[self.rows_field],
            self.spec[self.labels_field],
            saved if isinstance(saved, dict) else {},
            self.blank,
            self.row_label,
        )
        for choice in self._choices.values():
            choice.observe(self._changed, names="value")
        return lean(W.VBox, children=list(self._choices.values()))

    @property
    def value(self) -> dict[str, str]:
        return {row: d.value for row, d in self._choices.items() if d.value != UNSET}

    def _label(self, label_id) -> str:
        return {c["id"]: c["label"] for c in self.spec[self.labels_field]}.get(
            label_id, self.none_label
        )

    def summary(self, value) -> str:
        placed = value if isinstance(value, dict) else {}
        return "\n".join(
            f"{self.row_name} {n}: {row['text']} → {self._label(placed.get(row['id']))}"
            for n, row in enumerate(self.spec[self.rows_field], start=1)
        )

    def feedback_items(self, value):
        key, items = self.spec.get("key", {}), []
        for n, row in enumerate(self.spec[self.rows_field], start=1):
            right, given = key.get(row["id"]), value.get(row["id"])
            if right is None and given is None:
                continue
            verdict = RIGHT if given == right else WRONG
            text = f"{self.row_name} {n} {self.verb} {self._label(right)}"
            if given != right:
                text += f" (you chose {self._label(given)})"
            items.append((verdict, f"{text}. {row.get('feedback', '')}".strip()))
        return items

    def enter(self, value) -> None:
        """Answer as a learner would: choose a category for each item, one at a time."""
        for row, label in value.items():
            self._choices[row].value = label


@register
class SpotExercise(SortExercise):
    """Spot the tactic: label transcript lines with the tactic they show (DARVO, charm, …);
    scored by its type's scorer (``course_model.exercise_types.spot``), which also counts false alarms."""

    kind = "spot"
    help = (
        "For each line that shows a tactic, choose the tactic. The right tactic earns a full share, another "
        "tactic half a share, and marking a line that shows no tactic takes half a share away."
    )
    rows_field, labels_field = "lines", "tactics"
    blank, row_name = "No tactic", "Line"
    verb, none_label = "shows", "no tactic"

    def row_label(self, n: int, row: dict) -> str:
        return f"{self.row_name} {n}. {row['speaker']}: {row['text']}"
