"""Suppression comments, and ``--report-unused-noqa``, through ``aml-migrate check``."""

from __future__ import annotations

import json

import nbformat
from frontends import aml_migrate

SOURCE = """\
from azureml.train.dnn import PyTorch  # noqa: E501
a = PyTorch('src')  # noqa: AML101
b = PyTorch('src')  # noqa: AML301,AML999
c = PyTorch('src')  # noqa: AML1, E501
d = 1  # noqa: AML101
e = 2  # noqa: E501,W291
f = 3  # noqa
g = "# noqa: AML101"
"""


def report(*args: str) -> dict:
    result = aml_migrate("check", "--format", "json", "--report-unused-noqa", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_suppression_by_code_prefix_and_bare_noqa(write) -> None:
    path = write("submit.py", SOURCE)
    findings = [(f["line"], f["code"]) for f in report(str(path))["findings"]]
    assert findings == [(1, "AML102"), (3, "AML101")]  # E501 and AML301 do not cover them


def test_unused_and_unknown_codes_are_reported_and_other_tools_codes_are_not(write) -> None:
    path = write("submit.py", SOURCE)
    unused = [(u["line"], u["column"], u["codes"], u["unknown"]) for u in report(str(path))["unused_noqa"]]
    assert unused == [(3, 20, ["AML301"], ["AML999"]), (5, 7, ["AML101"], [])]


def test_text_output_and_exit_status(write) -> None:
    path = write("clean.py", "import azureml.core\nx = 1  # noqa: AML401\n")
    assert aml_migrate("check", str(path)).returncode == 0
    result = aml_migrate("check", "--report-unused-noqa", str(path))
    assert result.returncode == 1
    assert result.stdout == f"{path}:2:8: unused noqa: AML401 suppressed nothing\n"


def test_codes_of_disabled_rules_are_not_judged(write) -> None:
    path = write("submit.py", "import azureml.core\nx = 1  # noqa: AML401\ny = 2  # noqa: AML4\n")
    assert report("--ignore", "AML401", str(path))["unused_noqa"] == []
    assert report("--select", "AML1", str(path))["unused_noqa"] == []


def test_a_file_level_noqa_exempts_the_file_from_both(write) -> None:
    path = write("submit.py", "# aml-migrate: noqa\n" + SOURCE)
    assert report(str(path)) | {"findings": [], "unused_noqa": []} == report(str(path))


def test_a_file_without_azureml_still_has_unused_noqa(write) -> None:
    path = write("plain.py", "x = 1  # noqa: AML101\n")
    assert [u["codes"] for u in report(str(path))["unused_noqa"]] == [["AML101"]]


def test_notebooks_say_which_cell(tmp_path) -> None:
    cells = [nbformat.v4.new_markdown_cell("# Train"),
             nbformat.v4.new_code_cell("%pip install azureml-sdk\nfrom azureml.train.dnn import PyTorch  # noqa"),
             nbformat.v4.new_code_cell("est = PyTorch('src')  # noqa: AML101\nx = 1  # noqa: AML102")]
    path = tmp_path / "train.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))
    result = report(str(path))
    assert result["findings"] == []
    assert [(u["cell"], u["line"], u["codes"]) for u in result["unused_noqa"]] == [(2, 2, ["AML102"])]
    text = aml_migrate("check", "--report-unused-noqa", str(path)).stdout
    assert text == f"{path}:cell 2:2:8: unused noqa: AML102 suppressed nothing\n"


def test_unparsable_files_are_errors_not_unused_noqa(write) -> None:
    path = write("broken.py", "import azureml.core  # noqa: AML101\nif True\n")
    result = report(str(path))
    assert result["unused_noqa"] == [] and len(result["errors"]) == 1


def test_the_json_contract_is_unchanged_without_the_flag(write) -> None:
    path = write("submit.py", SOURCE)
    result = json.loads(aml_migrate("check", "--format", "json", str(path)).stdout)
    assert set(result) == {"version", "files_checked", "findings", "errors"}
