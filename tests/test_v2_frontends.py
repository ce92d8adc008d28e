"""The opt-in SDK v2 rules (AML6xx) and ``fix --target v2`` through every real front end: off by default,
on by name (``--select``/``--extend-select AML6``, pylint ``--enable``) or with ``target = "v2"`` in the
project's configuration; the console script's ``fix --target v2``; a notebook's JSON kept; the language
server's quick fixes and SARIF's fixes following the configured target."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from frontends import aml_migrate, check_json, flake8_findings, pylint_messages, run

JOB = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
env = Environment.get(ws, "team-env")
src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "demo").submit(src)
"""
V2_CODES = {"AML601", "AML602", "AML604", "AML605"}
TARGET_V2 = '[tool.aml-migrate]\ntarget = "v2"\n'


def _codes(found: set) -> set[str]:
    return {item[3] for item in found}


def test_flake8_reports_them_only_when_named_or_the_target_is_v2(write, tmp_path) -> None:
    path = str(write("job.py", JOB))
    assert _codes(flake8_findings(path)) == set()  # --select AML: every rule, but not the opt-in ones
    assert _codes(flake8_findings(path, extra=("--extend-select", "AML6"))) == V2_CODES
    assert _codes(flake8_findings(path, extra=("--select", "AML602"))) == {"AML602"}
    plain = run(sys.executable, "-m", "flake8", "--isolated", path, cwd=tmp_path)
    assert "AML6" not in plain.stdout
    write("pyproject.toml", TARGET_V2)
    configured = run(sys.executable, "-m", "flake8", "--isolated", "job.py", cwd=tmp_path)
    assert {line.split()[1] for line in configured.stdout.splitlines() if " AML6" in line} == V2_CODES
    assert "fix: aml-migrate fix --target v2" in configured.stdout


def test_pylint_registers_them_disabled_and_enables_them_on_request_or_for_target_v2(write, tmp_path) -> None:
    path = str(write("job.py", JOB))
    assert pylint_messages(path) == []  # only the default symbols are enabled by the helper
    enabled = pylint_messages(path, extra=("--enable=v1-script-run-config,v1-workspace",))
    assert {m["symbol"] for m in enabled} == {"v1-script-run-config", "v1-workspace"}
    default = run(sys.executable, "-m", "pylint", "--rcfile=/dev/null", "--load-plugins=lint_plugin",
                  "--output-format=json", "--score=n", "job.py", cwd=tmp_path)
    assert not [m for m in json.loads(default.stdout or "[]") if m["symbol"].startswith("v1-")]
    write("pyproject.toml", TARGET_V2)
    configured = run(sys.executable, "-m", "pylint", "--rcfile=/dev/null", "--load-plugins=lint_plugin",
                     "--output-format=json", "--score=n", "job.py", cwd=tmp_path)
    assert {m["symbol"] for m in json.loads(configured.stdout)} >= {"v1-workspace", "v1-script-run-config",
                                                                     "v1-experiment-submit", "v1-environment"}


def test_check_selects_them_by_name_or_target_and_reports_the_v2_fix(write, tmp_path) -> None:
    path = write("job.py", JOB)
    assert not {f["code"] for f in check_json(path)["findings"]} & V2_CODES
    assert {f["code"] for f in check_json(path, extra=("--select", "AML6"))["findings"]} == V2_CODES
    assert {f["code"] for f in check_json(path, extra=("--extend-select", "AML602"))["findings"]} == {"AML602"}
    write("pyproject.toml", TARGET_V2)
    report = check_json(path)
    fixes = {f["code"]: f["fix"] for f in report["findings"]}
    assert set(fixes) == V2_CODES
    assert fixes["AML602"] == {"applicability": "safe", "summary": fixes["AML602"]["summary"]}
    assert fixes["AML602"]["summary"].startswith("ScriptRunConfig(...) -> command(...)")


def test_fix_target_v2_through_the_console_script(write, tmp_path) -> None:
    path = write("job.py", JOB)
    diff = aml_migrate("fix", "--target", "v2", "--diff", str(path))
    assert diff.returncode == 1 and path.read_text() == JOB
    assert '+src = command(code="src", command="python train.py", compute="cpu-cluster"' in diff.stdout
    assert "fixes per rule: AML601 x1, AML602 x1, AML604 x1, AML605 x1; left manual: 0" in diff.stdout
    assert aml_migrate("fix", "--target", "v2", "--check", str(path)).returncode == 1
    assert aml_migrate("fix", str(path)).returncode == 0 and path.read_text() == JOB  # the default target: v1 stays
    write("pyproject.toml", TARGET_V2)
    assert aml_migrate("fix", str(path), cwd=tmp_path).returncode == 0
    fixed = path.read_text()
    ast.parse(fixed)
    assert "import azureml" not in fixed and "from azureml" not in fixed
    assert "ws.jobs.create_or_update(src, experiment_name=\"demo\")" in fixed
    assert aml_migrate("fix", "--target", "v2", "--check", str(path)).returncode == 0
    assert aml_migrate("fix", "--target", "v3", str(path)).returncode == 2


def test_a_notebook_fixed_to_v2_keeps_its_json_and_magics(tmp_path) -> None:
    original = Path(__file__).parent / "fix" / "golden" / "nb_hw_scriptrunconfig.ipynb"
    path = tmp_path / "train.ipynb"
    path.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    assert aml_migrate("fix", "--target", "v2", str(path)).returncode == 0
    before, after = json.loads(original.read_text(encoding="utf-8")), json.loads(path.read_text(encoding="utf-8"))
    assert before["metadata"] == after["metadata"] and len(before["cells"]) == len(after["cells"])
    for old, new in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in old.items() if k != "source"} == {k: v for k, v in new.items() if k != "source"}
        if old["cell_type"] != "code":
            assert old["source"] == new["source"]
    sources = ["".join(cell["source"]) for cell in after["cells"]]
    assert sources[1].startswith("%pip install azureml-core\n")
    assert any("ws.jobs.stream(run.name)" in source for source in sources)
    # the file's own JSON layout (indent of one space, as written) is kept: only changed lines differ
    assert path.read_text(encoding="utf-8").startswith('{\n "cells": [')


def test_sarif_fixes_follow_the_configured_target(write, tmp_path) -> None:
    write("pyproject.toml", TARGET_V2)
    write("job.py", JOB)
    result = aml_migrate("check", "--format", "sarif", "job.py", cwd=tmp_path)
    log = json.loads(result.stdout)
    fixes = [r for r in log["runs"][0]["results"] if r["ruleId"] == "AML602"][0]["fixes"]
    inserted = "".join(rep["insertedContent"]["text"] for fix in fixes for change in fix["artifactChanges"]
                       for rep in change["replacements"])
    assert "command(" in inserted and "MLClient.from_config(DefaultAzureCredential())" in inserted
