"""binder/ must install what pyproject says the course needs, no more and no less, and start the
learner's server locked down."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from practice_lab import jupyter_route, serve
from tests.conftest import ROOT

PRINT_ENV = "import json, os; print(json.dumps(dict(os.environ)))"


def test_binder_requirements_match_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    binder = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert sorted(binder) == sorted(declared)


@pytest.mark.browser  # starts from the workspace the served-course fixture prepared: seconds, not a minute
def test_binder_start_prepares_the_workspace_and_puts_our_folders_first(server, tmp_path):
    start = ROOT / "binder" / "start"
    assert os.access(start, os.X_OK), "mybinder.org runs binder/start only when it is executable"
    home = tmp_path / "home"
    shutil.copytree(server["home"], home, ignore=shutil.ignore_patterns("*.log"))
    (home / "learner" / "home.ipynb").unlink()
    env = dict(
        os.environ,
        PRACTICE_LAB_HOME=str(home),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    )
    env.pop("JUPYTER_CONFIG_PATH", None)
    done = subprocess.run(
        [str(start), sys.executable, "-c", PRINT_ENV],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    exported = json.loads(done.stdout.splitlines()[-1])
    assert exported["JUPYTER_CONFIG_PATH"] == str(jupyter_route.CONFIG_DIR)
    assert exported["JUPYTER_PATH"].split(os.pathsep)[0] == str(serve.TEMPLATES)
    assert (home / "learner" / "home.ipynb").exists(), "binder/start did not prepare the workspace"
