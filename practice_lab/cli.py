"""``practice-lab``: check the course, serve it to learners, and run the trainer's grading steps."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from course_model import workspace
from practice_lab.arg_paths import PathProblem, folder


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
        return start(
            args.prompts,
            port=args.port,
            ip=args.ip,
            min_answers=args.min_answers,
            db_url=args.db,
            public_url=args.public_url,
        )
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2


def cmd_new(args) -> int:
    """Write the skeleton of a module or of an exercise type."""
    from practice_lab import scaffold

    try:
        written = (
            scaffold.new_module(args.name)
            if args.what == "module"
            else scaffold.new_exercise_type(args.name)
        )
    except scaffold.ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 2
    print("Written:\n" + "\n".join(f"  {path}" for path in written))
    print("Next: fill in every sentence that says what to write, then run `practice-lab check`.")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    from practice_lab import grade_cli, hub_cli

    p = argparse.ArgumentParser(prog="practice-lab", description=__doc__)
    p.add_argument(
        "--home",
        type=folder,
        help=f"workspace folder (default ~/practice-lab, or ${workspace.HOME_ENV})",
    )
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate every course file").set_defaults(func=cmd_check)
    r = sub.add_parser("rubric", help="print a rubric as the Markdown of its nbgrader task cell")
    r.add_argument("module")
    r.add_argument("rubric")
    r.set_defaults(func=cmd_rubric)
    _add_serve(sub)
    grade_cli.add_parser(sub)
    hub_cli.add_parser(sub)
    _add_workshop(sub)
    n = sub.add_parser("new", help="write the skeleton of a module or an exercise type")
    n.add_argument("what", choices=["module", "exercise-type"])
    n.add_argument("name", help="a module id (NN-slug) or a type name")
    n.set_defaults(func=cmd_new)
    return p


def _add_serve(sub) -> None:
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


def _add_workshop(sub) -> None:
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
    ws.add_argument(
        "--db",
        default="",
        metavar="URL",
        help="keep the answers in this PostgreSQL database, in a schema of the session's own "
        "(postgresql+psycopg://user@host/database; a password goes in ~/.pgpass, not here). "
        "Default: a SQLite file in the session folder",
    )
    ws.add_argument(
        "--public-url",
        default="",
        metavar="URL",
        help="the address participants reach the server at, when it is behind another (a hub's "
        "proxy: http://host:8000); default: this server's own",
    )
    we = w_actions.add_parser("export", help="write a session's Markdown summary again")
    we.add_argument("session_folder", help="the session's folder (printed by workshop start)")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``practice-lab`` command."""
    try:
        args = parser().parse_args(argv)
    except PathProblem as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.home:
        os.environ[workspace.HOME_ENV] = str(args.home)
    from course_model.content import ContentError
    from grading.course_dir import GradingError

    try:
        return args.func(args)
    except (GradingError, ContentError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:  # a path that changed under us, a full disk: say which, no traceback
        print(f"{exc.filename or 'a file'}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
