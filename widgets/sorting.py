"""Sort items into categories, e.g. statements into the three planets."""

from __future__ import annotations

import ipywidgets as W

from widgets.base import Exercise, escape

UNPLACED = ""


class SortExercise(Exercise):
    """Each item gets a drop-down of categories (a native select: keyboard and screen-reader
    friendly). The answer maps item id to category id, for placed items only."""

    kind = "sort"

    def build(self, saved):
        placed = saved if isinstance(saved, dict) else {}
        cat_ids = {c["id"] for c in self.spec["categories"]}
        options = [("Choose…", UNPLACED)] + [(c["label"], c["id"]) for c in self.spec["categories"]]
        self._choices: dict[str, W.Dropdown] = {}
        rows = []
        for n, item in enumerate(self.spec["items"], start=1):
            current = placed.get(item["id"], UNPLACED)
            choice = W.Dropdown(
                options=options,
                value=current if current in cat_ids else UNPLACED,
                description=f"Statement {n}",
                layout=W.Layout(width="max-content"),
            )
            self._choices[item["id"]] = choice
            text = W.HTML(f'<p class="pl-item"><strong>{n}.</strong> {escape(item["text"])}</p>')
            rows.append(W.VBox([text, choice]))
        for choice in self._choices.values():
            choice.observe(self._changed, names="value")
        return W.VBox(rows)

    @property
    def value(self) -> dict[str, str]:
        return {item: d.value for item, d in self._choices.items() if d.value != UNPLACED}

    def summary(self, value) -> str:
        placed = value if isinstance(value, dict) else {}
        labels = {c["id"]: c["label"] for c in self.spec["categories"]}
        lines = [
            f"{n}. {item['text']} -> {labels.get(placed.get(item['id']), 'not placed')}"
            for n, item in enumerate(self.spec["items"], start=1)
        ]
        return "\n".join(lines)
