"""Tests of the inline-expectation parser and sanity checks of the fixture corpus itself."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from lint_plugin.rules import BY_CODE
try:
    from tests.fixture_expectations import expected_codes, expected_errors, expected_findings, fixture_files
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    from fixture_expectations import expected_codes, expected_errors, expected_findings, fixture_files

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "tests" / "fixtures" / "check"
REQUIREMENTS = ROOT / "tests" / "fixtures" / "requirements"
EXAMPLE = ROOT / "examples" / "legacy_project"


def _notebook(path: Path, cells: list, metadata: dict | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    if metadata:
        nb.metadata.update(metadata)
    nbformat.write(nb, str(path))
    return path


def test_python_file_single_and_multiple_codes(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(
        "from azureml.train.dnn import PyTorch  # expect: AML102\n"
        "x = 1\n"
        "est = PyTorch('.', distributed_training=Mpi())  # expect: AML101, AML103\n"
        "y = 2  # expect:AML301,AML302\n"
    )
    assert expected_findings(path) == {
        (None, 1, "AML102"),
        (None, 3, "AML101"),
        (None, 3, "AML103"),
        (None, 4, "AML301"),
        (None, 4, "AML302"),
    }
    assert expected_codes(path) == {"AML101", "AML102", "AML103", "AML301", "AML302"}


def test_no_expectations_and_other_comments(tmp_path):
    path = tmp_path / "b.py"
    path.write_text("# expectations: none\nx = 1  # noqa: E501\n# expect: nothing here\n")
    assert expected_findings(path) == set()
    assert expected_errors(path) == set()


def test_requirement_files_use_the_same_comment(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("numpy\nazureml-sdk==1.0.83  # expect: AML501\n")
    assert expected_findings(req) == {(None, 2, "AML501")}
    env = tmp_path / "environment.yml"
    env.write_text("dependencies:\n  - pip:\n    - azureml-sdk=1.0.10  # expect: AML501\n")
    assert expected_findings(env) == {(None, 3, "AML501")}


def test_notebook_cells_count_markdown_and_lines_are_per_cell(tmp_path):
    path = _notebook(
        tmp_path / "n.ipynb",
        [
            nbformat.v4.new_markdown_cell("# expect: AML101\nmarkdown never counts"),
            nbformat.v4.new_code_cell("%pip install azureml-sdk\nfrom azureml.train.dnn import PyTorch  # expect: AML102"),
            nbformat.v4.new_raw_cell("# expect: AML999"),
            nbformat.v4.new_code_cell("x = 1\n\nest = PyTorch(  # expect: AML101\n    '.')"),
        ],
    )
    assert expected_findings(path) == {(1, 2, "AML102"), (3, 3, "AML101")}
    assert expected_errors(path) == set()


def test_notebook_source_as_list_of_lines(tmp_path):
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"aml_migrate_test": {"errors": [{"cell": 1}, {}]}},
        "cells": [
            {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["import os\n", "est = Estimator('.')  # expect: AML101\n"]},
            {"cell_type": "code", "id": "b", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["def broken(:\n"]},
        ],
    }
    path = tmp_path / "list.ipynb"
    path.write_text(json.dumps(nb))
    assert expected_findings(path) == {(0, 2, "AML101")}
    assert expected_errors(path) == {1, None}


def test_fixture_files_lists_sorted(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.py", "a.ipynb", "sub/c.py", "d.txt"):
        (tmp_path / name).write_text("{}")
    assert [p.relative_to(tmp_path).as_posix() for p in fixture_files(tmp_path)] == [
        "a.ipynb", "b.py", "sub/c.py"]


# --- the corpus itself -------------------------------------------------------------------------

CORPUS = fixture_files(CHECK) + fixture_files(EXAMPLE, (".py", ".ipynb"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_corpus_codes_are_registered_rules(path):
    for _, _, code in expected_findings(path):
        assert code in BY_CODE, f"{path}: unknown code {code}"
        assert BY_CODE[code].scope == "python", f"{path}: {code} cannot appear in Python code"


@pytest.mark.parametrize("path", [p for p in CORPUS if p.suffix == ".ipynb"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_corpus_notebooks_are_valid_nbformat_v4(path):
    nb = nbformat.read(str(path), as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)
    for cell in expected_errors(path):
        assert cell is not None and nb.cells[cell].cell_type == "code"


@pytest.mark.parametrize("path", [p for p in CORPUS if p.suffix == ".py"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_corpus_python_files_parse(path):
    compile(path.read_text(encoding="utf-8-sig"), str(path), "exec")


def test_corpus_covers_every_python_rule_in_py_and_notebooks():
    python_rules = {code for code, rule in BY_CODE.items() if rule.scope == "python"}
    in_py = set().union(*(expected_codes(p, opt_in=True) for p in fixture_files(CHECK, (".py",))))
    in_nb = set().union(*(expected_codes(p, opt_in=True) for p in fixture_files(CHECK, (".ipynb",))))
    assert python_rules <= in_py
    assert python_rules <= in_nb


def test_corpus_has_clean_files():
    clean = [p for p in fixture_files(CHECK) if not expected_findings(p)]
    assert len(clean) >= 5


def test_requirement_fixtures_expect_aml501_only():
    files = [p for p in REQUIREMENTS.rglob("*") if p.is_file()]
    assert files
    found = set()
    for path in files:
        found |= expected_codes(path)
    assert found == {"AML501"}


def test_example_project_triggers_every_rule_on_by_default():
    codes = set()
    for path in EXAMPLE.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".ipynb", ".txt"):
            codes |= expected_codes(path)
    assert codes == {code for code, rule in BY_CODE.items() if not rule.opt_in}


def test_only_the_v2_files_expect_opt_in_findings():
    for path in fixture_files(CHECK):
        if not path.name.startswith("v2_"):
            assert expected_codes(path, opt_in=True) == expected_codes(path), path.name


def test_no_azureml_fixture_never_mentions_azureml():
    for path in fixture_files(CHECK):
        if path.stem.startswith("no_azureml"):
            assert "azureml" not in path.read_text(encoding="utf-8").lower()
            assert not expected_findings(path)
