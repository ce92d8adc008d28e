"""The fixer over every checker fixture and the example project: real-project shapes it was not
written against. Each output parses, re-checks to exactly what was left manual, and is stable."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from lint_plugin.engine import analyze_source
from lint_plugin.fix import fix_notebook, fix_source
from lint_plugin.notebooks import read_notebook, virtual_module

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in (ROOT / "tests" / "fixtures", ROOT / "examples")
               for p in folder.rglob("*") if p.suffix in (".py", ".ipynb"))


def _findings(text: str, notebook: bool) -> Counter[str]:
    source = virtual_module(read_notebook(text)).source if notebook else text
    if not notebook:
        ast.parse(source)
    return Counter(f.code for f in analyze_source(source).findings)


@pytest.mark.parametrize("style", ["curated", "exact"])
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_fixture_fixes_recheck_to_their_manual_findings(path: Path, style: str) -> None:
    notebook = path.suffix == ".ipynb"
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    fixer = fix_notebook if notebook else fix_source
    result = fixer(text, env_style=style)
    if result.errors:
        assert not result.changed
        return
    assert _findings(result.source, notebook) == Counter(m.code for m in result.manual)
    assert fixer(result.source, env_style=style).source == result.source
