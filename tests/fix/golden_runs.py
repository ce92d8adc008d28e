"""Golden files run offline under the real SDK (``sdk_offline``): ``.py`` files as modules, notebooks
cell after cell (IPython syntax masked as the checker masks it), in the golden folder."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from sdk_offline import Execution, execute

from lint_plugin.fix import fix_notebook, fix_source
from lint_plugin.notebooks import read_notebook, virtual_module

from .equivalence import Original
from .golden_cases import GOLDEN


def program(path: Path, text: str | None = None) -> str:
    """The Python a golden file runs (``text`` instead of the file's own, for a mutated copy)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    if path.suffix != ".ipynb":
        return text
    module = virtual_module(read_notebook(text))
    assert not module.errors, f"{path.name}: a cell is not Python (it would run blank): {module.errors}"
    return module.source


def run(path: Path, text: str | None = None, *, full_build: bool = False) -> Execution:
    """``path`` run offline (``text`` instead of its own, for a mutated copy). A file's own run is made
    once per process: the golden files do not change while the tests run."""
    if text is None:
        return _run_file(path, full_build)
    return execute(program(path, text), str(path), cwd=GOLDEN, full_build=full_build)


@lru_cache(maxsize=None)
def _run_file(path: Path, full_build: bool) -> Execution:
    return execute(program(path), str(path), cwd=GOLDEN, full_build=full_build)


@lru_cache(maxsize=None)
def original(case: Path, style: str) -> Original:
    """The input run as written and on the full-build path, with what its fix declares it changes."""
    text = case.read_text(encoding="utf-8")
    fix = fix_notebook if case.suffix == ".ipynb" else fix_source
    fixed = fix(text, env_style=style)
    declared = [change for fix in fixed.applied for change in fix.changes]
    return Original(run(case), run(case, full_build=True), declared)


def azureml_imports(path: Path) -> set[str]:
    """The azureml modules a golden file imports."""
    modules = set()
    for node in ast.walk(ast.parse(program(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return {m for m in modules if m.split(".")[0] == "azureml"}
