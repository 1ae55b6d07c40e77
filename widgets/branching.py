"""Branching scenario: scenes and choices as data (a case conference, a home visit).

The answer is the path: the list of choice ids taken from the start. Every choice, "Back one
step" and "Start again" saves it. Choices are buttons, so the scenario can be played by
keyboard alone. In practice mode each choice's feedback appears as soon as it is made; the
path is scored by its type's scorer (``course_model.exercise_types.branching``) once it reaches an ending.
"""

from __future__ import annotations

import ipywidgets as W

from widgets.base import NOTE, RIGHT, WRONG, Exercise, button, close_all, escape, lean, register
from widgets.design import INSET


@register
class BranchingExercise(Exercise):
    kind = "branching"
    help = (
        "Choose what you do at each step. You can go back a step or start again at any time. Your path "
        "is marked when it reaches an ending: the better each choice, the more points."
    )

    def build(self, saved):
        self._scenes = {s["id"]: s for s in self.spec["scenes"]}
        self._choices_by_id = {
            c["id"]: c for s in self.spec["scenes"] for c in s.get("choices", [])
        }
        self._path = self._playable(saved)
        self._trail = lean(W.HTML)
        self._scene = lean(W.HTML)
        self._buttons = lean(W.VBox, "pl-choices")
        self._back = button("Back one step")
        self._restart = button("Start again")
        self._back.on_click(lambda _b: self._step_back())
        self._restart.on_click(lambda _b: self._start_again())
        self._render()
        steps = lean(W.HBox, children=[self._back, self._restart])
        return lean(W.VBox, children=[self._trail, self._scene, self._buttons, steps])

    def _playable(self, saved) -> list[str]:
        """The longest start of ``saved`` that follows the scenario's links (tampering dropped)."""
        path, scene = [], self._scenes[self.spec["start"]]
        for choice_id in saved if isinstance(saved, list) else []:
            choice = next((c for c in scene.get("choices", []) if c["id"] == choice_id), None)
            if choice is None:
                break
            path.append(choice_id)
            scene = self._scenes[choice["next"]]
        return path

    def _render(self) -> None:
        steps = []
        for n, choice_id in enumerate(self._path, start=1):
            choice = self._choices_by_id[choice_id]
            line = f"<li>Step {n}: you chose <q>{escape(choice['text'])}</q>"
            if self.practice and choice.get("feedback"):
                line += f'<br><span class="pl-note">{escape(choice["feedback"])}</span>'
            steps.append(line + "</li>")
        self._trail.value = (
            f'<ol class="pl-trail" aria-label="Your path so far">{"".join(steps)}</ol>'
            if steps
            else ""
        )
        scene = self._scene_after(self._path)
        title = f"<h4>{escape(scene['title'])}</h4>" if scene.get("title") else ""
        ending = ""
        if scene.get("ending"):
            ending = "<p><strong>This is the end of the scenario.</strong> Use Back or Start again to explore other paths.</p>"
        self._scene.value = f'<div class="{INSET} pl-scene" aria-live="polite">{title}<p>{escape(scene["text"])}</p>{ending}</div>'
        buttons = []
        for choice in scene.get("choices", []):
            choose = button(choice["text"])
            choose.on_click(lambda _b, cid=choice["id"]: self._choose(cid))
            buttons.append(choose)
        old, self._buttons.children = self._buttons.children, buttons
        for old_button in old:
            close_all(old_button)
        self._back.disabled = not self._path
        if scene.get("ending"):
            self.check()

    def _choose(self, choice_id: str) -> None:
        self._path.append(choice_id)
        self._render()
        self._changed()

    def _step_back(self) -> None:
        if self._path:
            self._path.pop()
            self.feedback.value = ""
            self._render()
            self._changed()

    def _start_again(self) -> None:
        self._path = []
        self.feedback.value = ""
        self._render()
        self._changed()

    @property
    def value(self) -> list[str]:
        return list(self._path)

    def summary(self, value) -> str:
        path = self._playable(value)
        if not path:
            return "(the scenario was not started)"
        lines = [f"{n}. {self._choices_by_id[c]['text']}" for n, c in enumerate(path, start=1)]
        reached = self._scene_after(path)
        lines.append("Reached an ending." if reached.get("ending") else "Stopped before an ending.")
        return "\n".join(lines)

    def _scene_after(self, path: list[str]) -> dict:
        scene = self._scenes[self.spec["start"]]
        for choice_id in path:
            scene = self._scenes[self._choices_by_id[choice_id]["next"]]
        return scene

    def feedback_items(self, value):
        if not self._scene_after(value).get("ending"):
            return [(NOTE, "Play the scenario through to an ending to see how you did.")]
        key = self.spec.get("key", {})
        items = []
        for choice_id in value:
            weight = key.get(choice_id, 0)
            verdict = RIGHT if weight >= 0.75 else WRONG if weight < 0.5 else NOTE
            choice = self._choices_by_id[choice_id]
            items.append((verdict, f"{choice['text']} {choice.get('feedback', '')}".strip()))
        return items

    def enter(self, value) -> None:
        """Answer as a learner would: take each choice in turn."""
        for choice in value:
            self._choose(choice)
