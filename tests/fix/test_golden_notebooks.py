"""Golden tests of the fixer on notebooks: per-cell rewrites, everything but code untouched."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from lint_plugin.engine import analyze_source
from lint_plugin.fix import fix_notebook
from lint_plugin.notebooks import read_notebook, virtual_module

from .golden_cases import STYLES, compare_or_regen, inputs

CASES = inputs(".ipynb")


def _findings(text: str) -> Counter[str]:
    module = virtual_module(read_notebook(text))
    return Counter(f.code for f in analyze_source(module.source).findings)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_notebook(case: Path, style: str) -> None:
    text = case.read_text(encoding="utf-8")
    result = fix_notebook(text, env_style=style)
    assert result.source == compare_or_regen(case, style, result.source)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_only_code_cell_sources_change_and_magics_survive(case: Path, style: str) -> None:
    text = case.read_text(encoding="utf-8")
    result = fix_notebook(text, env_style=style)
    before, after = json.loads(text), json.loads(result.source)
    assert before["metadata"] == after["metadata"]
    assert len(before["cells"]) == len(after["cells"])
    for old, new in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in old.items() if k != "source"} == {k: v for k, v in new.items() if k != "source"}
        if old["cell_type"] != "code":
            assert old["source"] == new["source"]
        magics = [line for line in "".join(old["source"]).splitlines() if line.lstrip().startswith(("%", "!"))]
        assert [line for line in "".join(new["source"]).splitlines() if line in magics] == magics


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixed_notebook_rechecks_to_its_manual_findings_and_is_stable(case: Path, style: str) -> None:
    text = case.read_text(encoding="utf-8")
    result = fix_notebook(text, env_style=style)
    read_notebook(result.source)
    assert _findings(result.source) == Counter(m.code for m in result.manual)
    assert fix_notebook(result.source, env_style=style).source == result.source


def test_a_fix_stays_in_the_cell_of_its_finding() -> None:
    text = (Path(__file__).parent / "golden" / "nb_inputs_from_earlier_cells.ipynb").read_text(encoding="utf-8")
    cells = json.loads(fix_notebook(text, env_style="curated").source)["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    assert "ScriptRunConfig(" in sources[3] and "est_env = Environment.get(ws" in sources[3]
    assert "from azureml.core import Environment, ScriptRunConfig" in sources[1]  # the cell holding the imports
    assert sources[1].startswith("%pip install azureml-sdk\n") and "!ls" in sources[1]
    assert sources[2] == "".join(json.loads(text)["cells"][2]["source"])
