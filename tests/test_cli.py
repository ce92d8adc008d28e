"""``aml-migrate check``, ``rules`` and ``explain`` through the real command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

from frontends import ROOT, aml_migrate, check_json

ESTIMATOR = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""


def test_json_output_keeps_the_documented_contract(write) -> None:
    path = write("submit.py", ESTIMATOR)
    report = check_json(path)
    assert set(report) == {"version", "files_checked", "findings", "errors"}
    assert report["files_checked"] == 1 and report["errors"] == []
    finding = next(f for f in report["findings"] if f["code"] == "AML101")
    assert finding == {
        "path": str(path), "cell": None, "line": 3, "column": 6, "end_line": 3,
        "end_column": len(ESTIMATOR.splitlines()[2]),
        "code": "AML101", "symbol": "deprecated-estimator",
        "message": "PyTorch estimator is deprecated since azureml-sdk 1.19.0: use ScriptRunConfig with "
                   "Environment 'AzureML-PyTorch-1.6-GPU'",
        "fix": {"applicability": "safe", "summary": finding["fix"]["summary"]},
    }


def test_text_output_is_flake8_style_with_1_based_columns(write) -> None:
    path = write("submit.py", ESTIMATOR)
    result = aml_migrate("check", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:1:1: AML102 ")
    assert lines[1].startswith(f"{path}:3:7: AML101 PyTorch estimator is deprecated")


def test_exit_codes(write, tmp_path) -> None:
    clean = write("clean/ok.py", "import os\n")
    assert aml_migrate("check", str(clean)).returncode == 0
    dirty = write("dirty/submit.py", ESTIMATOR)
    assert aml_migrate("check", str(dirty)).returncode == 1
    assert aml_migrate("check", "--exit-zero", str(dirty)).returncode == 0
    assert aml_migrate("check", "--select", "AML999", str(dirty)).returncode == 2


def test_select_and_ignore_take_codes_and_prefixes(write) -> None:
    path = write("submit.py", ESTIMATOR)
    assert {f["code"] for f in check_json(path, extra=("--select", "AML101"))["findings"]} == {"AML101"}
    assert {f["code"] for f in check_json(path, extra=("--select", "AML1", "--ignore", "AML101"))["findings"]} == {
        "AML102"}


def test_unknown_code_is_a_usage_error_with_one_line(write) -> None:
    result = aml_migrate("check", "--ignore", "E501", str(write("a.py", ESTIMATOR)))
    assert result.returncode == 2
    assert result.stderr.strip() == "aml-migrate: error: unknown rule code(s): E501"


def test_noqa_comments(write) -> None:
    path = write("submit.py", """\
        from azureml.train.dnn import PyTorch  # noqa
        a = PyTorch('s')  # noqa: AML101
        b = PyTorch('s')  # noqa: AML301
        c = PyTorch('s')  # noqa:AML1
    """)
    found = [(f["line"], f["code"]) for f in check_json(path)["findings"]]
    assert found == [(3, "AML101")]


def test_file_level_noqa_exempts_the_file(write) -> None:
    path = write("submit.py", "# aml-migrate: noqa\n" + ESTIMATOR)
    assert check_json(path)["findings"] == []


def test_directories_are_walked_for_python_notebooks_and_requirements(write, tmp_path) -> None:
    write("proj/submit.py", ESTIMATOR)
    write("proj/requirements.txt", "azureml-sdk==1.0.83\n")
    write("proj/README.md", "azureml-sdk==1.0.83\n")
    write("proj/.venv/lib/site.py", ESTIMATOR)
    write("proj/ignored/old.py", ESTIMATOR)
    write("proj/.gitignore", "ignored/\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Train"),
                                               nbformat.v4.new_code_cell(ESTIMATOR)])
    nbformat.write(notebook, str(tmp_path / "proj" / "train.ipynb"))
    report = check_json(tmp_path / "proj")
    checked = {os.path.relpath(f["path"], tmp_path / "proj") for f in report["findings"]}
    assert checked == {"submit.py", "requirements.txt", "train.ipynb"}
    assert report["files_checked"] == 3
    cells = {(f["cell"], f["line"], f["code"]) for f in report["findings"] if f["path"].endswith(".ipynb")}
    assert cells == {(1, 1, "AML102"), (1, 3, "AML101")}


def test_exclude_patterns(write, tmp_path) -> None:
    write("proj/a/submit.py", ESTIMATOR)
    write("proj/b/submit.py", ESTIMATOR)
    report = check_json(tmp_path / "proj", extra=("--exclude", "b/"))
    assert {os.path.basename(os.path.dirname(f["path"])) for f in report["findings"]} == {"a"}


BAD_INPUTS = {
    "syntax.py": (b"import azureml.core\ndef broken(:\n", "syntax error at line 2"),
    "latin1.py": ("import azureml.core\nname = 'caf\u00e9'\n".encode("latin-1"), "not valid utf-8 text at line 2"),
    "nul.py": (b"import azureml.core\nx = 1\x00\n", "cannot parse"),
    "empty.ipynb": (b"", "empty file, not a notebook"),
    "notjson.ipynb": (b"{not json", "not valid JSON at line 1"),
    "notnotebook.ipynb": (b'{"cells": []}', "not a Jupyter notebook"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_one_clear_error_and_the_run_goes_on(write, tmp_path, name: str) -> None:
    data, expected = BAD_INPUTS[name]
    write(f"proj/{name}", data)
    write("proj/submit.py", ESTIMATOR)
    result = aml_migrate("check", "--format", "json", str(tmp_path / "proj"))
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    errors = [e for e in report["errors"] if e["path"].endswith(name)]
    assert len(errors) == 1 and expected.lower() in errors[0]["message"].lower()
    assert any(f["path"].endswith("submit.py") for f in report["findings"])
    assert result.returncode == 1


def test_text_errors_go_to_stderr_as_one_line_each(write) -> None:
    path = write("broken.py", "import azureml.core\nif True\n")
    result = aml_migrate("check", str(path))
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"{path}: error: syntax error at line 2: expected ':'"]


def test_unreadable_directory_is_reported_and_the_walk_goes_on(write, tmp_path, monkeypatch) -> None:
    """Root reads every directory, so the refusal is simulated where os.walk meets it."""
    from lint_plugin.discovery import Unreadable, discover

    write("proj/locked/secret.py", ESTIMATOR)
    write("proj/open/submit.py", ESTIMATOR)
    real_scandir = os.scandir

    def refusing_scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    found = list(discover([str(tmp_path / "proj")], [], lambda name: name.endswith(".py")))
    assert Unreadable(str(tmp_path / "proj" / "locked"), "Permission denied") in found
    assert str(tmp_path / "proj" / "open" / "submit.py") in found


def test_symlink_loop_and_missing_path(write, tmp_path) -> None:
    write("proj/submit.py", ESTIMATOR)
    (tmp_path / "proj" / "loop.py").symlink_to(tmp_path / "proj" / "loop.py")
    (tmp_path / "proj" / "cycle").symlink_to(tmp_path / "proj")
    result = aml_migrate("check", "--format", "json", str(tmp_path / "proj"), str(tmp_path / "missing.py"))
    report = json.loads(result.stdout)
    messages = {os.path.basename(e["path"]): e["message"] for e in report["errors"]}
    assert "symbolic links" in messages["loop.py"]
    assert messages["missing.py"] == "cannot read: no such file or directory"
    assert len(report["findings"]) == 2  # the loop directory is not followed twice


def test_python_dash_m_is_the_same_command() -> None:
    module = aml_migrate("--version")
    assert module.returncode == 0 and module.stdout.strip().startswith("aml-migrate ")


def test_parallel_jobs_give_the_same_report(write, tmp_path) -> None:
    for index in range(60):
        write(f"many/submit_{index:02}.py", ESTIMATOR if index % 3 else "import os\n")
    serial = check_json(tmp_path / "many", extra=("--jobs", "1"))
    parallel = check_json(tmp_path / "many", extra=("--jobs", "2"))
    assert serial == parallel and len(serial["findings"]) == 80


def test_rules_and_explain() -> None:
    listing = aml_migrate("rules").stdout
    assert "AML101" in listing and "deprecated-estimator" in listing and "AML501" in listing
    explained = aml_migrate("explain", "AML301")
    assert explained.returncode == 0 and "str(data)" in explained.stdout
    assert aml_migrate("explain", "missing-environment").returncode == 0
    unknown = aml_migrate("explain", "AML999")
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_rules_md_is_generated_from_the_registry() -> None:
    from lint_plugin.docs import rules_markdown

    assert (ROOT / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "rules.md is stale: run `python -m lint_plugin.docs > rules.md`")



def test_an_opt_in_rule_says_how_to_turn_it_on_in_explain_and_sarif(tmp_path: Path) -> None:
    explained = aml_migrate("explain", "AML602").stdout
    assert "Off by default" in explained and "--enable=v1-script-run-config" in explained
    assert "Off by default" not in aml_migrate("explain", "AML101").stdout
    source = tmp_path / "job.py"
    source.write_text("from azureml.train.estimator import Estimator\n", encoding="utf-8")
    sarif = json.loads(aml_migrate("check", "--format", "sarif", str(source)).stdout)
    descriptions = {rule["id"]: rule["fullDescription"]["text"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "--enable=v1-workspace" in descriptions["AML601"] and "Off by default" not in descriptions["AML102"]

def test_help_explains_itself() -> None:
    result = aml_migrate("check", "--help")
    assert result.returncode == 0
    for option in ("--format", "--select", "--ignore", "--exclude", "--exit-zero", "--jobs", "Exit status"):
        assert option in result.stdout
    assert sys.executable
