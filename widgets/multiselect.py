"""Multiple select with partial credit (scored by ``course_model.exercise_types.multiselect``)."""

from __future__ import annotations

import ipywidgets as W

from widgets.base import RIGHT, WRONG, Exercise, lean, register


@register
class MultiSelectExercise(Exercise):
    """A checkbox per option; the answer is the sorted list of ticked option ids."""

    kind = "multiselect"
    help = (
        "Tick every option you think applies. Each right tick earns a share of the points and each "
        "wrong tick takes a share away, so ticking everything earns nothing."
    )

    def build(self, saved):
        ticked = set(saved) if isinstance(saved, list) else set()
        self._boxes = {
            opt["id"]: lean(
                W.Checkbox,
                value=opt["id"] in ticked,
                description=opt["text"],  # shown as text, never as HTML
                indent=False,
            )
            for opt in self.spec["options"]
        }
        for box in self._boxes.values():
            box.observe(self._changed, names="value")
        return lean(W.VBox, children=list(self._boxes.values()))

    @property
    def value(self) -> list[str]:
        return sorted(opt for opt, box in self._boxes.items() if box.value)

    def summary(self, value) -> str:
        ticked = set(value) if isinstance(value, list) else set()
        lines = [f"• {o['text']}" for o in self.spec["options"] if o["id"] in ticked]
        return "Ticked:\n" + "\n".join(lines) if lines else "Nothing was ticked."

    def feedback_items(self, value):
        key, items = set(self.spec["key"]), []
        for opt in self.spec["options"]:
            ticked, right = opt["id"] in value, opt["id"] in key
            if not ticked and not right:
                continue
            if ticked and right:
                lead = "You ticked this, rightly."
            elif ticked:
                lead = "You ticked this, but it does not apply."
            else:
                lead = "You left this out, but it applies."
            items.append(
                (
                    RIGHT if ticked == right else WRONG,
                    f"{opt['text']} {lead} {opt.get('feedback', '')}".strip(),
                )
            )
        return items

    def enter(self, value) -> None:
        """Answer as a learner would: tick each option, one at a time."""
        for option in value:
            self._boxes[option].value = True
