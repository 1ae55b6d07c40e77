"""Every course notebook executes headless without error, and is committed without outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import MODULE, ROOT

NOTEBOOKS = sorted((ROOT / "course").rglob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "course")))
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: strip outputs"
            )
    assert "widgets" not in nb.metadata, f"{path.name}: strip saved widget state"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "course")))
def test_executes_without_error_or_stderr(path: Path, tmp_path):
    # Run a copy in an empty module folder, as a learner's kernel would: never inside course/.
    # (The CPD record page takes its module from the folder's name.)
    folder = tmp_path / "learner" / MODULE
    folder.mkdir(parents=True)
    copy = folder / path.name
    shutil.copyfile(path, copy)
    nb = nbformat.read(copy, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    for n, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell {n}: {out.get('ename')}: {out.get('evalue')}"
            assert out.get("name") != "stderr", f"cell {n} wrote to stderr: {out.get('text')}"
    assert not (folder / "answers.json").exists(), "executing a page must not write answers"
