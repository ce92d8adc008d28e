"""Golden tests of ``fix --target v2``, and the properties every v2 output has.

Every golden input that stage 1 rewrites fully has ``<case>.v2.expected.py`` (exact style); a few also
``<case>.v2.curated.expected.py``. Every output parses, re-checks (every rule, AML6xx included) to
exactly what it left manual, is what a second fix leaves unchanged, imports no ``azureml`` when nothing
stayed manual, and builds offline under azure-ai-ml up to the submission (``v2_offline.py``).
"""

from __future__ import annotations

import ast
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from needs import require_module, require_sdk
from lint_plugin.analysis import PYTHON_CODES
from lint_plugin.engine import analyze_source
from lint_plugin.fix import FixResult, fix_notebook, fix_source

from .golden_cases import GOLDEN, compare_or_regen, expected_path, inputs
from .golden_runs import program

INPUTS = inputs(".py") + inputs(".ipynb")


@lru_cache(maxsize=None)
def fixed(case: Path, style: str = "exact") -> FixResult:
    fixer = fix_notebook if case.suffix == ".ipynb" else fix_source
    return fixer(case.read_text(encoding="utf-8"), env_style=style, target="v2")


def _stage_one_complete(case: Path) -> bool:
    fixer = fix_notebook if case.suffix == ".ipynb" else fix_source
    return not fixer(case.read_text(encoding="utf-8")).manual


FULL = [case for case in INPUTS if _stage_one_complete(case)]
CURATED = [case for case in INPUTS if expected_path(case, "curated", "v2").exists()]
OUTPUTS = [(case, "exact") for case in FULL] + [(case, "curated") for case in CURATED]


def _ids(items: list) -> list[str]:
    return [f"{case.name}-{style}" if isinstance(item, tuple) else item.name
            for item in items for case, style in [item if isinstance(item, tuple) else (item, "")]]


@pytest.mark.parametrize("case", FULL, ids=[c.name for c in FULL])
def test_golden_v2(case: Path) -> None:
    result = fixed(case)
    assert result.source == compare_or_regen(case, "exact", result.source, target="v2")


@pytest.mark.parametrize("case", CURATED, ids=[c.name for c in CURATED])
def test_golden_v2_curated(case: Path) -> None:
    result = fixed(case, "curated")
    assert result.source == compare_or_regen(case, "curated", result.source, target="v2")


def test_every_input_stage_one_rewrites_fully_has_a_v2_golden_and_some_have_curated_ones() -> None:
    assert len(FULL) >= 30
    assert all(expected_path(case, "exact", "v2").exists() for case in FULL)
    assert len(CURATED) >= 4


def _findings(case: Path, text: str) -> Counter[str]:
    source = program(case, text)
    return Counter(f.code for f in analyze_source(source, enabled=PYTHON_CODES).findings)


@pytest.mark.parametrize(("case", "style"), OUTPUTS, ids=_ids(OUTPUTS))
def test_v2_output_parses_rechecks_to_what_it_left_manual_and_is_stable(case: Path, style: str) -> None:
    result = fixed(case, style)
    ast.parse(program(case, result.source))
    before = analyze_source(program(case, case.read_text(encoding="utf-8")), enabled=PYTHON_CODES).findings
    assert len(result.applied) + len(result.manual) >= len(before), "every finding gets an outcome"
    assert _findings(case, result.source) == Counter(m.code for m in result.manual)
    fixer = fix_notebook if case.suffix == ".ipynb" else fix_source
    assert fixer(result.source, env_style=style, target="v2").source == result.source


_V2_METHODS = {"create_or_update", "sweep", "set_limits", "stream"}


@pytest.mark.parametrize(("case", "style"), OUTPUTS, ids=_ids(OUTPUTS))
def test_v2_jobs_read_nothing_azureml(case: Path, style: str) -> None:
    """No name imported from azureml is read by the code that builds or submits a v2 job; with nothing
    left manual, an azureml import may only remain for v1 code that is no job (``print(mpi.x)``)."""
    tree = ast.parse(program(case, fixed(case, style).source))
    imports = [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    v1_names = {alias.asname or alias.name.split(".")[0] for node in imports if _is_azureml(node)
                for alias in node.names}
    v2_names = {alias.asname or alias.name for node in imports if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith(("azure.ai.ml", "azure.identity")) for alias in node.names}
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        if isinstance(call.func, ast.Name) and call.func.id in v2_names or \
                isinstance(call.func, ast.Attribute) and call.func.attr in _V2_METHODS:
            read = {name.id for name in ast.walk(call) if isinstance(name, ast.Name)}
            assert not read & v1_names, f"line {call.lineno} reads {read & v1_names}"
    if not fixed(case, style).manual:
        assert all(not _is_azureml(node) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and any(alias.name in {"ScriptRunConfig", "Environment", "Experiment", "Workspace"}
                           for alias in node.names))


def _is_azureml(node: ast.Import | ast.ImportFrom) -> bool:
    modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    return any(module.split(".")[0] == "azureml" for module in modules)


@pytest.mark.parametrize(("case", "style"), OUTPUTS, ids=_ids(OUTPUTS))
def test_v2_output_builds_offline_up_to_the_submission(case: Path, style: str) -> None:
    require_sdk()
    require_module("azure.ai.ml", "azure-ai-ml (setup.cfg extra 'sdk')")
    from .v2_offline import run_v2

    result = fixed(case, style)
    namespace, submitted = run_v2(case, result.source, GOLDEN)
    converted = [fix for fix in result.applied if fix.code == "AML604"]
    assert len(submitted) >= len(converted), "every submission moved to v2 reaches MLClient.jobs"
