"""The composite GitHub Action (``action.yml``), its steps run as the runner runs them, on a fixture
repository: ``${{ inputs.* }}`` and ``${{ github.action_path }}`` expanded into each step's ``env`` and
script, ``if:`` honoured, each ``shell: bash`` step run by ``bash --noprofile --norc -eo pipefail``
in the workspace, with ``GITHUB_OUTPUT``, ``GITHUB_PATH`` (prepended to the next steps' PATH),
``GITHUB_STEP_SUMMARY`` and ``RUNNER_TEMP`` as files and folders of the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from frontends import ROOT
from github_sarif import upload_problems
from test_output_formats import sarif_validator

LEGACY = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Run:
    status: int  # of the last step that ran
    log: str  # every step's standard output and error, in order
    outputs: dict[str, str]
    summary: str
    path: list[str]  # what the steps added to PATH


def run_action(workspace: Path, action_dir: Path, runner_temp: Path, inputs: dict[str, str],
               path: tuple[str, ...] = ()) -> Run:
    action = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    assert set(inputs) <= set(values), f"unknown inputs {set(inputs) - set(values)}"
    values.update(inputs)
    context = {f"inputs.{name}": value for name, value in values.items()} | {"github.action_path": str(action_dir)}
    files = {name: runner_temp.parent / f"{name.lower()}.txt" for name in ("GITHUB_OUTPUT", "GITHUB_PATH",
                                                                          "GITHUB_STEP_SUMMARY")}
    for file in files.values():
        file.write_text("", encoding="utf-8")
    added = list(path)
    log, status = "", 0
    for step in action["runs"]["steps"]:
        if "if" in step and not condition(step["if"], context):
            continue
        assert step["shell"] == "bash"
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "INPUT_"))}
        environment |= {"GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTION_PATH": str(action_dir),
                        "GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(runner_temp), "CI": "true",
                        "PATH": os.pathsep.join([*added, os.environ["PATH"]])}
        environment |= {name: str(file) for name, file in files.items()}
        environment |= {key: expand(str(value), context) for key, value in step.get("env", {}).items()}
        script = runner_temp / "step.sh"
        script.write_text(expand(step["run"], context), encoding="utf-8")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                                env=environment, capture_output=True, text=True, timeout=600)
        log += result.stdout + result.stderr
        status = result.returncode
        added = [line for line in files["GITHUB_PATH"].read_text().splitlines() if line][::-1] + list(path)
        if status != 0:
            break
    outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines() if "=" in line)
    return Run(status, log, outputs, files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8"), added)


def expand(text: str, context: dict[str, str]) -> str:
    """``${{ name }}`` for the names the action may use; any other expression fails the test."""
    def value(match: re.Match[str]) -> str:
        assert match[1] in context, f"the action uses an expression this test cannot evaluate: {match[0]}"
        return context[match[1]]

    return EXPRESSION.sub(value, text)


def condition(text: str, context: dict[str, str]) -> bool:
    match = re.fullmatch(r"([\w.-]+) == '([^']*)'", text.strip())
    assert match and match[1] in context, f"the action uses a condition this test cannot evaluate: {text}"
    return context[match[1]] == match[2]


@pytest.fixture(scope="module")
def action_dir(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The action as ``uses: owner/aml-migrate@ref`` checks it out: the repository's files."""
    checkout = tmp_path_factory.mktemp("action") / "aml-migrate"
    checkout.mkdir()
    for name in ("action.yml", "setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, checkout / name)
    shutil.copytree(ROOT / "lint_plugin", checkout / "lint_plugin", ignore=shutil.ignore_patterns("__pycache__"))
    return checkout


@pytest.fixture(scope="module")
def on_path(tmp_path_factory) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """For ``install: 'false'``: a PATH entry whose ``aml-migrate`` is the code under test."""
    folder = tmp_path_factory.mktemp("bin")
    shim = folder / "aml-migrate"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m lint_plugin "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return (str(folder),)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A legacy repository, its baseline committed, and a workflow's checkout of it."""
    root = tmp_path / "workspace"
    (root / "jobs").mkdir(parents=True)
    (root / "jobs" / "submit.py").write_text(LEGACY, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "lint_plugin", "check", "--write-baseline", "aml-baseline.json", "jobs"],
                   cwd=root, check=True, capture_output=True)
    return root


def action(repository: Path, on_path: tuple[str, ...], action_dir: Path, tmp_path: Path, **inputs: str) -> Run:
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    return run_action(repository, action_dir, temp, {"install": "false"} | inputs, on_path)


def test_the_install_step_puts_the_actions_own_aml_migrate_on_path(repository, action_dir, tmp_path) -> None:
    """The install step for real: pip builds the action's source (fetching its build backend only: the
    dependencies are on the machine already) into a virtual environment the next step uses."""
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    run = run_action(repository, action_dir, temp, {"baseline": "aml-baseline.json"})
    venv_bin = temp / "aml-migrate-venv" / "bin"
    assert run.status == 0, run.log
    assert run.path == [str(venv_bin)] and f"using {venv_bin / 'aml-migrate'}" in run.log


def test_a_legacy_repository_with_its_baseline_passes(repository, on_path, action_dir, tmp_path) -> None:
    run = action(repository, on_path, action_dir, tmp_path, paths="jobs", baseline="aml-baseline.json")
    assert run.status == 0, run.log
    assert run.outputs == {"sarif-file": "aml-migrate.sarif", "exit-code": "0"}
    assert "No new deprecated Azure ML SDK v1 code." in run.summary
    log = json.loads((repository / "aml-migrate.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"] == []


def test_new_deprecated_code_fails_the_job_with_annotations_and_sarif(repository, on_path, action_dir,
                                                                      tmp_path) -> None:
    (repository / "jobs" / "new job.py").write_text(LEGACY.replace("est =", "again ="), encoding="utf-8")
    (repository / "notebooks").mkdir()
    (repository / "notebooks" / "n.ipynb").write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": LEGACY.splitlines(keepends=True)}]}, indent=1), encoding="utf-8")
    (repository / "out").mkdir()
    inputs = {"paths": "jobs\nnotebooks", "baseline": "aml-baseline.json", "sarif-file": "out/aml.sarif"}
    run = action(repository, on_path, action_dir, tmp_path, **inputs)
    assert run.status == 1 and run.outputs == {"sarif-file": "out/aml.sarif", "exit-code": "1"}
    annotations = [line for line in run.log.splitlines() if line.startswith("::")]
    assert [line.split("::")[1].split(",")[0] for line in annotations] == [
        "warning file=jobs/new job.py", "warning file=jobs/new job.py",
        "warning file=notebooks/n.ipynb", "warning file=notebooks/n.ipynb"]
    raw = (repository / "notebooks" / "n.ipynb").read_text(encoding="utf-8").splitlines()
    estimator_line = next(number for number, text in enumerate(raw, 1) if "est = PyTorch(" in text)
    assert f",line={estimator_line},col=" in annotations[3]  # the .ipynb line holding the notebook's estimator
    assert "4 new finding(s)" in run.summary
    log = json.loads((repository / "out" / "aml.sarif").read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(log))
    assert upload_problems(log, repository) == []
    assert len(log["runs"][0]["results"]) == 4


def test_select_ignore_and_the_ratchet_reach_aml_migrate(repository, on_path, action_dir, tmp_path) -> None:
    (repository / "jobs" / "submit.py").write_text(LEGACY.replace("from azureml.train.dnn import PyTorch",
                                                                  "from azureml.train.dnn import PyTorch as P"))
    kept = action(repository, on_path, action_dir, tmp_path, baseline="aml-baseline.json", select="AML101")
    assert kept.status == 0, kept.log  # the edited import is AML102: not selected
    flagged = action(repository, on_path, action_dir, tmp_path, baseline="aml-baseline.json", ignore="AML101")
    assert flagged.status == 1 and "::warning file=jobs/submit.py,line=1," in flagged.log
    (repository / "jobs" / "submit.py").write_text("import os\n", encoding="utf-8")
    shrink = action(repository, on_path, action_dir, tmp_path, baseline="aml-baseline.json")
    assert shrink.status == 0 and "::notice title=aml-migrate baseline::2 baseline entries are fixed" in shrink.log
    ratchet = action(repository, on_path, action_dir, tmp_path, baseline="aml-baseline.json", ratchet="true")
    assert ratchet.status == 1 and "::error title=aml-migrate baseline::2 baseline entries are fixed" in ratchet.log


def test_an_error_is_reported_as_such(repository, on_path, action_dir, tmp_path) -> None:
    run = action(repository, on_path, action_dir, tmp_path, baseline="missing.json")
    assert run.status == 2 and run.outputs["exit-code"] == "2"
    assert "missing.json: no such baseline file" in run.log and "could not run (exit status 2)" in run.summary


def test_the_readme_workflow_uses_the_action_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(re.search(r"```yaml\n(name: aml-migrate\n.*?)```", readme, re.S)[1])
    steps = workflow["jobs"]["gate"]["steps"]
    ours = next(step for step in steps if step.get("uses", "").startswith("<owner>/aml-migrate@"))
    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    assert set(ours["with"]) <= set(inputs)
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == inputs["sarif-file"]["default"] and "cancelled()" in upload["if"]
    assert workflow["jobs"]["gate"]["permissions"]["security-events"] == "write"
