"""binder/ must install what pyproject says the course needs, no more and no less."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_binder_requirements_match_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    binder = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert sorted(binder) == sorted(declared)
