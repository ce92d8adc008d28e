"""The checker and the fixer agree: a finding marked safe/unsafe is one ``fix`` rewrites, a manual one is
one it leaves alone (``engine.attach_fixes`` runs the fixer's own planner)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from lint_plugin.analysis import DEFAULT_PYTHON_CODES, PYTHON_CODES, inspect_tree
from lint_plugin.engine import analyze_source, attach_fixes
from lint_plugin.fix import fix_source
from lint_plugin.rules import RULES

from .golden_cases import inputs

CASES = inputs(".py")
HINT_ONLY = {rule.code for rule in RULES if not rule.fixes}  # AML401, AML501: a hint, never a fix


def _fixer_view(source: str, target: str = "scriptrunconfig") -> dict[tuple[str, int], str]:
    result = fix_source(source, target=target)
    view = {(f.code, f.line): f.applicability for f in result.applied}
    view.update({(m.code, m.line): "manual" for m in result.manual})
    return view


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_attach_fixes_gives_each_finding_what_fix_does_with_it(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    findings = attach_fixes(inspect_tree(ast.parse(source)), source, enabled=DEFAULT_PYTHON_CODES)
    fixer = {key: value for key, value in _fixer_view(source).items() if key[0] not in HINT_ONLY}
    assert {(f.code, f.line): f.fix.applicability for f in findings if f.fix and f.code in DEFAULT_PYTHON_CODES} \
        == fixer


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_with_the_v2_target_each_finding_gets_what_fix_target_v2_does(case: Path) -> None:
    """Every finding of the input, the SDK v2 ones included, carries the outcome ``fix --target v2``
    reports for it (on the input's lines: stage 2's are mapped back through stage 1's edits)."""
    source = case.read_text(encoding="utf-8")
    findings = attach_fixes(inspect_tree(ast.parse(source)), source, target="v2", enabled=PYTHON_CODES)
    fixer = _fixer_view(source, "v2")
    assert {(f.code, f.line): f.fix.applicability for f in findings if f.fix} == \
        {key: value for key, value in fixer.items() if key in {(f.code, f.line) for f in findings}}


def test_attach_fixes_works_from_the_tree_alone() -> None:
    """flake8 hands the checker a tree: outcomes must not depend on having the source text."""
    source = (Path(__file__).parent / "golden" / "est_pytorch_mpi.py").read_text(encoding="utf-8")
    with_text = attach_fixes(inspect_tree(ast.parse(source)), source, enabled=DEFAULT_PYTHON_CODES)
    without = attach_fixes(inspect_tree(ast.parse(source)), enabled=DEFAULT_PYTHON_CODES)
    assert [f.fix for f in without] == [f.fix for f in with_text]


def test_checking_with_fixes_does_not_import_libcst() -> None:
    import subprocess

    source = (Path(__file__).parent / "golden" / "est_pytorch_mpi.py").read_text(encoding="utf-8")
    code = ("import sys; from lint_plugin.engine import analyze_source; "
            f"assert any(f.fix for f in analyze_source({source!r}).findings); print('libcst' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("case", ["est_kwargs_manual", "runconfig_and_hints", "est_pytorch_environment_definition"])
def test_the_checker_reports_the_fixers_applicability(case: str) -> None:
    source = (Path(__file__).parent / "golden" / f"{case}.py").read_text(encoding="utf-8")
    reported = {(f.code, f.line): f.fix.applicability for f in analyze_source(source).findings if f.fix}
    assert reported == {key: value for key, value in _fixer_view(source).items() if key[0] not in HINT_ONLY}
