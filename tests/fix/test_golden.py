"""Golden tests of the fixer on ``.py`` files, with the properties every fixed output must have."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from lint_plugin.engine import analyze_source
from lint_plugin.fix import fix_source

from .golden_cases import STYLES, compare_or_regen, inputs

CASES = inputs(".py")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case: Path, style: str) -> None:
    source = case.read_text(encoding="utf-8")
    result = fix_source(source, env_style=style)
    assert result.source == compare_or_regen(case, style, result.source)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixed_output_parses_rechecks_clean_and_is_stable(case: Path, style: str) -> None:
    source = case.read_text(encoding="utf-8")
    result = fix_source(source, env_style=style)
    ast.parse(result.source)
    before = analyze_source(source).findings
    assert len(result.applied) + len(result.manual) == len(before), "every finding gets an outcome"
    after = Counter(f.code for f in analyze_source(result.source).findings)
    # what is left is exactly what was left manual: nothing claimed fixed comes back, nothing new appears
    assert after == Counter(m.code for m in result.manual)
    assert fix_source(result.source, env_style=style).source == result.source


def test_every_rule_with_a_rewrite_and_every_estimator_class_has_a_golden_case() -> None:
    applied = Counter()
    classes = set()
    for case in CASES:
        source = case.read_text(encoding="utf-8")
        applied.update(f.code for f in fix_source(source).applied)
        classes.update(c for c in ("Estimator(", "PyTorch(", "TensorFlow(", "Chainer(", "SKLearn(") if c in source)
    assert {"AML101", "AML102", "AML103", "AML104", "AML105", "AML301", "AML302"} <= set(applied)
    assert len(classes) == 5
