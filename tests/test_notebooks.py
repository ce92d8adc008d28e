"""Notebooks: cells analysed as one module, IPython syntax masked in place, findings mapped to cells."""

from __future__ import annotations

import json

import nbformat
from nbformat import v3, v4

from frontends import check_json
from lint_plugin.notebooks import mask_ipython


def _write(tmp_path, cells, name="train.ipynb"):
    path = tmp_path / name
    nbformat.write(v4.new_notebook(cells=cells), str(path))
    return path


def _found(report):
    return sorted((f["cell"], f["line"], f["column"], f["code"]) for f in report["findings"])


def test_names_flow_from_earlier_cells_and_positions_are_per_cell(tmp_path) -> None:
    path = _write(tmp_path, [
        v4.new_markdown_cell("# Distributed PyTorch"),
        v4.new_code_cell("%pip install azureml-sdk\nfrom azureml.core import Workspace, ScriptRunConfig\n"
                         "ws = Workspace.from_config()\nds = ws.get_default_datastore()"),
        v4.new_code_cell("!ls data\nref = ds.path('mnist').as_mount()"),
        v4.new_markdown_cell("Submit it"),
        v4.new_code_cell("src = ScriptRunConfig('src', 'train.py',\n"
                         "                      arguments=['--data', ref], environment=env)"),
    ])
    assert _found(check_json(path)) == [(4, 2, 43, "AML301"), (4, 2, 43, "AML302")]


def test_masking_keeps_lines_and_blocks() -> None:
    source = ("%matplotlib inline\nfiles = !ls\nif True:\n    !pip install x\n    y = 1\nmodel.fit?\n"
              "# a comment ending with ?\nz = 2  # really?\n")
    masked = mask_ipython(source)
    assert masked.splitlines() == ["pass", "pass", "if True:", "    pass", "    y = 1", "pass",
                                   "# a comment ending with ?", "z = 2  # really?"]


def test_cell_magics_hide_non_python_bodies_but_not_python_ones(tmp_path) -> None:
    estimator = "from azureml.train.estimator import Estimator\nest = Estimator('src')"
    path = _write(tmp_path, [
        v4.new_code_cell("%%writefile train.py\n" + estimator),
        v4.new_code_cell("%%bash\necho azureml"),
        v4.new_code_cell("%%time\n" + estimator),
    ])
    assert _found(check_json(path)) == [(2, 2, 0, "AML102"), (2, 3, 6, "AML101")]


def test_an_invalid_cell_is_an_error_and_the_rest_is_checked(tmp_path) -> None:
    path = _write(tmp_path, [
        v4.new_code_cell("from azureml.train.dnn import PyTorch"),
        v4.new_code_cell("print 'python 2'"),
        v4.new_code_cell("est = PyTorch('src')"),
    ])
    report = check_json(path)
    assert _found(report) == [(0, 1, 0, "AML102"), (2, 1, 6, "AML101")]
    assert [e["message"] for e in report["errors"]] == [
        "syntax error in cell 1 at line 1: Missing parentheses in call to 'print'. Did you mean print(...)?"]


def test_sources_as_lists_and_nbformat_3(tmp_path) -> None:
    raw = json.loads(nbformat.writes(v4.new_notebook(cells=[v4.new_code_cell("x = 1")])))
    raw["cells"][0]["source"] = ["from azureml.train.sklearn import SKLearn\n", "est = SKLearn('src')\n"]
    listed = tmp_path / "listed.ipynb"
    listed.write_text(json.dumps(raw))
    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[
        v3.new_text_cell("markdown", "# old"),
        v3.new_code_cell("from azureml.train.sklearn import SKLearn\nest = SKLearn('src')"),
    ])])
    legacy = tmp_path / "legacy.ipynb"
    legacy.write_text(v3.writes_json(old))
    report = check_json(listed, legacy)
    by_file = {(f["path"].rsplit("/", 1)[1], f["cell"], f["line"], f["code"]) for f in report["findings"]}
    assert by_file == {("listed.ipynb", 0, 1, "AML102"), ("listed.ipynb", 0, 2, "AML101"),
                       ("legacy.ipynb", 1, 1, "AML102"), ("legacy.ipynb", 1, 2, "AML101")}
    assert report["errors"] == []


def test_noqa_inside_a_cell(tmp_path) -> None:
    path = _write(tmp_path, [v4.new_code_cell("from azureml.train.dnn import PyTorch  # noqa: AML102\n"
                                              "est = PyTorch('src')")])
    assert _found(check_json(path)) == [(0, 2, 6, "AML101")]
