"""The realistic fixture corpus: every front end reports exactly the inline ``# expect:`` findings.

Each fixture line that expects a finding carries ``# expect: AMLxxx``; every other line must stay
silent. The CLI, the real flake8 command and the real pylint command must agree to the column.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from frontends import FIXTURES, check_json, flake8_findings, pylint_findings
from fixture_expectations import expected_errors, expected_findings

CHECK = FIXTURES / "check"
PY_FILES = sorted(CHECK.glob("*.py"))
NOTEBOOKS = sorted(CHECK.glob("*.ipynb"))
_CELL = re.compile(r"\bcell (\d+)\b")


@pytest.fixture(scope="module")
def cli_report() -> dict:
    return check_json(CHECK)


@pytest.fixture(scope="module")
def flake8_report() -> set:
    return flake8_findings(*PY_FILES)


@pytest.fixture(scope="module")
def pylint_report() -> set:
    return pylint_findings(*PY_FILES)


def _cli_for(report: dict, path: Path) -> list[dict]:
    return [f for f in report["findings"] if os.path.samefile(f["path"], path)]


@pytest.mark.parametrize("path", PY_FILES + NOTEBOOKS, ids=lambda p: p.name)
def test_cli_reports_exactly_the_expected_findings(cli_report: dict, path: Path) -> None:
    found = {(f["cell"], f["line"], f["code"]) for f in _cli_for(cli_report, path)}
    assert found == expected_findings(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_errors_name_the_expected_cells(cli_report: dict, path: Path) -> None:
    errors = [e for e in cli_report["errors"] if os.path.samefile(e["path"], path)]
    cells = sorted(int(_CELL.search(e["message"]).group(1)) for e in errors)
    assert cells == sorted(expected_errors(path))


@pytest.mark.parametrize("path", PY_FILES, ids=lambda p: p.name)
def test_flake8_and_pylint_agree_with_the_cli_to_the_column(cli_report: dict, flake8_report: set,
                                                            pylint_report: set, path: Path) -> None:
    key = os.path.abspath(path)
    cli = {(key, f["line"], f["column"], f["code"]) for f in _cli_for(cli_report, path)}
    assert {item for item in flake8_report if item[0] == key} == cli
    assert {item for item in pylint_report if item[0] == key} == cli


def test_the_corpus_covers_every_python_rule(cli_report: dict, v2_report: dict) -> None:
    from lint_plugin.rules import RULES

    reported = {f["code"] for f in cli_report["findings"]}
    assert reported >= {rule.code for rule in RULES if rule.scope == "python" and not rule.opt_in}
    assert {f["code"] for f in v2_report["findings"]} >= {rule.code for rule in RULES if rule.opt_in}


V2_FILES = sorted(CHECK.glob("v2_*"))
V2_PY = [path for path in V2_FILES if path.suffix == ".py"]


@pytest.fixture(scope="module")
def v2_report() -> dict:
    return check_json(*V2_FILES, extra=("--extend-select", "AML6"))


@pytest.mark.parametrize("path", V2_FILES, ids=lambda p: p.name)
def test_the_opt_in_rules_report_exactly_what_the_v2_files_expect(v2_report: dict, path: Path) -> None:
    found = {(f["cell"], f["line"], f["code"]) for f in _cli_for(v2_report, path)}
    assert found == expected_findings(path, opt_in=True)


@pytest.mark.parametrize("path", V2_PY, ids=lambda p: p.name)
def test_flake8_and_pylint_report_the_opt_in_rules_as_the_cli_does(v2_report: dict, path: Path) -> None:
    from frontends import PYTHON_RULE_SYMBOLS
    from lint_plugin.rules import RULES

    key = os.path.abspath(path)
    cli = {(key, f["line"], f["column"], f["code"]) for f in _cli_for(v2_report, path)}
    assert flake8_findings(path, extra=("--extend-select", "AML6")) == cli
    symbols = ",".join(rule.symbol for rule in RULES if rule.opt_in)
    assert pylint_findings(path, extra=(f"--enable={PYTHON_RULE_SYMBOLS},{symbols}",)) == cli


REQUIREMENT_FILES = sorted(p for p in (FIXTURES / "requirements").rglob("*") if p.is_file())
EXAMPLE = FIXTURES.parent.parent / "examples" / "legacy_project"
EXAMPLE_FILES = sorted(p for p in EXAMPLE.iterdir() if p.suffix in (".py", ".ipynb", ".txt"))


@pytest.fixture(scope="module")
def requirements_and_example_report() -> dict:
    return check_json(FIXTURES / "requirements", EXAMPLE)


@pytest.mark.parametrize("path", REQUIREMENT_FILES + EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_requirements_and_example_report_exactly_the_expected_findings(requirements_and_example_report: dict,
                                                                       path: Path) -> None:
    found = {(f["cell"], f["line"], f["code"]) for f in _cli_for(requirements_and_example_report, path)}
    assert found == expected_findings(path)


def test_the_example_project_triggers_every_rule(requirements_and_example_report: dict) -> None:
    from lint_plugin.rules import RULES

    in_example = {f["code"] for f in requirements_and_example_report["findings"] if "legacy_project" in f["path"]}
    assert in_example == {rule.code for rule in RULES if not rule.opt_in}
