"""The trainer's dashboard: run a cohort from a page, without a terminal.

Served like the learner's pages (Voilà, the practice-lab template, keyboard-usable controls) by
``practice-lab grade dashboard``. Every action calls the same function as the command line:
roster import, the nbgrader steps (in the background through ``grading.jobs``, so the page can be
closed and reopened and two clicks never start a step twice), the cohort report and the exports.
The page reads the cohort's state again every two seconds; what a person typed or a file named is
escaped wherever it is shown.
"""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as W
from IPython.display import display

from course_model import workspace
from grading import course_dir, jobs
from grading.cohort import module_states
from grading.demo import demo_root
from practice_lab import dashboard_accounts
from practice_lab.dashboard_results import DEMO_QUERY, DemoPanel, build_results
from practice_lab.job_view import set_html, show_job
from widgets.base import button, escape
from workshop import ui

COURSE_ENV = "PRACTICE_LAB_TRAINER_COURSE"  # the course directory the page runs, set by the command
MAX_UPLOAD_BYTES = 2_000_000
REFRESH_S = 2.0
ACTIONS = {  # the next action a module's state names, and its button
    "release": "Release to learners",
    "collect": "Collect submissions",
    "autograde": "Autograde",
    "mark": "Mark reflections",
    "feedback": "Release feedback",
}
EXPLAIN = "Also show each learner the right answers and why"
DEMO_BANNER = (
    '<p class="pl-tr-demo"><strong>Demo cohort.</strong> Every learner here is fictional. Try '
    "every button: nothing here touches your own cohort. "
    '<a href="?">Back to your cohort</a></p>'
)
NO_DEMO = "No demo cohort yet: run one from your dashboard (Try it on a demo cohort)."
STYLE = """<style>
.pl-tr h2 { font-size: 1.25rem; margin: 1.2rem 0 0.4rem; }
.pl-tr-row { border-bottom: 1px solid #b0b0b0; padding: 0.4rem 0; align-items: center; }
.pl-tr-name { flex: 0 0 16rem; }
.pl-tr-state { flex: 1 1 auto; }
.pl-tr-demo { border-left: 0.4rem solid #005ea5; padding: 0.4rem 0.8rem; background: #eef4fa; }
.pl-tr pre { white-space: pre-wrap; font-size: 0.9rem; }
</style>"""


def trainer_course() -> Path:
    """The course directory this page runs: the one the command was given, else the default."""
    return Path(os.environ.get(COURSE_ENV) or workspace.trainer_dir())


def _heading(text: str) -> W.HTML:
    return W.HTML(f"<h2>{escape(text)}</h2>")


class ModuleRow:
    """One module: its state for the cohort, the next action's button and the step's progress."""

    def __init__(self, page: Dashboard, module: str, title: str):
        self.page, self.module = page, module
        self.name = W.HTML(f"<strong>{escape(title)}</strong><br><small>{escape(module)}</small>")
        self.name.add_class("pl-tr-name")
        self.state = W.HTML()
        self.state.add_class("pl-tr-state")
        self.button = button("", layout=W.Layout(display="none"))
        self.button.on_click(self.act)
        # Beside "Release feedback" only: the trainer's choice to show each item's right answer.
        self.explain = W.Checkbox(
            value=False,
            description=EXPLAIN,
            indent=False,
            layout=W.Layout(display="none", width="auto"),
        )
        self.progress = W.IntProgress(layout=W.Layout(display="none", width="12rem"))
        self.job = W.HTML()  # the latest background step, redrawn as it runs
        self.note = W.HTML()  # what the last click led to (formgrader's links, "already running")
        self.action: str | None = None
        top = W.HBox([self.name, self.state, self.progress, self.explain, self.button])
        top.add_class("pl-tr-row")
        self.root = W.VBox([top, self.job, self.note])

    def act(self, _=None) -> None:
        """Start the next action; a step already running is never started again."""
        if self.action == "mark":
            self.note.value = ui.message("Starting formgrader…", "note")
            self.note.value = self.page.marking_links()
            return
        explain = self.action == "feedback" and self.explain.value
        started = bool(self.action) and jobs.start(
            self.page.course, self.action, self.module, explanations=explain
        )
        self.note.value = (
            ""
            if started
            else ui.message(
                f"{ACTIONS.get(self.action or '', 'That step')} is already running.", "note"
            )
        )
        self.page.refresh()

    def show(self, state) -> None:
        """Show ``state`` (from ``grading.cohort``) and the latest background step, if any."""
        set_html(self.state, escape(state.reason))
        self.action = state.next_action
        running = self._show_job()
        label = ACTIONS.get(self.action or "", "")
        self.button.description = label
        self.button.tooltip = f"{label}: {state.module}" if label else ""
        self.button.layout.display = "none" if running or not label else None
        feedback_next = self.action == "feedback" and not running
        self.explain.layout.display = None if feedback_next else "none"

    def _show_job(self) -> bool:
        """Show the newest background step of this module; True while one is running."""
        found = [
            j for s in jobs.MODULE_STEPS if (j := jobs.status(self.page.course, s, self.module))
        ]
        if not found:
            return False
        job = max(found, key=lambda j: j.started)
        return show_job(job, ACTIONS.get(job.step, job.step), self.progress, self.job)


class Dashboard:
    """The trainer's page for one course directory."""

    def __init__(self, course: Path, demo: bool = False):
        self.course = course
        self.demo = None if demo else DemoPanel(course)  # no demo inside the demo
        self.rows: dict[str, ModuleRow] = {}
        self._problem = W.HTML()
        self._modules = W.VBox()
        self._upload = W.FileUpload(
            accept=".csv,.xlsx", multiple=False, description="Upload roster"
        )
        self._upload.observe(self._roster_uploaded, "value")
        self._roster_msg = W.HTML()
        self._accounts = W.HTML()
        self._report_button = button("Build the cohort report", kind="primary")
        self._report_button.on_click(self.build_report)
        self._report = W.HTML()
        self.root = W.VBox(
            [
                W.HTML(STYLE),
                ui.style(),
                W.HTML(f"<h1>Trainer's dashboard</h1><p>Course directory: {escape(course)}</p>"),
                W.HTML(DEMO_BANNER if demo else ""),
                self._problem,
                _heading("Cohort"),
                W.HTML(
                    "<p>Upload the roster as your spreadsheet saves it (CSV or XLSX) with the "
                    "columns id, name, email and team. A new file adds to the cohort.</p>"
                ),
                self._upload,
                self._one_learner_form(),
                self._roster_msg,
                self._accounts,
                _heading("Modules"),
                self._modules,
                _heading("Results"),
                self._report_button,
                self._report,
                *([_heading("Learn the page"), self.demo.root] if self.demo else []),
            ]
        )
        self.root.add_class("pl-tr")
        ui.every(REFRESH_S, self.refresh, self._show_problem)

    def _one_learner_form(self) -> W.VBox:
        """Add one learner by typing their details; remove one chosen from the cohort."""
        self._person = {
            field: W.Text(description=label, layout=W.Layout(width="22rem"))
            for field, label in [
                ("id", "Id"),
                ("name", "Name"),
                ("email", "E-mail"),
                ("team", "Team"),
            ]
        }
        add = button("Add this learner")
        add.on_click(self.add_learner)
        self._who = W.Dropdown(description="Learner", options=[])
        remove = button("Remove this learner")
        remove.on_click(self.remove_learner)
        return W.VBox(
            [
                W.HTML("<p>Or add one learner:</p>"),
                *self._person.values(),
                add,
                W.HTML("<p>Remove one learner (never one who has submitted work):</p>"),
                W.HBox([self._who, remove]),
            ]
        )

    def _show_problem(self, text: str) -> None:
        self._problem.value = ui.message(text, "problem")

    def refresh(self) -> None:
        """Read every module's state again and show it, and the cohort in the removal list."""
        states = module_states(self.course)
        cohort = tuple(states[0].learners) if states else ()
        if tuple(self._who.options) != cohort:
            self._who.options = cohort
        for state in states:
            if state.module not in self.rows:
                self.rows[state.module] = ModuleRow(self, state.module, state.title)
                self._modules.children = [r.root for r in self.rows.values()]
            self.rows[state.module].show(state)
        if self.demo:
            self.demo.refresh()
        set_html(self._problem, "")

    def _roster_uploaded(self, change) -> None:
        from grading.roster import RosterError, import_roster

        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = Path(str(upload["name"])).name or "roster.csv"
        if upload["size"] > MAX_UPLOAD_BYTES:
            self._roster_msg.value = ui.message(
                f"{name} is larger than {MAX_UPLOAD_BYTES:,} bytes: is it the roster?", "problem"
            )
            return
        folder = self.course / "uploads"
        folder.mkdir(exist_ok=True)
        suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
        path = folder / f"roster-upload{suffix}"
        path.write_bytes(bytes(upload["content"]))
        try:
            result = import_roster(path, self.course, course_dir.db_url(self.course))
        except RosterError as exc:
            text = str(exc).replace(str(path), name)
            self._roster_msg.value = (
                f"{ui.message('The roster was not imported:', 'problem')}<pre>{escape(text)}</pre>"
            )
        else:
            self._roster_msg.value = ui.message(result.summary(Path(name)), "ok")
            self._make_accounts()
        self._upload.value = ()
        self.refresh()

    def _cohort_changed(self, change) -> None:
        """Say what a roster change did (or why it was refused), then show the cohort again."""
        from grading.roster import RosterError

        try:
            result = change()
        except RosterError as exc:
            self._roster_msg.value = ui.message(str(exc), "problem")
        else:
            summary = ", ".join(
                f"{len(ids)} {what}"
                for what, ids in [
                    ("added", result.added),
                    ("changed", result.changed),
                    ("removed", result.removed),
                ]
                if ids
            )
            self._roster_msg.value = ui.message(
                f"Cohort updated: {summary or 'nothing changed'}.", "ok"
            )
            self._make_accounts()
        self.refresh()

    def _make_accounts(self) -> None:
        """On a hub, make an account for every learner in the cohort who has none and show the
        new ones' one-time codes (never for the demo cohort: its learners are fictional)."""
        from grading.roster import kept_roster

        if dashboard_accounts.on_hub() and self.demo is not None:
            self._accounts.value = ui.message("Making the learners' accounts…", "note")
            ids = [person.id for person in kept_roster(self.course)]
            self._accounts.value = dashboard_accounts.make_cohort_accounts(ids)

    def add_learner(self, _=None) -> None:
        """Add the learner typed in the form (checked as a roster line is)."""
        from grading.roster import Learner, add_learner

        person = Learner(**{f: w.value for f, w in self._person.items()})
        self._cohort_changed(
            lambda: add_learner(self.course, course_dir.db_url(self.course), person)
        )

    def remove_learner(self, _=None) -> None:
        """Remove the learner chosen in the list."""
        from grading.roster import remove_learner

        if self._who.value:
            chosen = self._who.value
            self._cohort_changed(
                lambda: remove_learner(self.course, course_dir.db_url(self.course), chosen)
            )

    def build_report(self, _=None) -> None:
        """Build the cohort report and the exports, show the report and offer the files."""
        self._report.value = ui.message("Building the report…", "note")
        self._report.value = build_results(self.course, synthetic=self.demo is None)  # demo cohort

    def marking_links(self) -> str:
        """Links to formgrader and to the marking guide, each in a new tab. On a hub, formgrader
        is part of the trainer's own server; elsewhere it is started here if needed."""
        from grading import formgrader

        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX")  # "/user/<trainer>/" on a hub
        try:
            if prefix:
                formgrader.write_marking_guide(self.course)
                marking, guide = f"{prefix}formgrader", f"{prefix}files/{formgrader.GUIDE}"
            else:
                marking, guide = formgrader.ensure_running(self.course)
        except (OSError, TimeoutError) as exc:
            return ui.message(f"Formgrader could not start: {exc}", "problem")
        return (
            "<p>Mark each reflection against its rubric in formgrader; keep the marking guide "
            "open beside it. Come back here when you have marked them.</p><ul>"
            f'<li><a href="{escape(marking)}" target="_blank" rel="noopener">Open formgrader '
            "(new tab)</a></li>"
            f'<li><a href="{escape(guide)}" target="_blank" rel="noopener">Open the marking '
            "guide (new tab)</a></li></ul>"
        )


def dashboard() -> Dashboard | None:
    """Show the trainer's dashboard for the course directory this page was started for, or for
    its demo cohort when the page's address asks for it (``?cohort=demo``)."""
    course = trainer_course()
    demo = os.environ.get("QUERY_STRING", "") == DEMO_QUERY  # Voilà passes the page's query
    if demo:
        course = demo_root(course) / "trainer"
        if not (course / "nbgrader_config.py").exists():
            display(W.HTML(ui.message(NO_DEMO, "problem")))
            return None
    page = Dashboard(course, demo=demo)
    display(page.root)
    return page
