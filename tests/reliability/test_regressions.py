"""Bugs the reliability suite found in the checker, each pinned by its smallest reproducer.

Every case went through ``check_file`` (and so ``aml-migrate check``) as a traceback before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_plugin.checker import check_file
from lint_plugin.rules import RULES

ALL_CODES = frozenset(rule.code for rule in RULES)
ESTIMATOR = b"from azureml.train.dnn import PyTorch\nest = PyTorch(source_directory='.')\n"


def _notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None}
             for s in sources]
    return json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells})


def _only_error(path: Path) -> str:
    report = check_file(str(path), ALL_CODES)
    assert report.findings == [] and len(report.errors) == 1
    return report.errors[0].message


@pytest.mark.parametrize("codec", ["undefined", "punycode"])
def test_coding_cookie_of_a_codec_that_fails_without_a_position(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "cookie.py"
    path.write_bytes(f"# -*- coding: {codec} -*-\n".encode() + ESTIMATOR)
    assert _only_error(path).startswith("cannot decode: ")


def test_notebook_cell_nested_past_the_parser_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.ipynb"
    deep = "x = " + "+".join(["a"] * 5000) + "\n"
    path.write_text(_notebook(deep, ESTIMATOR.decode()), encoding="utf-8")
    report = check_file(str(path), ALL_CODES)
    assert [e.message for e in report.errors] == ["cannot parse cell 0: nested too deeply to parse"]
    assert {(f.cell, f.code) for f in report.findings} == {(1, "AML101"), (1, "AML102")}


@pytest.mark.parametrize("text, message", [
    ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    ('{"nbformat": ' + "9" * 5000 + "}", "not valid JSON: Exceeds the limit"),
])
def test_notebook_json_python_cannot_load(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "hostile.ipynb"
    path.write_text(text, encoding="utf-8")
    assert _only_error(path).startswith(message)


def test_notebook_cell_with_a_nul_names_no_line_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "nul.ipynb"
    path.write_text(_notebook("import azureml.core\nx = 1\x00\n"), encoding="utf-8")
    assert "line None" not in _only_error(path)


@pytest.mark.parametrize("source", [[1, 2], ["import azureml.core\n", None], {"text": "azureml"}, 7])
def test_notebook_cell_source_that_is_not_text(tmp_path: Path, source: object) -> None:
    path = tmp_path / "odd.ipynb"
    cells = [{"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}]
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}))
    assert _only_error(path) == "not a readable notebook: the source of cell 0 is not text"
