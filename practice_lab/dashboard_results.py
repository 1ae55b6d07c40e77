"""The trainer's page, results: the cohort report with its downloads, and the demo cohort.

The report and every export are built by the same functions as ``practice-lab grade report`` and
``grade export``. "Try it on a demo cohort" runs ``grading.demo`` in the background into a folder
beside the course (``grading.demo.demo_root``), then shows the demo's report and a link that opens
the dashboard on the demo cohort, so a trainer can learn the page without real learners.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W

from grading import course_dir, jobs
from practice_lab.job_view import set_html, show_job
from widgets.base import button, escape
from widgets.cpd import download_link
from workshop import ui

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {  # the exports offered beside the report, and what each is for
    "moodle": "grades for Moodle's grade import",
    "records": "learning records, a row per completed module",
    "cpd": "CPD hours per learner",
}
DEMO_QUERY = "cohort=demo"  # the dashboard's address asks for the demo cohort with this


def report_frame(report: Path, title: str = "Cohort report") -> str:
    """A cohort report shown inside the page: a sandboxed frame (no scripts, no forms)."""
    page = escape(report.read_text(encoding="utf-8"))
    return (
        f'<iframe title="{escape(title)}" sandbox srcdoc="{page}" '
        'style="width:100%;height:40rem;border:1px solid #767676"></iframe>'
    )


def build_results(course: Path, synthetic: bool = False) -> str:
    """Build the cohort report and every export for ``course``; the page's HTML offering them.
    ``synthetic``: the course is the demo's, and its report says every learner is fictional."""
    from grading import records, score_sheet
    from grading.report import build_report

    out = course / "results"
    out.mkdir(exist_ok=True)
    db_url = course_dir.db_url(course)
    written = build_report(course, db_url, out / "cohort-report.html", True, synthetic)
    skipped = {(u.learner, u.module) for u in written["left_out"]}
    files = [
        (written["html"], "text/html", "the cohort report"),
        (written["pdf"], "application/pdf", "the cohort report as PDF"),
        (written["csv"], "text/csv", "the item statistics"),
        (score_sheet.export_scores(course, db_url, out / "scores.xlsx", skipped), XLSX, "scores"),
    ]
    notes = []
    for shape, what in EXPORTS.items():
        made = records.build_export(shape, course, db_url, skipped)
        files.append((records.write_export(made, out / f"{shape}.csv"), "text/csv", what))
        notes += made.notes
    left_out = "".join(f"<li>{escape(u)}</li>" for u in [*written["left_out"], *notes])
    links = "".join(
        f"<li>{download_link(path, mime, f'Download {what} ({path.name})')}</li>"
        for path, mime, what in files
    )
    return (
        (f"<p>Please note:</p><ul>{left_out}</ul>" if left_out else "")
        + f"<ul>{links}</ul>"
        + report_frame(written["html"])
    )


class DemoPanel:
    """ "Try it on a demo cohort": start the demo, follow it, then show its report."""

    def __init__(self, course: Path):
        self.course = course
        self.button = button(
            "Try it on a demo cohort",
            tooltip="Six fictional learners through two modules, in a separate folder",
        )
        self.button.on_click(self.start)
        self.progress = W.IntProgress(layout=W.Layout(display="none", width="12rem"))
        self.state = W.HTML()
        self.report = W.HTML()
        self._shown_report = ""
        self.root = W.VBox(
            [
                W.HTML(
                    "<p>New to this page? The demo runs six fictional learners through two "
                    "modules — release, submissions, autograde, marked reflections, feedback — in "
                    "a folder of its own, then shows its report. It takes a few minutes and never "
                    "touches your cohort.</p>"
                ),
                W.HBox([self.button, self.progress]),
                self.state,
                self.report,
            ]
        )

    def start(self, _=None) -> None:
        """Start the demo in the background unless it is already running."""
        if not jobs.start(self.course, "demo", jobs.DEMO):
            set_html(self.state, ui.message("The demo is already running.", "note"))
        self.refresh()

    def refresh(self) -> None:
        """Show where the demo is; once it is done, its report and the way into its cohort."""
        job = jobs.status(self.course, "demo", jobs.DEMO)
        if job is None:
            return
        running = show_job(job, "Demo cohort", self.progress, self.state, unit="steps")
        self.button.disabled = running
        report = Path(job.result) if job.state == jobs.DONE and job.result else None
        if report is None or not report.exists() or self._shown_report == job.result:
            return
        self._shown_report = job.result
        self.report.value = (
            f'<p><a href="?{DEMO_QUERY}" target="_blank" rel="noopener">Open the demo cohort '
            "in this dashboard (new tab)</a>: every button works there on fictional learners."
            f"</p>{report_frame(report, 'Demo cohort report')}"
        )
