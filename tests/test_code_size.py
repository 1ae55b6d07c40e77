"""Small rooms: no module over 400 lines and no function over 60, so each can be read whole."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT
from tests.test_layers import LAYER

MAX_MODULE, MAX_FUNCTION = 400, 60
FILES = [p for package in LAYER for p in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE, f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_MODULE})"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, from line {node.lineno})"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION
    ]
    assert not long, f"{path.relative_to(ROOT)}: functions over {MAX_FUNCTION} lines: {long}"
