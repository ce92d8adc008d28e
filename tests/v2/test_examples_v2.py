"""``examples/estimator_to_v2`` migrates to SDK v2 whole, as its README says: through the console script
``aml-migrate fix --target v2``, the ``.py`` file and the notebook leave nothing manual and no SDK v1 import,
the notebook keeps its JSON layout outside the cells that change, a second run changes nothing, and each
job maps row for row onto what SDK v1 built from the original (the golden harness's proof, applied to
the example files)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from needs import require_sdk_v2

require_sdk_v2()

from fix.equivalence import Original  # noqa: E402 - after the SDK check
from fix.golden_runs import azureml_imports, program, run  # noqa: E402
from sdk_offline.v2 import execute_v2  # noqa: E402

from lint_plugin.fix import fix_notebook, fix_source  # noqa: E402

from .mapping import mapping_differences  # noqa: E402

pytestmark = pytest.mark.sdk

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "estimator_to_v2"
FILES = ("submit.py", "train-notebook.ipynb")
CONSOLE = shutil.which("aml-migrate") or sys.exit("aml-migrate is not installed")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("example") / "estimator_to_v2"
    shutil.copytree(EXAMPLE, folder)
    done = subprocess.run([CONSOLE, "fix", "--target", "v2", str(folder)], capture_output=True, text=True,
                          timeout=300)
    return folder, done


def test_the_console_script_migrates_both_files_leaving_nothing_manual(migrated) -> None:
    folder, done = migrated
    assert done.returncode == 0, done.stdout + done.stderr
    assert "left manual: 0" in done.stdout, done.stdout
    for name in FILES:
        assert azureml_imports(folder / name) == set(), name
        assert "from azure.ai.ml import" in program(folder / name), name


def test_a_second_run_changes_nothing(migrated) -> None:
    folder, _ = migrated
    again = subprocess.run([CONSOLE, "fix", "--target", "v2", "--check", str(folder)], capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_notebook_keeps_its_layout_outside_the_code_it_migrates(migrated) -> None:
    folder, _ = migrated
    before = json.loads((EXAMPLE / "train-notebook.ipynb").read_text(encoding="utf-8"))
    after_text = (folder / "train-notebook.ipynb").read_text(encoding="utf-8")
    after = json.loads(after_text)
    assert list(after) == list(before) and after["metadata"] == before["metadata"]
    assert [c["cell_type"] for c in after["cells"]] == [c["cell_type"] for c in before["cells"]]
    assert [c for c in after["cells"] if c["cell_type"] == "markdown"] == [
        c for c in before["cells"] if c["cell_type"] == "markdown"]
    assert after_text.endswith("}\n") and after_text.startswith('{\n "cells": [\n  {')


@pytest.mark.parametrize("name", FILES)
def test_each_job_maps_row_for_row_onto_what_sdk_v1_built(name: str, tmp_path: Path) -> None:
    case = EXAMPLE / name
    fixer = fix_notebook if case.suffix == ".ipynb" else fix_source
    result = fixer(case.read_text(encoding="utf-8"), env_style="exact", target="v2")
    assert not result.manual, result.manual
    output = tmp_path / name
    output.write_text(result.source, encoding="utf-8")
    declared = [change for fix in result.applied for change in fix.changes]
    original = Original(run(case), run(case, full_build=True), declared)
    execution = execute_v2(program(output), str(output), cwd=EXAMPLE)
    assert [key for key in execution.jobs if key.startswith("submission")] == ["submission 0"]  # one submission, numbered from 0
    assert mapping_differences(original, execution, "exact") == []
