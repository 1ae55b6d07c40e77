"""``practice-lab grade …``: the trainer's nbgrader steps, each a thin wrapper over one function
of ``grading/`` (the trainer's dashboard calls the same functions)."""

from __future__ import annotations

import argparse
import sys
import webbrowser
from pathlib import Path

from course_model import workspace
from practice_lab.arg_paths import folder, input_file, output_file


def _course(args) -> Path:
    return args.course_dir or workspace.trainer_dir()


def _init(args, course: Path) -> int:
    from grading import course_dir

    exchange = args.exchange or workspace.exchange_dir()
    config = course_dir.init(course, exchange, args.db, shared=args.shared)
    print(f"Course directory ready: {config}")
    return 0


def _demo(args, _course_dir: Path) -> int:
    import time

    from grading.demo import run_demo

    root = workspace.root() / f"demo-{time.strftime('%Y%m%d-%H%M%S')}"
    print(
        f"Running the whole pipeline for {args.learners} synthetic learners in {root} …", flush=True
    )
    written = run_demo(root, learners=args.learners, workers=args.workers)
    print(
        f"Cohort report: {written['report']}\nScores: {written['scores']}\n"
        f"Statistics: {written['statistics']}"
    )
    return 0


def _release(args, course: Path) -> int:
    from grading import course_dir

    done = course_dir.release(course, args.module, force=args.force)
    print(
        f"Released {args.module}."
        if done
        else f"{args.module} is already released (use --force to redo)."
    )
    return 0


def _collect(args, course: Path) -> int:
    from grading import course_dir

    return _step_with_progress(course_dir.collect, course, args.module)


def _autograde(args, course: Path) -> int:
    from grading.autograde import autograde

    report = autograde(course, args.module, workers=args.workers, on_progress=_progress)
    print(file=sys.stderr)
    print(report.summary(course / "autograded"))
    for line in report.details():
        print(line)
    return 1 if report.failed else 0


def _feedback(args, course: Path) -> int:
    from grading import course_dir

    return _step_with_progress(
        course_dir.feedback, course, args.module, explanations=args.explanations
    )


def _step_with_progress(step, course: Path, module_id: str, **options) -> int:
    """Run a per-learner step with the progress bar on stderr, then print its summary."""
    summary = step(course, module_id, on_progress=_progress, **options)
    print(file=sys.stderr)
    print(summary)
    return 0


def _roster(args, course: Path) -> int:
    from grading import course_dir
    from grading.roster import RosterError, import_roster

    try:
        imported = import_roster(args.file, course, course_dir.db_url(course), args.replace)
    except RosterError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(imported.summary(args.file))
    return 0


def _export(args, course: Path) -> int:
    from grading import course_dir, score_sheet
    from grading.submissions import collect_answers, refuse_unreadable

    collected = collect_answers(course)
    refuse_unreadable(collected.unreadable, args.allow_unreadable)
    db_url = course_dir.db_url(course)
    if args.shape == "scores":
        written = score_sheet.export_scores(course, db_url, args.out, collected.left_out())
        if written.suffix.lower() != ".xlsx":
            print(f"Each column's ids, for scripts: {score_sheet.keys_path(written)}")
    else:
        from grading import records

        made = records.build_export(
            args.shape, course, db_url, collected.left_out(), args.identify_by.replace("-", "_")
        )
        written = records.write_export(made, args.out)
        for note in made.notes:
            print(note, file=sys.stderr)
    print(f"{args.shape.capitalize()} written to {written}")
    return _told_left_out(collected.unreadable)


def _report(args, course: Path) -> int:
    from grading import course_dir
    from grading.report import build_report

    written = build_report(course, course_dir.db_url(course), args.out, args.allow_unreadable)
    print(f"Report: {written['html']} (PDF: {written['pdf']}; statistics: {written['csv']})")
    return _told_left_out(written["left_out"])


def _told_left_out(unreadable) -> int:
    """Name the submissions left out (the trainer allowed it): exit 0, but never silently."""
    if unreadable:
        from grading.submissions import unreadable_message

        print(unreadable_message(unreadable, allowed=True), file=sys.stderr)
    return 0


def _dashboard(args, course: Path) -> int:
    """Serve the trainer's dashboard for ``course`` in Voilà on 127.0.0.1 until Ctrl+C."""
    import shutil
    import subprocess

    from grading import course_dir, formgrader
    from practice_lab import serve
    from practice_lab.dashboard import COURSE_ENV

    if not (course / "nbgrader_config.py").exists():
        course_dir.init(course, workspace.exchange_dir())
    pages = workspace.root() / "trainer-pages"
    pages.mkdir(exist_ok=True)
    shutil.copyfile(Path(__file__).parent / "share" / "trainer" / DASHBOARD, pages / DASHBOARD)
    env = {**serve.voila_env(), COURSE_ENV: str(course)}
    print(
        f"Trainer's dashboard for {course}\n"
        f"Open http://{args.ip}:{args.port}/voila/render/{DASHBOARD} in your browser "
        "(Ctrl+C stops).",
        flush=True,
    )
    try:
        return subprocess.call(serve.voila_command(pages, args.port, args.ip), env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        formgrader.stop(course)  # if the page started one


def _formgrade_step(args, course: Path) -> int:
    return _formgrade(course, args.port, not args.no_browser)


STEPS = {
    "init": _init,
    "demo": _demo,
    "release": _release,
    "collect": _collect,
    "autograde": _autograde,
    "feedback": _feedback,
    "roster": _roster,
    "export": _export,
    "report": _report,
    "formgrade": _formgrade_step,
    "dashboard": _dashboard,
}
NEEDS_COURSE = set(STEPS) - {"init", "demo", "dashboard"}
DASHBOARD = "dashboard.ipynb"


def cmd_grade(args) -> int:
    """Run one trainer's step on the course directory."""
    course = _course(args)
    if args.step in NEEDS_COURSE and not (course / "nbgrader_config.py").exists():
        print(
            f"{course} is not a course directory yet: run `practice-lab grade init` first.",
            file=sys.stderr,
        )
        return 2
    if getattr(args, "module", None) is not None and not _known_module(args.module):
        return 1
    return STEPS[args.step](args, course)


def _known_module(module_id: str) -> bool:
    """Whether ``module_id`` is a module of the course; if not, say which ones are."""
    from course_model import content

    known = [*content.module_ids(), content.GALLERY]
    if module_id in known:
        return True
    print(
        f"There is no module called {module_id!r}. The modules are: {', '.join(known)}.",
        file=sys.stderr,
    )
    return False


def _progress(done: int, total: int, elapsed: float) -> None:
    """A one-line progress bar with counts and time left, redrawn in place on stderr."""
    width = 30
    filled = width * done // total
    left = elapsed / done * (total - done) if done else 0
    bar = "#" * filled + "." * (width - filled)
    print(
        f"\r[{bar}] {done}/{total} learners · about {left:.0f} s left",
        end="",
        file=sys.stderr,
        flush=True,
    )


def _formgrade(course: Path, port: int, open_browser: bool) -> int:
    """Run a Jupyter server with nbgrader's formgrader on 127.0.0.1, behind a fresh token."""
    import secrets
    import subprocess

    from grading import formgrader

    formgrader.write_marking_guide(course)
    token = secrets.token_urlsafe(24)
    url, guide = formgrader.urls(port, token)
    print(
        f"Formgrader: {url}\nMarking guide (rubrics and reusable comments): {guide}\n"
        "Learners are shown as numbered submissions; use the eye button to show names.\n(Ctrl+C stops it.)",
        flush=True,
    )
    if open_browser:
        webbrowser.open(url)
    try:
        return subprocess.call(formgrader.command(course, port, token), cwd=course)
    except KeyboardInterrupt:
        return 0


def add_parser(sub) -> None:
    """Add ``grade`` and its steps to the command's subparsers."""
    g = sub.add_parser("grade", help="the trainer's nbgrader steps")
    g.add_argument(
        "--course-dir", type=folder, help="nbgrader course directory (default: <home>/trainer)"
    )
    g.set_defaults(func=cmd_grade)
    steps = g.add_subparsers(dest="step", required=True)
    i = steps.add_parser("init", help="create the course directory and its nbgrader_config.py")
    i.add_argument("--exchange", type=folder, help="exchange folder (default: <home>/exchange)")
    i.add_argument(
        "--db", help="SQLAlchemy URL of the gradebook (default: SQLite in the course directory)"
    )
    i.add_argument(
        "--shared",
        action="store_true",
        help="learners and trainer are separate Unix users on one server (a hub): check who "
        "wrote each submission and keep submissions and feedback private",
    )
    _add_module_steps(steps)
    ro = steps.add_parser(
        "roster", help="import learners from a CSV with columns id, name, email, team"
    )
    ro.add_argument("action", choices=["import"])
    ro.add_argument("file", type=input_file, help="the roster CSV")
    ro.add_argument(
        "--replace",
        action="store_true",
        help="make this file the whole cohort (default: add to the learners imported before)",
    )
    _add_export(steps)
    dm = steps.add_parser("demo", help="run the whole pipeline on a seeded synthetic cohort")
    dm.add_argument("--learners", type=int, default=10)
    dm.add_argument("--workers", type=int, default=2)
    rp = steps.add_parser(
        "report", help="the cohort report: one HTML file with figures, plus a CSV"
    )
    rp.add_argument("--out", type=output_file, default="cohort-report.html")
    _allow_unreadable(rp)
    d = steps.add_parser("dashboard", help="the trainer's page: run the cohort from a browser")
    d.add_argument("--port", type=int, default=8867)
    d.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: this machine)")
    f = steps.add_parser("formgrade", help="open nbgrader's formgrader to mark reflections")
    f.add_argument("--port", type=int, default=8877)
    f.add_argument(
        "--no-browser", action="store_true", help="print the address instead of opening it"
    )


def _add_export(steps: argparse._SubParsersAction) -> None:
    e = steps.add_parser(
        "export", help="scores, or a file for Moodle, learning records or CPD hours"
    )
    e.add_argument(
        "--out",
        type=output_file,
        default="scores.csv",
        help="where to write it (.csv; scores also .xlsx)",
    )
    e.add_argument(
        "--shape",
        choices=["scores", "moodle", "records", "cpd"],
        default="scores",
        help="scores (default): a column per item; moodle: Moodle's grade import; records: one row "
        "per completed module for learning records; cpd: CPD minutes per learner and module",
    )
    e.add_argument(
        "--identify-by",
        choices=["email", "id-number"],
        default="email",
        help="the column Moodle matches learners by (moodle only; default email)",
    )
    _allow_unreadable(e)


def _allow_unreadable(step: argparse.ArgumentParser) -> None:
    step.add_argument(
        "--allow-unreadable",
        action="store_true",
        help="write it even if some submissions' answers cannot be read (they are left out and listed)",
    )


def _add_module_steps(steps: argparse._SubParsersAction) -> None:
    for name, text in [
        ("release", "release a module to learners"),
        ("collect", "collect submissions"),
        ("autograde", "grade collected submissions"),
        ("feedback", "generate and release feedback"),
    ]:
        step = steps.add_parser(name, help=text)
        step.add_argument("module", help="module id, e.g. 02-three-planets")
        if name == "release":
            step.add_argument(
                "--force", action="store_true", help="release again even if unchanged"
            )
        if name == "feedback":
            step.add_argument(
                "--explanations",
                action="store_true",
                help="also show learners each item's right answer and why (default: scores and "
                "comments only)",
            )
        if name == "autograde":
            step.add_argument(
                "--workers", type=int, default=2, help="parallel grading processes (default 2)"
            )
