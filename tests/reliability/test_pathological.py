"""Pathological inputs: huge files, deep nesting, long lines, line endings, encodings, odd notebooks."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from frontends import flake8_findings, pylint_findings
from lint_plugin.flake8_plugin import AmlMigrateChecker

from .helpers import cli_check, fix_tree, flake8_run, notebook, pylint_run

ESTIMATOR = "est = PyTorch(source_directory='src', entry_script='train.py')"
IMPORT = "from azureml.train.dnn import PyTorch"
PLAIN_BLOCK = '''
def helper_{i}(values, scale={i}):
    """Normalise the values of batch {i}."""
    total = sum(v * scale for v in values if v is not None)
    result = {{"batch": {i}, "mean": total / max(len(values), 1), "tags": ["a", "b", "c"]}}
    return result
'''
SDK_BLOCK = '''
def submit_{i}(ws, ds):
    est = PyTorch(source_directory='src_{i}', entry_script='train.py', compute_target='gpu', node_count=2,
                  distributed_training=Mpi(), script_params={{'--data': ds.as_mount()}}, use_gpu=True)
    return Experiment(ws, 'exp-{i}').submit(est)
'''


def _ten_megabytes() -> tuple[str, int]:
    """A 10 MB module: plain helper functions with an estimator submission every 100th block."""
    parts = ["from azureml.core import Experiment\nfrom azureml.train.dnn import PyTorch, Mpi\n"]
    size, count = len(parts[0]), 0
    while size < 10 * 1024 * 1024:
        block = (SDK_BLOCK if count % 100 == 0 else PLAIN_BLOCK).format(i=count)
        parts.append(block)
        size, count = size + len(block), count + 1
    return "".join(parts), (count + 99) // 100


def test_a_10_mb_file_is_checked_to_the_end(tmp_path: Path) -> None:
    source, estimators = _ten_megabytes()
    path = tmp_path / "huge.py"
    path.write_text(source, encoding="utf-8")
    report = cli_check(path)
    assert report["errors"] == []
    found = [f for f in report["findings"] if f["code"] == "AML101"]
    assert len(found) == estimators
    assert found[-1]["line"] == source[: source.rindex("est = PyTorch(")].count("\n") + 1


DEEP = {  # each past one of Python's or the analysis's limits
    "operators-past-the-parser": ("x = " + "+".join(["a"] * 5000),
                                  "cannot parse: nested too deeply to parse"),
    "operators-past-the-analysis": ("x = " + "+".join(["a"] * 1000),
                                    "cannot analyse: expressions nested too deeply"),
    "brackets-past-the-tokenizer": ("x = " + "(" * 250 + "1" + ")" * 250, "too many nested parentheses"),
    "blocks-past-the-indenter": ("".join(" " * i + "if x:\n" for i in range(120)) + " " * 120 + "pass",
                                 "too many levels of indentation"),
}


@pytest.mark.parametrize("shape", DEEP)
def test_deep_nesting_is_one_clear_error_in_the_cli_for_scripts_and_notebook_cells(
        tmp_path: Path, shape: str) -> None:
    code, message = DEEP[shape]
    script = tmp_path / "deep.py"
    script.write_text(f"{IMPORT}\n{code}\n", encoding="utf-8")
    book = tmp_path / "deep.ipynb"
    book.write_text(json.dumps(notebook(code + "\n", f"{IMPORT}\n{ESTIMATOR}\n")), encoding="utf-8")
    report = cli_check(script, book)
    errors = {Path(e["path"]).name: e["message"] for e in report["errors"]}
    assert message in errors["deep.py"]
    if shape != "operators-past-the-analysis":  # the notebook's other cell is still checked
        assert errors["deep.ipynb"].startswith(("cannot parse cell 0", "syntax error in cell 0"))
        assert {(f["cell"], f["code"]) for f in report["findings"]} == {(1, "AML101"), (1, "AML102")}


@pytest.mark.parametrize("shape", ["operators-past-the-parser", "operators-past-the-analysis"])
def test_deep_nesting_never_crashes_inside_the_flake8_or_pylint_plugin(tmp_path: Path, shape: str) -> None:
    """flake8 (pyflakes) and pylint (astroid) give up on these files before or beside our plugin; what
    they print is theirs: no frame of ``lint_plugin`` in any output."""
    path = tmp_path / "deep.py"
    path.write_text(f"{IMPORT}\n{ESTIMATOR}\n{DEEP[shape][0]}\n", encoding="utf-8")
    for result in (flake8_run(path), pylint_run(path)):
        assert "lint_plugin" not in result.stdout + result.stderr


def test_flake8_plugin_survives_a_tree_too_deep_to_analyse() -> None:
    source = f"{IMPORT}\n{ESTIMATOR}\n{DEEP['operators-past-the-analysis'][0]}\n"
    assert list(AmlMigrateChecker(ast.parse(source), source.splitlines(True)).run()) == []


def _agreeing_findings(path: Path) -> set[tuple[str, int, int, str]]:
    report = cli_check(path)
    cli = {(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]}
    assert flake8_findings(path) == cli
    assert pylint_findings(path) == cli
    return cli


def test_a_100_kb_line_is_located_alike_by_every_front_end(tmp_path: Path) -> None:
    prefix = "values = [" + "1, " * 35_000 + "]; "
    path = tmp_path / "long.py"
    path.write_text(f"{IMPORT}\n{prefix}{ESTIMATOR}\n", encoding="utf-8")
    column = len(prefix) + len("est = ")
    assert (str(path), 2, column, "AML101") in _agreeing_findings(path)


SCRIPT = f"import os\n{IMPORT}\n\n{ESTIMATOR}\nprint(est)\nx = 1\n"


@pytest.mark.parametrize("newline", ["\r\n", "mixed"])
def test_crlf_and_mixed_line_endings_are_checked_alike_and_kept_by_fix(tmp_path: Path, newline: str) -> None:
    lines = SCRIPT.splitlines(keepends=True)
    if newline == "mixed":
        text = "".join(line.replace("\n", "\r\n") if i % 2 else line for i, line in enumerate(lines))
    else:
        text = SCRIPT.replace("\n", "\r\n")
    unix, other = tmp_path / "unix.py", tmp_path / "other.py"
    unix.write_text(SCRIPT, encoding="utf-8")
    other.write_bytes(text.encode())
    strip = lambda found: {(line, col, code) for _, line, col, code in found}  # noqa: E731
    assert strip(_agreeing_findings(other)) == strip(_agreeing_findings(unix))
    fix_tree(str(other))
    fixed = other.read_bytes().decode()
    assert "PyTorch(" not in fixed
    for kept in ("print(est)", "x = 1", "import os"):  # unchanged lines keep their own line ending
        ending = text[text.index(kept) + len(kept):][:2]
        assert fixed[fixed.index(kept) + len(kept):].startswith("\r\n" if ending == "\r\n" else "\n")
    if newline == "\r\n":
        assert fixed.replace("\r\n", "").count("\n") == 0, "new lines follow the file's CRLF"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "shift_jis"])
def test_a_coding_cookie_is_honoured_by_check_and_fix(tmp_path: Path, encoding: str) -> None:
    word = "データ" if encoding == "shift_jis" else "café"
    text = f"# -*- coding: {encoding} -*-\n{IMPORT}\nname = '{word}'\n{ESTIMATOR}\n"
    path = tmp_path / "legacy.py"
    path.write_bytes(text.encode(encoding))
    assert {(line, code) for _, line, _, code in _agreeing_findings(path)} == {(2, "AML102"), (4, "AML101")}
    fix_tree(str(path))
    fixed = path.read_bytes().decode(encoding)
    assert fixed.startswith(f"# -*- coding: {encoding} -*-\n") and f"name = '{word}'" in fixed
    assert "PyTorch(" not in fixed
    ast.parse(fixed)


NB3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "legacy"}, "worksheets": [{"metadata": {},
                                                                                          "cells": [
    {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Training"]},
    {"cell_type": "code", "collapsed": False, "input": [f"{IMPORT}\n", ESTIMATOR], "language": "python",
     "metadata": {}, "outputs": []}]}]}


def test_an_nbformat_3_notebook_is_checked_and_fix_keeps_it_nbformat_3(tmp_path: Path) -> None:
    path = tmp_path / "legacy.ipynb"
    path.write_text(json.dumps(NB3, indent=1), encoding="utf-8")
    report = cli_check(path)
    assert report["errors"] == []
    found = {(f["cell"], f["line"], f["code"]) for f in report["findings"]}
    assert found == {(1, 1, "AML102"), (1, 2, "AML101")}
    fix_tree(str(path))
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["nbformat"] == 3 and after["worksheets"][0]["cells"][0] == NB3["worksheets"][0]["cells"][0]


def test_raw_and_markdown_only_notebooks_have_nothing_to_report_or_fix(tmp_path: Path) -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": f"Use `{ESTIMATOR}` with azureml"},
             {"cell_type": "raw", "metadata": {}, "source": [f"{IMPORT}\n", ESTIMATOR]}]
    path = tmp_path / "prose.ipynb"
    data = json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}, indent=1).encode()
    path.write_bytes(data)
    report = cli_check(path)
    assert report["findings"] == [] and report["errors"] == []
    fix_tree(str(path))
    assert path.read_bytes() == data


def _rich_notebook() -> dict:
    """Attachments, a 5 MB output, and estimator cells with list and string sources."""
    book = notebook([f"{IMPORT}\n", ESTIMATOR], "print('big')",
                    f"{IMPORT}\nest2 = PyTorch('s', entry_script='t.py')")
    book["cells"].insert(0, {"cell_type": "markdown", "metadata": {},
                             "source": "![plot](attachment:plot.png)",
                             "attachments": {"plot.png": {"image/png": "iVBORw0KGgo" * 1000}}})
    book["cells"][2]["outputs"] = [{"output_type": "display_data", "metadata": {},
                                    "data": {"image/png": "A" * 5_000_000, "text/plain": ["<Figure>"]}}]
    book["cells"][2]["execution_count"] = 7
    return book


def test_attachments_huge_outputs_and_source_kinds_survive_check_and_fix(tmp_path: Path) -> None:
    book = _rich_notebook()
    path = tmp_path / "rich.ipynb"
    path.write_text(json.dumps(book, indent=1), encoding="utf-8")
    report = cli_check(path)
    assert {(f["cell"], f["code"]) for f in report["findings"]} >= {(1, "AML101"), (3, "AML101")}
    fix_tree(str(path))
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["cells"][0] == book["cells"][0] and after["cells"][2] == book["cells"][2]
    assert isinstance(after["cells"][1]["source"], list) and isinstance(after["cells"][3]["source"], str)
    assert not any("PyTorch(" in "".join(after["cells"][i]["source"]) for i in (1, 3))
