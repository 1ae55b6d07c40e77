"""``practice-lab hub``: a cohort on one server, through a real JupyterHub and proxy.

The hub's whole configuration is data made here (:func:`settings`) and written as a
``jupyterhub_config.py`` into the hub's state folder (mode 700: it holds the cookie secret, the
hub's database and the password file). Learners are Unix accounts made from the trainer's roster
(``practice_lab.hub_accounts``); each learner's server runs as that account, prepares their folder
from what the trainer released (``practice_lab.hub_learner``) and lands on the Voilà course home,
locked down as ``practice_lab.jupyter_route`` describes: no JupyterLab, no terminals, no writes
through the file API, kernels that accept widget messages only.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from sqlalchemy.engine import make_url

from course_model import workspace
from course_model.files import write_text_atomically
from practice_lab import (
    hub_accounts,
    hub_accounts_service,
    hub_auth,
    hub_cohorts,
    hub_gradebooks,
    hub_learner,
    jupyter_route,
)
from practice_lab.hub_accounts import TRAINERS_ENV
from practice_lab.hub_gradebooks import GRADEBOOK_ENV
from practice_lab.workshop_server import ANY, lan_address

PROXY = "configurable-http-proxy"
# Where `make hub` installs the proxy with npm: inside the virtual environment.
LOCAL_PROXY = Path(sys.prefix) / "node" / "node_modules" / ".bin" / PROXY
# jupyterhub-idle-culler stops a server idle this long, on this hub and on Kubernetes (the chart's
# `cull`): a learner's answers are saved as they change, and a stopped server frees its memory
# for the rest of the cohort (docs/deploy.md sizes nodes on running servers).
IDLE_TIMEOUT_S = 3600
CULL_EVERY_S = 300
CULLER = "idle-culler"
WORKSHOP = "workshop"  # the service's name, hence its address: <hub>/services/workshop/
WORKSHOP_PROMPTS = "07"  # the reflective-practice module's facilitator guide


@dataclass
class HubPlan:
    """Where the hub listens and keeps its state, and who may log in: ``learners`` and
    ``trainers`` of the default course, and the named ``cohorts`` (``practice_lab.hub_cohorts``)."""

    state: Path
    exchange: Path
    ip: str = "127.0.0.1"
    # the hub's own port; then the proxy's API, the accounts service and the workshop: +1 to +4
    port: int = 8000
    db_url: str | None = None
    idle_timeout: int = IDLE_TIMEOUT_S
    learners: list[str] = field(default_factory=list)
    trainers: list[str] = field(default_factory=list)
    auth: str = "codes"  # how people log in: one of hub_auth.CHOICES
    cohorts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    workshop_prompts: str = WORKSHOP_PROMPTS  # a module or a YAML file, as `workshop start` takes
    # each course's gradebook URL on the hub's PostgreSQL (practice_lab.hub_gradebooks); {}: SQLite
    gradebooks: dict[str, str] = field(default_factory=dict)


def default_plan(ip: str = "127.0.0.1", port: int = 8000) -> HubPlan:
    """The hub for one machine: state and the shared exchange under the workspace."""
    root = workspace.root() / "hub"
    return HubPlan(state=root / "state", exchange=root / "exchange", ip=ip, port=port)


def proxy_command() -> str:
    """The configurable-http-proxy to run: the one `make hub` installed, else one on PATH."""
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    found = shutil.which(PROXY)
    if not found:
        raise FileNotFoundError(
            f"{PROXY} is not installed: run `make hub`, which installs it with npm "
            f"into {LOCAL_PROXY.parent}"
        )
    return found


def learner_environment(plan: HubPlan) -> dict[str, object]:
    """What every learner's server starts with: the venv first on PATH (nbgrader calls alembic),
    our Jupyter config and template folders first, the shared exchange, the server's course, and
    whether its account is a trainer's (their servers start their dashboard instead of the course
    home). The last two are worked out for each server as it starts, so a server learns about its
    own account only (``practice_lab.hub_cohorts``); so is a trainer's gradebook on PostgreSQL,
    which only that course's trainers' servers are given."""
    env = jupyter_route.jupyter_server_env()
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        **{name: env[name] for name in jupyter_route.JUPYTER_PATHS},
        hub_learner.EXCHANGE_ENV: str(plan.exchange),
        hub_cohorts.COURSE_ENV: hub_cohorts.CourseOf(str(plan.state)),
        TRAINERS_ENV: hub_cohorts.PerAccount({name: name for name in trainers(plan)}),
        **({GRADEBOOK_ENV: gradebook_of_trainers(plan)} if plan.gradebooks else {}),
        **({hub_accounts_service.URL_ENV: accounts_url(plan)} if plan.auth == "codes" else {}),
    }


def courses(plan: HubPlan) -> dict[str, dict[str, list[str]]]:
    """Every course the hub serves, ``{course: {"learners": [...], "trainers": [...]}}``: the named
    cohorts, and the default course (``workspace.COURSE_ID``) with the plan's own learners and
    trainers unless cohorts are named and nobody is outside them."""
    if plan.cohorts and not (plan.learners or plan.trainers):
        return dict(plan.cohorts)
    default = {"learners": sorted(plan.learners), "trainers": sorted(plan.trainers)}
    return {workspace.COURSE_ID: default, **plan.cohorts}


def gradebook_of_trainers(plan: HubPlan) -> hub_cohorts.PerAccount:
    """Each trainer's course's gradebook URL, for their server alone (empty for everyone else)."""
    return hub_cohorts.PerAccount(
        {
            name: plan.gradebooks[course]
            for course, people in courses(plan).items()
            for name in people["trainers"]
        }
    )


def trainers(plan: HubPlan) -> list[str]:
    """Every course's trainers on the hub."""
    return sorted({name for people in courses(plan).values() for name in people["trainers"]})


def accounts_url(plan: HubPlan) -> str:
    """Where the accounts service listens (on this machine only) and trainers' dashboards send
    their rosters."""
    return f"http://127.0.0.1:{plan.port + 3}/services/{hub_accounts_service.NAME}/"


def accounts_service(plan: HubPlan) -> dict[str, list]:
    """The accounts service (``practice_lab.hub_accounts_service``), run by the hub as root, with
    the role that lets it add users to the hub: how a trainer makes accounts from their dashboard.
    Only with one-time codes: with the council's or the LMS's login, people come from there."""
    if plan.auth != "codes":
        return {"services": [], "load_roles": []}
    name = hub_accounts_service.NAME
    return {
        "services": [
            {
                "name": name,
                "url": accounts_url(plan).removesuffix(f"/services/{name}/"),
                "command": [sys.executable, "-m", "practice_lab.hub_accounts_service"],
                "environment": {
                    hub_accounts_service.STATE_ENV: str(plan.state),
                    TRAINERS_ENV: ",".join(trainers(plan)),
                },
            }
        ],
        "load_roles": [{"name": name, "scopes": ["admin:users"], "services": [name]}],
    }


def services(plan: HubPlan) -> dict[str, list]:
    """Every service the hub runs beside it, and their roles: the idle culler, the accounts
    service and the workshop."""
    return _joined(culler(plan.idle_timeout), accounts_service(plan), workshop_service(plan))


def groups(plan: HubPlan) -> dict[str, dict[str, list[str]]]:
    """The hub's groups (``JupyterHub.load_groups``), named as nbgrader's multiple-course setup
    names them: each course's graders (trainers) in ``formgrade-<course>``, its learners in
    ``nbgrader-<course>``; a formgrader service for the course can then be granted to a group."""
    return {
        f"{kind}-{course}": {"users": sorted(people[role])}
        for course, people in courses(plan).items()
        for kind, role in (("formgrade", "trainers"), ("nbgrader", "learners"))
    }


def authenticator_class(plan: HubPlan) -> str:
    """The authenticator for the plan's way of logging in (``JupyterHub.authenticator_class``)."""
    return hub_auth.CLASSES[plan.auth]


def authentication(plan: HubPlan) -> dict[str, dict[str, object]]:
    """Who may log in and how: only the roster's learners and the trainers, each with a one-time
    code (``codes``) or through the council's or the LMS's login (``practice_lab.hub_auth``)."""
    if plan.auth == "codes":
        method: dict[str, dict[str, object]] = {
            "FirstUseAuthenticator": {
                # Accounts come from the roster, each with a one-time code: nobody signs up.
                "dbm_path": str(plan.state / hub_accounts.PASSWORDS),
                "create_users": False,
                "min_password_length": 8,
            }
        }
    else:
        method = hub_auth.sso_settings(plan.auth)
    everyone = courses(plan).values()
    return {
        **method,
        "Authenticator": {
            "allowed_users": {n for p in everyone for n in [*p["learners"], *p["trainers"]]},
            # Not a cohort's trainers: a hub admin reaches every cohort's servers.
            "admin_users": set(plan.trainers),
        },
    }


def learner_spawner(plan: HubPlan) -> dict[str, object]:
    """How every learner's server starts (``Spawner``): our start module, the course home, the
    locked-down environment."""
    return {
        "cmd": [sys.executable, "-m", "practice_lab.hub_learner"],
        "default_url": f"/voila/render/{workspace.HOME_PAGE}",
        "environment": learner_environment(plan),
        "http_timeout": 120,
        "start_timeout": 120,
    }


def culler(timeout: int = IDLE_TIMEOUT_S) -> dict[str, list]:
    """jupyterhub-idle-culler as a hub service, with the role it needs (as the chart's ``cull``
    runs it on Kubernetes): servers idle for ``timeout`` seconds are stopped, checked every
    :data:`CULL_EVERY_S` (more often for a short timeout)."""
    every = max(5, min(timeout // 2, CULL_EVERY_S))
    return {
        "services": [
            {
                "name": CULLER,
                "command": [
                    sys.executable,
                    "-m",
                    "jupyterhub_idle_culler",
                    f"--timeout={timeout}",
                    f"--cull-every={every}",
                ],
            }
        ],
        "load_roles": [
            {
                "name": CULLER,
                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
                "services": [CULLER],
            }
        ],
    }


def workshop_service(plan: HubPlan) -> dict[str, list]:
    """The workshop as a hub service: `practice-lab workshop start` on 127.0.0.1 and the port
    after the accounts service's, reached through the proxy at ``<hub>/services/workshop/`` (JupyterHub
    hands it that prefix). Participants need no hub account: the session's join code lets them in,
    and the facilitator key, printed in the hub's terminal, opens the facilitator's page (the
    hub's login is not asked for: it would mean an OAuth client inside Voilà). The hub's
    PostgreSQL, if it has one, keeps the answers too, each session in its own schema (its
    password, which a session never writes down, goes in ``PGPASSWORD``); else a SQLite file in
    the session's folder under the hub's state. Ending the session stops the service, and the hub
    starts it again: a new session, with a new code and key in the hub's terminal."""
    port = plan.port + 4
    host = lan_address() if plan.ip in ANY else plan.ip
    environment = {workspace.HOME_ENV: str(plan.state / WORKSHOP)}
    db = make_url(plan.db_url) if plan.db_url else None
    if db is not None and db.get_backend_name() == "postgresql":
        if db.password is not None:
            environment["PGPASSWORD"] = str(db.password)
        db_args = ["--db", db._replace(password=None).render_as_string(hide_password=False)]
    else:
        db_args = []
    command = [sys.executable, "-m", "practice_lab.cli", WORKSHOP, "start"]
    return {
        "services": [
            {
                "name": WORKSHOP,
                "url": f"http://127.0.0.1:{port}",
                "command": [
                    *command,
                    *("--prompts", plan.workshop_prompts, "--port", str(port), *db_args),
                    *("--public-url", f"http://{host}:{plan.port}"),
                ],
                "environment": environment,
            }
        ]
    }


def _joined(*parts: dict[str, list]) -> dict[str, list]:
    """Hub settings that are lists (``services``, ``load_roles``), each list joined across
    ``parts``."""
    joined: dict[str, list] = {}
    for part in parts:
        for name, items in part.items():
            joined.setdefault(name, []).extend(items)
    return joined


def settings(plan: HubPlan) -> dict[str, dict[str, object]]:
    """The hub's configuration as data: ``{class: {trait: value}}``. The same pieces make the
    Kubernetes values (``practice_lab.k8s_values``), so the two cannot disagree."""
    state = plan.state
    return {
        "JupyterHub": {
            "bind_url": f"http://{plan.ip}:{plan.port}",
            "hub_bind_url": f"http://127.0.0.1:{plan.port + 1}",
            "db_url": plan.db_url or f"sqlite:///{state / 'jupyterhub.sqlite'}",
            "cookie_secret_file": str(state / "jupyterhub_cookie_secret"),
            "pid_file": str(state / "jupyterhub.pid"),
            "authenticator_class": authenticator_class(plan),
            "spawner_class": "jupyterhub.spawner.LocalProcessSpawner",
            "shutdown_on_logout": True,
            "load_groups": groups(plan),
            **services(plan),
        },
        "ConfigurableHTTPProxy": {
            "command": [proxy_command()],
            "api_url": f"http://127.0.0.1:{plan.port + 2}",
            "pid_file": str(state / "proxy.pid"),
        },
        **authentication(plan),
        "Spawner": learner_spawner(plan),
    }


def config_text(values: dict[str, dict[str, object]]) -> str:
    """``values`` as the lines of a ``jupyterhub_config.py`` (each value a Python literal)."""
    lines = ["# Written by `practice-lab hub`: edit practice_lab/hub.py, not this file.", ""]
    lines.append("c = get_config()  # noqa: F821")
    lines.append(
        "from practice_lab.hub_cohorts import CourseOf, PerAccount  # noqa: E402 (each server's own)"
    )
    for section, traits in values.items():
        for name, value in traits.items():
            shown = sorted(value) if isinstance(value, set) else value
            literal = f"set({shown!r})" if isinstance(value, set) else repr(shown)
            lines.append(f"c.{section}.{name} = {literal}")
    return "\n".join(lines) + "\n"


def make_state(plan: HubPlan) -> Path:
    """The hub's state folder, made if missing: root's alone (700), as it holds the codes."""
    plan.state.mkdir(parents=True, exist_ok=True)
    plan.state.chmod(0o700)
    return plan.state


def write_config(plan: HubPlan) -> Path:
    """Create the hub's state folder (700) and the shared exchange, and write the config."""
    make_state(plan)
    plan.exchange.mkdir(parents=True, exist_ok=True)
    plan.exchange.chmod(0o777)  # as nbgrader documents: every learner writes their submission here
    path = plan.state / "jupyterhub_config.py"
    write_text_atomically(path, config_text(settings(plan)), mode=0o600)
    return path


def let_learners_reach(paths: list[Path]) -> list[Path]:
    """Let every account pass through (never list) the folders above ``paths``: learners' servers
    run this Python, this package and the shared exchange. Adds the others' execute bit (o+x)
    where it is missing and returns the folders changed, so the command can say so."""
    changed = []
    for path in paths:
        for folder in [path, *path.parents]:
            mode = folder.stat().st_mode
            if folder.is_dir() and not mode & 0o001:
                folder.chmod(mode | 0o001)
                changed.append(folder)
    return changed


def learner_paths() -> list[Path]:
    """What every learner's server must reach: this Python, its environment and this package."""
    package = Path(__file__).resolve().parent.parent
    return [Path(sys.base_prefix).resolve(), Path(sys.prefix), package]


def command(config: Path) -> list[str]:
    """The command line that runs the hub with ``config``."""
    return [sys.executable, "-m", "jupyterhub", "-f", str(config)]


def run(plan: HubPlan) -> NoReturn:
    """Write the config and become the hub, in the foreground until Ctrl+C. The hub replaces
    this process, so a signal to stop it (Ctrl+C, systemd, a test) reaches JupyterHub itself
    and no hub is left running behind a command that has exited. On PostgreSQL each course's
    gradebook is made first (``practice_lab.hub_gradebooks``: GradebookSetupError if it cannot
    be)."""
    if hub_gradebooks.is_postgres(plan.db_url):
        plan.gradebooks = hub_gradebooks.ensure(plan.db_url, list(courses(plan)), make_state(plan))
    config = write_config(plan)
    if os.geteuid() == 0:
        for folder in let_learners_reach([*learner_paths(), plan.exchange]):
            print(f"{folder}: others may now pass through it (o+x) to reach the course's Python")
    print(f"JupyterHub on http://{plan.ip}:{plan.port} (Ctrl+C stops); state in {plan.state}")
    sys.stdout.flush()
    os.chdir(plan.state)
    os.execv(sys.executable, command(config))  # noqa: S606 - becomes JupyterHub
