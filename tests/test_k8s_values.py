"""deploy/kubernetes/: the committed values are what the code makes, they say what the local hub
says, and the Zero to JupyterHub chart (its values schema, vendored) accepts every key.

Nothing here reaches a cluster: the values are checked on paper, as `helm install` checks them
before rendering (the chart's defaults merged under ours, then validated against its schema).
"""

from __future__ import annotations

import copy
import subprocess
import sys
import urllib.parse
from pathlib import Path, PurePosixPath

import jsonschema
import pytest
import yaml

from practice_lab import hub, hub_learner, jupyter_route, k8s_values, serve
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy" / "kubernetes"
CHART = ROOT / "tests" / "fixtures" / f"z2jh-{k8s_values.CHART_VERSION}"
TRAINERS, LEARNERS = ["trainer1"], ["learner2", "learner1"]


@pytest.fixture
def both(monkeypatch):
    """The local hub's settings and the chart's values, for the same cohort and paths."""
    monkeypatch.setattr(hub, "proxy_command", lambda: "configurable-http-proxy")
    plan = hub.HubPlan(
        state=Path(k8s_values.HUB_STATE_MOUNT),
        exchange=Path(k8s_values.EXCHANGE_MOUNT),
        learners=LEARNERS,
        trainers=TRAINERS,
    )
    return hub.settings(plan), k8s_values.values(TRAINERS, LEARNERS)


def _helm_merge(defaults: dict, values: dict) -> dict:
    """``values`` over ``defaults`` as Helm coalesces them: maps merge, anything else replaces."""
    merged = copy.deepcopy(defaults)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _helm_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _chart_problems(values: dict) -> list[str]:
    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    merged = _helm_merge(defaults, values)
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(merged)
    ]


def test_the_committed_values_are_what_the_code_makes():
    committed = (DEPLOY / "values.yaml").read_text(encoding="utf-8")
    assert committed == k8s_values.values_yaml(), (
        "deploy/kubernetes/values.yaml is stale: run "
        "`.venv/bin/practice-lab hub k8s-values > deploy/kubernetes/values.yaml`"
    )


def test_the_chart_schema_accepts_every_key_and_catches_a_misspelt_one():
    for cohort in [k8s_values.values(), k8s_values.values(TRAINERS, LEARNERS)]:
        assert _chart_problems(cohort) == []
    wrong = k8s_values.values()
    wrong["singleuser"]["defaultURL"] = wrong["singleuser"].pop("defaultUrl")
    assert any("defaultURL" in problem for problem in _chart_problems(wrong))


def test_learners_land_on_the_course_home_through_our_start_module(both):
    local, values = both
    assert values["singleuser"]["defaultUrl"] == local["Spawner"]["default_url"]
    assert values["singleuser"]["cmd"][0] == k8s_values.IMAGE_PYTHON
    assert values["singleuser"]["cmd"][1:] == local["Spawner"]["cmd"][1:]
    http = values["hub"]["config"]["KubeSpawner"]["http_timeout"]
    assert http == local["Spawner"]["http_timeout"]


def test_the_lockdown_reaches_the_image_as_it_reaches_the_local_hub(both):
    local, values = both
    env = values["singleuser"]["extraEnv"]
    for name, folder in zip(
        jupyter_route.JUPYTER_PATHS, [jupyter_route.CONFIG_DIR, serve.TEMPLATES], strict=True
    ):
        assert local["Spawner"]["environment"][name].split(":")[0] == str(folder)
        inside = PurePosixPath(env[name])
        assert inside.is_relative_to(k8s_values.IMAGE_REPO_DIR)
        assert ROOT / inside.relative_to(k8s_values.IMAGE_REPO_DIR) == folder
    assert (jupyter_route.CONFIG_DIR / "jupyter_server_config.json").is_file()
    # The image runs this checkout's package from the repository folder (an editable install).
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_the_exchange_is_the_shared_claim_mounted_where_learners_look(both):
    local, values = both
    path = local["Spawner"]["environment"][hub_learner.EXCHANGE_ENV]
    assert values["singleuser"]["extraEnv"][hub_learner.EXCHANGE_ENV] == path
    storage = values["singleuser"]["storage"]
    [mount] = [m for m in storage["extraVolumeMounts"] if m["mountPath"] == path]
    [volume] = [v for v in storage["extraVolumes"] if v["name"] == mount["name"]]
    claims = {
        d["metadata"]["name"]: d for d in yaml.safe_load_all((DEPLOY / "volumes.yaml").read_text())
    }
    exchange = claims[volume["persistentVolumeClaim"]["claimName"]]
    assert exchange["spec"]["accessModes"] == ["ReadWriteMany"]
    [state] = values["hub"]["extraVolumes"]
    assert state["persistentVolumeClaim"]["claimName"] in claims


def test_login_groups_and_idle_limit_are_the_local_hubs(both):
    local, values = both
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == local["JupyterHub"]["authenticator_class"]
    assert config["JupyterHub"]["load_groups"] == local["JupyterHub"]["load_groups"]
    assert config["JupyterHub"]["load_groups"]["nbgrader-practice-lab"]["users"] == sorted(LEARNERS)
    assert config["FirstUseAuthenticator"] == local["FirstUseAuthenticator"]
    for trait, users in local["Authenticator"].items():
        assert config["Authenticator"][trait] == sorted(users)
    [culler] = [s for s in local["JupyterHub"]["services"] if s["name"] == hub.CULLER]
    assert f"--timeout={values['cull']['timeout']}" in culler["command"]
    assert f"--cull-every={values['cull']['every']}" in culler["command"]


def test_no_password_in_the_values_and_memory_covers_the_measured_learner():
    text = (DEPLOY / "values.yaml").read_text(encoding="utf-8")
    values = yaml.safe_load(text)
    assert urllib.parse.urlsplit(values["hub"]["db"]["url"]).password is None
    assert "secretKeyRef" in values["hub"]["extraEnv"]["PGPASSWORD"]["valueFrom"]
    memory = values["singleuser"]["memory"]
    # shared/field-notes.md: a learner's server with one page open, about 220 MiB RSS.
    assert int(memory["guarantee"].removesuffix("M")) >= 220
    assert int(memory["limit"].removesuffix("M")) > int(memory["guarantee"].removesuffix("M"))


def test_the_command_prints_a_cohorts_values(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,team\nlearner1,Learner One,,A\n", encoding="utf-8")
    cli = [sys.executable, "-m", "practice_lab.cli", "hub", "--trainer", "trainer1"]
    done = subprocess.run(
        [*cli, "k8s-values", "--roster", str(roster)], capture_output=True, text=True, check=True
    )
    assert yaml.safe_load(done.stdout) == k8s_values.values(["trainer1"], ["learner1"])
