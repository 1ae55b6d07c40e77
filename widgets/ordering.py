"""Order a chronology (scored by ``course_model.exercise_types.order``: pairs in the right order).

A list box holds the events; "Move up" and "Move down" move the selected one. Both are native
controls, so the whole task works from the keyboard: Tab to the list, arrow keys to choose an
event, Tab to a button, Enter to move it.
"""

from __future__ import annotations

import ipywidgets as W

from widgets.base import NOTE, RIGHT, WRONG, Exercise, button, escape, lean, register

SHORT = 90  # characters of an event shown in the list box


@register
class OrderExercise(Exercise):
    """The answer is the list of item ids in the learner's order, saved on every move."""

    kind = "order"
    help = (
        "Select an event in the list and move it with the buttons (by keyboard: arrow keys in the list, "
        "then Tab to a button and press Enter). Every pair of events in the right order earns a share of "
        "the points, so a nearly right order earns most of them. If the order shown is already your "
        "answer, press 'This order is my answer'."
    )

    def build(self, saved):
        self._text = {i["id"]: i["text"] for i in self.spec["items"]}
        shown = [i["id"] for i in self.spec["items"]]
        self._order = (
            list(saved) if isinstance(saved, list) and sorted(saved) == sorted(shown) else shown
        )
        self._list = W.Select(
            options=self._options(),
            value=self._order[0],
            rows=len(self._order),
            description="Events, first at the top",
            layout=W.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        up = button("Move selected event up", icon="arrow-up")
        down = button("Move selected event down", icon="arrow-down")
        keep = button("This order is my answer", tooltip="Save the order as it is now")
        up.on_click(lambda _b: self._move(-1))
        down.on_click(lambda _b: self._move(+1))
        keep.on_click(self._changed)
        self._full = lean(W.HTML, value=self._full_html())
        buttons = lean(W.HBox, "pl-buttons", children=[up, down, keep])
        return lean(W.VBox, children=[self._list, buttons, self._full])

    def _options(self) -> list[tuple[str, str]]:
        """List-box labels, shortened: a native list box cannot wrap long lines."""

        def short(text: str) -> str:
            return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"

        return [(f"{n}. {short(self._text[i])}", i) for n, i in enumerate(self._order, start=1)]

    def _full_html(self) -> str:
        items = "".join(f"<li>{escape(self._text[i])}</li>" for i in self._order)
        return (
            '<p class="pl-help">Your order in full:</p>' + f'<ol class="pl-full-order">{items}</ol>'
        )

    def _move(self, step: int) -> None:
        selected = self._list.value
        at = self._order.index(selected)
        to = at + step
        if not 0 <= to < len(self._order):
            return
        self._order[at], self._order[to] = self._order[to], self._order[at]
        self._list.options = self._options()
        self._list.value = selected
        self._full.value = self._full_html()
        self._changed()

    @property
    def value(self) -> list[str]:
        return list(self._order)

    def summary(self, value) -> str:
        if not isinstance(value, list):
            return "(not ordered)"
        return "\n".join(f"{n}. {self._text.get(i, i)}" for n, i in enumerate(value, start=1))

    def feedback_items(self, value):
        key = self.spec["key"]
        items = []
        for n, item in enumerate(key, start=1):
            placed = value.index(item) + 1
            verdict = RIGHT if placed == n else WRONG
            where = "in the right place" if placed == n else f"you placed it {placed}"
            items.append((verdict, f"{n}. {self._text[item]} ({where})"))
        items.append((NOTE, "Every pair of events in the right order earns a share of the points."))
        return items

    def enter(self, value) -> None:
        """Answer as a learner would: select each event and move it up into place."""
        for target, item in enumerate(value):
            self._list.value = item
            while self.value.index(item) > target:
                self._move(-1)
