"""The cohort beyond one server: values for the Zero to JupyterHub Helm chart, made as data.

The values come from the same pieces as the local hub's ``jupyterhub_config.py``
(``practice_lab.hub``): the course home as the default URL, our start module as the learner
server's command, the locked-down Jupyter config folders, the authenticator and its settings, the
groups and the idle limit. Only what differs on Kubernetes is decided here: paths inside the
image, volumes, the database and memory. ``deploy/kubernetes/values.yaml`` is this module's
output (``practice-lab hub k8s-values``) and a test keeps the two equal.

The learner image is built by repo2docker from ``binder/`` with ``--target-repo-dir``
:data:`IMAGE_REPO_DIR`: by default repo2docker puts the repository in the home folder, where
each learner's own volume is mounted and would hide it (``binder/postBuild`` installs the
package in editable mode, so it must stay visible). Checked on paper against the chart's values
schema, version :data:`CHART_VERSION`; never run on a cluster here.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import yaml

from practice_lab import hub, hub_learner, jupyter_route

CHART_VERSION = "4.4.0"  # jupyterhub/zero-to-jupyterhub-k8s; its JupyterHub is 5.5.0
IMAGE_REPO_DIR = PurePosixPath("/srv/practice-lab")  # repo2docker --target-repo-dir
IMAGE_PYTHON = "/srv/conda/envs/notebook/bin/python"  # repo2docker's ${NB_PYTHON_PREFIX}/bin
IMAGE = {"name": "registry.example.org/practice-lab/learner", "tag": "set-at-install"}
HOME = "/home/jovyan"  # the image's home: each learner's own volume (KubeSpawner's default)
EXCHANGE_MOUNT = PurePosixPath("/srv/practice-lab-exchange")
HUB_STATE_MOUNT = PurePosixPath("/srv/jupyterhub/practice-lab")  # the one-time codes
# Claims the administrator creates once (deploy/kubernetes/volumes.yaml) and the Secret holding
# the database passwords; values.yaml names them and holds no password.
EXCHANGE_CLAIM = "practice-lab-exchange"
HUB_STATE_CLAIM = "practice-lab-hub-state"
DB_SECRET = {"name": "practice-lab-postgres", "key": "hub-password"}
HUB_DB_URL = "postgresql+psycopg2://jupyterhub@postgres.example.org:5432/jupyterhub"
# Measured on one server (shared/field-notes.md): a learner's server 167 MiB RSS, each open
# page's kernel 52 MiB. Kubernetes reserves the guarantee (the server and one page); the limit
# allows PAGES_AT_ONCE pages open together before the server is killed for memory.
SERVER_MIB, KERNEL_MIB, PAGES_AT_ONCE = 167, 52, 6
REPO_ROOT = Path(__file__).resolve().parent.parent


def memory_mib(pages: int) -> int:
    """A learner's memory with ``pages`` course pages open, rounded up to 64 MiB."""
    need = SERVER_MIB + pages * KERNEL_MIB
    return -(-need // 64) * 64


def in_image(local: str) -> str:
    """Where a file of this checkout is inside the learner image."""
    return str(IMAGE_REPO_DIR / Path(local).resolve().relative_to(REPO_ROOT).as_posix())


def learner_env(plan: hub.HubPlan) -> dict[str, str]:
    """The local hub's learner environment, moved into the image: our config and template folders
    first on the Jupyter paths (the lockdown) and the mounted exchange. ``PATH`` is the image's."""
    local = hub.learner_environment(plan)
    env = {name: in_image(local[name].split(os.pathsep)[0]) for name in jupyter_route.JUPYTER_PATHS}
    env[hub_learner.EXCHANGE_ENV] = local[hub_learner.EXCHANGE_ENV]
    return env


def hub_config(plan: hub.HubPlan) -> dict[str, dict[str, object]]:
    """The chart's ``hub.config``: the local hub's authenticator, its settings and its groups."""
    config: dict[str, dict[str, object]] = {
        "JupyterHub": {
            "authenticator_class": hub.authenticator_class(plan),
            "shutdown_on_logout": True,
            "load_groups": hub.groups(plan),
        }
    }
    for section, traits in hub.authentication(plan).items():
        config[section] = {k: sorted(v) if isinstance(v, set) else v for k, v in traits.items()}
    # The start timeout stays the chart's (300 s): a first start pulls the image and attaches volumes.
    config["KubeSpawner"] = {"http_timeout": hub.learner_spawner(plan)["http_timeout"]}
    return config


def volume(name: str, claim: str, path: PurePosixPath) -> tuple[dict, dict]:
    """A pod volume from an existing claim, and its mount at ``path``."""
    return (
        {"name": name, "persistentVolumeClaim": {"claimName": claim}},
        {"name": name, "mountPath": str(path)},
    )


def singleuser(plan: hub.HubPlan) -> dict[str, object]:
    """The chart's ``singleuser``: the repo2docker image, our start command and lockdown, a volume
    of their own for each learner and the shared exchange on a ReadWriteMany claim."""
    spawner = hub.learner_spawner(plan)
    exchange, mount = volume("exchange", EXCHANGE_CLAIM, EXCHANGE_MOUNT)
    return {
        "image": dict(IMAGE),
        "cmd": [IMAGE_PYTHON, *spawner["cmd"][1:]],
        "defaultUrl": spawner["default_url"],
        "extraEnv": learner_env(plan),
        "storage": {
            "type": "dynamic",
            "capacity": "1Gi",
            "homeMountPath": HOME,
            "extraVolumes": [exchange],
            "extraVolumeMounts": [mount],
        },
        "memory": {
            "guarantee": f"{memory_mib(1)}M",
            "limit": f"{memory_mib(PAGES_AT_ONCE)}M",
        },
    }


def values(trainers: list[str] = (), learners: list[str] = ()) -> dict[str, object]:
    """The chart's values for a cohort of ``learners`` and ``trainers`` (none: the committed
    template, where the deployment adds its own)."""
    plan = hub.HubPlan(
        state=Path(HUB_STATE_MOUNT),
        exchange=Path(EXCHANGE_MOUNT),
        learners=list(learners),
        trainers=list(trainers),
    )
    state, state_mount = volume("practice-lab-state", HUB_STATE_CLAIM, HUB_STATE_MOUNT)
    return {
        "hub": {
            "config": hub_config(plan),
            "db": {"type": "postgres", "url": HUB_DB_URL},
            "extraEnv": {"PGPASSWORD": {"valueFrom": {"secretKeyRef": dict(DB_SECRET)}}},
            "extraVolumes": [state],
            "extraVolumeMounts": [state_mount],
        },
        "singleuser": singleuser(plan),
        "cull": {"enabled": True, "timeout": hub.IDLE_TIMEOUT_S, "every": hub.CULL_EVERY_S},
    }


def values_yaml(trainers: list[str] = (), learners: list[str] = ()) -> str:
    """:func:`values` as the text of a values file."""
    head = (
        f"# Zero to JupyterHub {CHART_VERSION} values, written by `practice-lab hub k8s-values`:\n"
        "# edit practice_lab/k8s_values.py or practice_lab/hub.py, not this file.\n"
    )
    return head + yaml.safe_dump(values(trainers, learners), sort_keys=False, width=100)
