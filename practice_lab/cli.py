"""``practice-lab``: check the course, serve it to learners, and run the trainer's grading steps."""

from __future__ import annotations

import argparse
import os
import sys
import webbrowser
from pathlib import Path

from course_model import workspace


def _course(args) -> Path:
    return Path(args.course_dir).resolve() if args.course_dir else workspace.trainer_dir()


def cmd_check(_args) -> int:
    from course_model import check

    problems = check.check_course()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"\n{len(problems)} problem(s): fix the files named above, then run `practice-lab check` again.",
            file=sys.stderr,
        )
        return 1
    print("Course content is valid.")
    return 0


def cmd_rubric(args) -> int:
    from course_model.rubric import rubric_markdown

    print(rubric_markdown(args.module, args.rubric), end="")
    return 0


def cmd_serve(args) -> int:
    from practice_lab import serve

    return serve.serve(args.port, args.ip, args.preheat)


def cmd_grade(args) -> int:
    from grading import course_dir, export

    course = _course(args)
    step = args.step
    if step == "init":
        config = course_dir.init(
            course,
            Path(args.exchange).resolve() if args.exchange else workspace.exchange_dir(),
            args.db,
        )
        print(f"Course directory ready: {config}")
        return 0
    if step == "demo":
        import time

        from grading.demo import run_demo

        root = workspace.root() / f"demo-{time.strftime('%Y%m%d-%H%M%S')}"
        print(
            f"Running the whole pipeline for {args.learners} synthetic learners in {root} …",
            flush=True,
        )
        written = run_demo(root, learners=args.learners, workers=args.workers)
        print(
            f"Cohort report: {written['report']}\nScores: {written['scores']}\nStatistics: {written['statistics']}"
        )
        return 0
    if not (course / "nbgrader_config.py").exists():
        print(
            f"{course} is not a course directory yet: run `practice-lab grade init` first.",
            file=sys.stderr,
        )
        return 2
    if step == "release":
        done = course_dir.release(course, args.module, force=args.force)
        print(
            f"Released {args.module}."
            if done
            else f"{args.module} is already released (use --force to redo)."
        )
    elif step == "collect":
        summary = course_dir.collect(course, args.module, on_progress=_progress)
        print(file=sys.stderr)
        print(summary)
    elif step == "autograde":
        from grading.autograde import autograde

        report = autograde(course, args.module, workers=args.workers, on_progress=_progress)
        print(file=sys.stderr)
        print(report.summary(course / "autograded"))
        for line in report.details():
            print(line)
        return 1 if report.failed else 0
    elif step == "feedback":
        summary = course_dir.feedback(course, args.module, on_progress=_progress)
        print(file=sys.stderr)
        print(summary)
    elif step == "roster":
        from grading.roster import RosterError, import_roster

        try:
            count = import_roster(Path(args.file), course, course_dir.db_url(course))
        except RosterError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"Imported {count} learner(s) from {args.file} into the gradebook.")
    elif step == "export":
        out = export.export_scores(course_dir.db_url(course), Path(args.out))
        print(f"Scores written to {out}")
    elif step == "report":
        from grading.report import build_report

        written = build_report(course, course_dir.db_url(course), Path(args.out))
        print(f"Report: {written['html']} (statistics: {written['csv']})")
    elif step == "formgrade":
        return _formgrade(course, args.port, not args.no_browser)
    return 0


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

    from grading.marking_guide import marking_guide_html

    released = (
        sorted(p.name for p in (course / "source").iterdir() if p.is_dir())
        if (course / "source").exists()
        else []
    )
    (course / "marking-guide.html").write_text(marking_guide_html(released), encoding="utf-8")
    token = secrets.token_urlsafe(24)
    url = f"http://127.0.0.1:{port}/formgrader?token={token}"
    guide = f"http://127.0.0.1:{port}/files/marking-guide.html?token={token}"
    print(
        f"Formgrader: {url}\nMarking guide (rubrics and reusable comments): {guide}\n"
        "Learners are shown as numbered submissions; use the eye button to show names.\n(Ctrl+C stops it.)",
        flush=True,
    )
    if open_browser:
        webbrowser.open(url)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",  # CI and containers run as root
        f"--ServerApp.root_dir={course}",
        f"--IdentityProvider.token={token}",
    ]
    try:
        return subprocess.call(cmd, cwd=course)
    except KeyboardInterrupt:
        return 0


def cmd_workshop(args) -> int:
    """Start a workshop session, or export the summary of one."""
    from workshop.session import Session

    if args.action == "export":
        from workshop.summary import export

        folder = Path(args.session_folder)
        if not (folder / Session.FILE).is_file():
            print(
                f"{folder} is not a workshop session folder (it has no {Session.FILE}).",
                file=sys.stderr,
            )
            return 2
        print(f"Summary: {export(Session.load(folder))}")
        return 0
    from practice_lab.workshop_server import start

    try:
        return start(args.prompts, port=args.port, ip=args.ip, min_answers=args.min_answers)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    p = argparse.ArgumentParser(prog="practice-lab", description=__doc__)
    p.add_argument(
        "--home", help=f"workspace folder (default ~/practice-lab, or ${workspace.HOME_ENV})"
    )
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("check", help="validate every course file").set_defaults(func=cmd_check)

    r = sub.add_parser("rubric", help="print a rubric as the Markdown of its nbgrader task cell")
    r.add_argument("module")
    r.add_argument("rubric")
    r.set_defaults(func=cmd_rubric)

    s = sub.add_parser("serve", help="serve the course to a learner in Voilà")
    s.add_argument("--port", type=int, default=8866)
    s.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (default: this machine only)"
    )
    s.add_argument(
        "--preheat",
        action="store_true",
        help="keep a started kernel ready for every page: pages open about twice as fast, "
        "at about 45 MB of memory per page held idle",
    )
    s.set_defaults(func=cmd_serve)

    g = sub.add_parser("grade", help="the trainer's nbgrader steps")
    g.add_argument("--course-dir", help="nbgrader course directory (default: <home>/trainer)")
    g.set_defaults(func=cmd_grade)
    steps = g.add_subparsers(dest="step", required=True)
    i = steps.add_parser("init", help="create the course directory and its nbgrader_config.py")
    i.add_argument("--exchange", help="exchange folder (default: <home>/exchange)")
    i.add_argument(
        "--db", help="SQLAlchemy URL of the gradebook (default: SQLite in the course directory)"
    )
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
        if name == "autograde":
            step.add_argument(
                "--workers", type=int, default=2, help="parallel grading processes (default 2)"
            )
    ro = steps.add_parser(
        "roster", help="import learners from a CSV with columns id, name, email, team"
    )
    ro.add_argument("action", choices=["import"])
    ro.add_argument("file", help="the roster CSV")
    e = steps.add_parser("export", help="write scores, one row per learner, as CSV or XLSX")
    e.add_argument("--out", default="scores.csv", help="a .csv or .xlsx path (default scores.csv)")
    dm = steps.add_parser("demo", help="run the whole pipeline on a seeded synthetic cohort")
    dm.add_argument("--learners", type=int, default=10)
    dm.add_argument("--workers", type=int, default=2)
    rp = steps.add_parser(
        "report", help="the cohort report: one HTML file with figures, plus a CSV"
    )
    rp.add_argument("--out", default="cohort-report.html")
    f = steps.add_parser("formgrade", help="open nbgrader's formgrader to mark reflections")
    f.add_argument("--port", type=int, default=8877)
    f.add_argument(
        "--no-browser", action="store_true", help="print the address instead of opening it"
    )

    w = sub.add_parser("workshop", help="run a team reflective-practice workshop")
    w.set_defaults(func=cmd_workshop)
    w_actions = w.add_subparsers(dest="action", required=True)
    ws = w_actions.add_parser("start", help="serve the facilitator's and participants' pages")
    ws.add_argument(
        "--prompts",
        required=True,
        help="a module (e.g. 07 or 07-reflective-practice) or a YAML file of prompts",
    )
    ws.add_argument("--port", type=int, default=8870, help="port to serve on (default 8870)")
    ws.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on (default: this machine only; 0.0.0.0: the room's network)",
    )
    ws.add_argument(
        "--min-answers",
        type=int,
        default=5,
        help="answers needed before a summary is shown (default 5, never below 3)",
    )
    we = w_actions.add_parser("export", help="write a session's Markdown summary again")
    we.add_argument("session_folder", help="the session's folder (printed by workshop start)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``practice-lab`` command."""
    args = parser().parse_args(argv)
    if args.home:
        os.environ[workspace.HOME_ENV] = str(Path(args.home).resolve())
    from course_model.content import ContentError
    from grading.course_dir import GradingError

    try:
        return args.func(args)
    except (GradingError, ContentError) as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
