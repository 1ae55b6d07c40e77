"""``practice-lab hub …``: start the cohort's JupyterHub, make learners' accounts for it, and
write its values for Kubernetes."""

from __future__ import annotations

import sys
from pathlib import Path

from practice_lab.arg_paths import folder, input_file, output_file
from practice_lab.hub_auth import CHOICES as AUTH_CHOICES


def _plan(args):
    from practice_lab import hub, hub_accounts, hub_cohorts

    plan = hub.default_plan(args.ip, args.port)
    if args.state:
        plan.state = args.state
    if args.exchange:
        plan.exchange = args.exchange
    plan.db_url = args.db
    plan.idle_timeout = args.idle_timeout or plan.idle_timeout
    plan.trainers = list(args.trainer or [])
    plan.auth = args.auth
    plan.workshop_prompts = args.workshop or plan.workshop_prompts
    plan.cohorts = hub_cohorts.load(plan.state)
    named = {n for people in plan.cohorts.values() for role in people.values() for n in role}
    accounts = hub_accounts.accounts(plan.state / hub_accounts.PASSWORDS)
    plan.learners = [name for name in accounts if name not in named]  # the default course's
    return plan


def _cohort_id(text: str) -> str:
    """``--cohort``'s value, checked (argparse says what is wrong and stops)."""
    import argparse

    from practice_lab import hub_cohorts

    try:
        return hub_cohorts.check_id(text)
    except hub_cohorts.CohortError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_hub(args) -> int:
    """Start the hub in the foreground (Ctrl+C stops it); a login that cannot be set up (an
    environment variable missing) is said in one line, before the hub starts."""
    from practice_lab import hub, hub_auth, hub_gradebooks

    try:
        plan = _plan(args)
        if plan.auth == "codes" and not _trainers_have_accounts(plan):
            return 1
        hub.run(plan)  # becomes JupyterHub: returns only by raising
    except (hub_auth.AuthSetupError, hub_gradebooks.GradebookSetupError) as exc:
        print(exc, file=sys.stderr)
        return 2


def _trainers_have_accounts(plan) -> bool:
    """Give each ``--trainer`` who has no account yet one, and print their one-time code once:
    the trainer then makes the learners' accounts from their dashboard. False (and why) when
    an account cannot be made."""
    from practice_lab import hub, hub_accounts

    passwords = plan.state / hub_accounts.PASSWORDS
    missing = [t for t in plan.trainers if t not in plan.learners]
    if not missing:
        return True
    hub.make_state(plan)
    try:
        codes = hub_accounts.make_named_accounts(hub_accounts.checked(missing), passwords)
    except (hub_accounts.AccountError, PermissionError) as exc:
        print(exc, file=sys.stderr)
        return False
    for name, code in sorted(codes.items()):
        print(
            f"Trainer {name}: log in as {name} with the one-time code {code} (shown only now)",
            flush=True,
        )
    return True


def cmd_accounts(args) -> int:
    """Make an account with a one-time code for every learner on the roster (and trainer) who
    has none; with ``--cohort``, record them as that cohort's, which the hub reads at start."""
    from practice_lab import hub, hub_accounts, hub_cohorts

    plan = _plan(args)
    hub.make_state(plan)
    try:
        trainers = hub_accounts.checked([*(args.trainer or ()), *(args.cohort_trainer or ())])
        learners = hub_accounts.account_names(args.roster) if args.roster else []
        if args.cohort:
            hub_cohorts.refuse_clashes(plan.state, args.cohort, [*learners, *trainers])
        passwords = plan.state / hub_accounts.PASSWORDS
        codes = hub_accounts.make_named_accounts([*learners, *trainers], passwords)
        if args.cohort:
            hub_cohorts.add(plan.state, args.cohort, learners, trainers)
    except (hub_accounts.AccountError, hub_cohorts.CohortError, PermissionError) as exc:
        print(exc, file=sys.stderr)
        return 1
    args.codes.write_bytes(hub_accounts.codes_csv(codes))
    args.codes.chmod(0o600)
    where = f" in cohort {args.cohort}" if args.cohort else ""
    print(
        f"{len(codes)} new accounts{where}; their one-time codes are in {args.codes} (hand each "
        "learner theirs, then delete the file). Restart the hub to let them in."
    )
    return 0


def cmd_k8s_values(args) -> int:
    """Print the Zero to JupyterHub values for the cohort: the trainers given to ``hub`` and the
    learners on ``--roster`` (none of either: the template in deploy/kubernetes/values.yaml)."""
    from practice_lab import hub_accounts, k8s_values

    try:
        learners = hub_accounts.account_names(args.roster) if args.roster else []
    except hub_accounts.AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(k8s_values.values_yaml(list(args.trainer or []), learners), end="")
    return 0


def add_parser(sub) -> None:
    """Add ``hub`` and ``hub accounts`` to the command's subparsers."""
    h = sub.add_parser("hub", help="serve a cohort on one server through JupyterHub")
    h.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: this machine)")
    h.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    h.add_argument("--state", type=Path, help="the hub's state folder (default <home>/hub/state)")
    h.add_argument(
        "--exchange", type=folder, help="the shared exchange folder (default <home>/hub/exchange)"
    )
    h.add_argument(
        "--db",
        help="the hub's PostgreSQL, as postgresql+psycopg://USER@HOST/DATABASE: the hub, each "
        "cohort's gradebook and the workshop keep their data there (default: SQLite files in "
        "the state folder)",
    )
    h.add_argument(
        "--idle-timeout",
        type=int,
        help="seconds before an unused learner's server is stopped (default: an hour)",
    )
    h.add_argument("--trainer", action="append", help="a trainer's account (repeat for more)")
    h.add_argument(
        "--auth",
        choices=AUTH_CHOICES,
        default="codes",
        help="how people log in: one-time codes (default), the council's Entra ID, or an LTI 1.3 "
        "launch from the LMS (these two read PRACTICE_LAB_* environment variables: README)",
    )
    h.add_argument(
        "--workshop",
        metavar="PROMPTS",
        help="the workshop's prompts at <hub>/services/workshop/: a module or a YAML file "
        "(default: module 07's facilitator guide)",
    )
    h.set_defaults(func=cmd_hub)
    actions = h.add_subparsers(dest="action")
    _add_accounts_parser(actions)
    k = actions.add_parser(
        "k8s-values", help="print the Zero to JupyterHub values (deploy/kubernetes/README.md)"
    )
    k.add_argument("--roster", type=input_file, help="the roster: its ids may log in as learners")
    k.set_defaults(func=cmd_k8s_values)


def _add_accounts_parser(actions) -> None:
    """Add ``hub accounts``: learners' (and trainers') accounts from a roster, for a cohort."""
    a = actions.add_parser(
        "accounts", help="make learners' (and --trainer) accounts from the roster (as root)"
    )
    a.add_argument(
        "roster",
        nargs="?",
        type=input_file,
        help="the roster CSV or XLSX (its ids become accounts); trainers' come from --trainer",
    )
    a.add_argument(
        "--codes", type=output_file, required=True, help="CSV to write the one-time codes to"
    )
    a.add_argument(
        "--cohort",
        type=_cohort_id,
        help="the cohort (its course id, e.g. spring-2026) these learners and --trainer join: "
        "each cohort sees only its own modules (default: the hub's one course)",
    )
    a.add_argument(
        "--trainer",
        dest="cohort_trainer",
        action="append",
        help="a trainer's account for this roster's cohort (repeat for more)",
    )
    a.set_defaults(func=cmd_accounts)
