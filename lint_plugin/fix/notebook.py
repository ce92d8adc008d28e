"""Fixing a notebook: planned over all code cells at once, applied cell by cell.

The checker sees the notebook as one module (a name bound in an earlier cell is known in a later
one), so the plan is made on that module. Every edit is anchored in exactly one cell and is applied
to that cell's own source, so no code moves across cells; needed imports go into the cell that
holds the notebook's azureml imports (else the first code cell). Outputs, metadata and markdown are
not touched, and magics come back exactly as they were. The new sources are spliced into the file's
own JSON text (``notebook_layout.py``), so a diff shows only the lines of the cells that changed.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..analysis import inspect_source
from ..findings import AnalysisError
from ..notebooks import NotebookError, mask_ipython, read_notebook, virtual_module
from ..rules import OPT_IN_CODES
from .api import outcomes_to_result
from .apply import add_imports, apply_plan
from .notebook_layout import replace_sources
from .plan import DEFAULT_ENV_STYLE, DEFAULT_TARGET, ENV_STYLES, Outcome, Plan, Position
from .planner import plan_module
from .result import AppliedFix, FixResult, ManualFix
from .stages import LineMap, check_target, combined, stage_one_codes

_MAGIC = "aml-migrate-magic-"
_RESTORE = re.compile(r"^([ \t]*)(?:pass  )?# " + _MAGIC + r"(\d+)$", re.MULTILINE)


@dataclass
class _Cell:
    index: int  # in the notebook's cells list
    start: int  # first line in the virtual module
    source: str  # masked: magics are placeholders
    magics: list[str]  # original text of each masked line

    @property
    def lines(self) -> int:
        return self.source.count("\n")


def fix_notebook(text: str, *, env_style: str = DEFAULT_ENV_STYLE, safe_only: bool = False,
                 only: tuple[str, int, int, int] | None = None, target: str = DEFAULT_TARGET) -> FixResult:
    """Fix a notebook given as its JSON text; the result's ``source`` is the new JSON text.

    ``only`` = (code, cell index, line in the cell, column) fixes that one finding (an editor's quick fix);
    with ``target="v2"`` the notebook's whole v2 migration is made (its cells hang together), in two
    stages as for a module (``stages.py``), each cell's lines mapped back to the input's."""
    if env_style not in ENV_STYLES:
        raise ValueError(f"env_style must be one of {', '.join(ENV_STYLES)}, not {env_style!r}")
    check_target(target)
    first = _fix_with(text, plan_module, env_style, safe_only, None if target != DEFAULT_TARGET else only,
                      stage_one_codes)
    if target == DEFAULT_TARGET or first.errors:
        return first
    from .v2.planner import plan_v2

    second = _fix_with(first.source, plan_v2, env_style, safe_only, None, lambda code: True)
    module = virtual_module(read_notebook(text))
    original = [(f.code, f.cell, f.line) for f in map(module.map_finding, inspect_source(module.source).findings)]
    return combined(first, second, LineMap("", ""), original, _cell_maps(text, first.source))


def _cell_maps(old: str, new: str) -> dict[int, LineMap]:
    """Per code cell: its new lines -> its old lines."""
    old_cells, new_cells = json.loads(old).get("cells", []), json.loads(new).get("cells", [])
    return {index: LineMap("".join(before.get("source", "")), "".join(after.get("source", "")))
            for index, (before, after) in enumerate(zip(old_cells, new_cells)) if before.get("cell_type") == "code"}


def _fix_with(text: str, planner: Callable[..., tuple[Plan, dict[tuple[str, Position], Outcome]]], env_style: str,
              safe_only: bool, only: tuple[str, int, int, int] | None, wanted: Callable[[str], bool]) -> FixResult:
    result = FixResult(source=text, original=text)
    try:
        read_notebook(text)  # validates the file the way every front end does
    except NotebookError as error:
        result.errors.append(AnalysisError(str(error)))
        return result
    raw = json.loads(text)
    cells = _cells(raw["cells"] if "cells" in raw else [])
    virtual = "".join(cell.source for cell in cells)
    # planned below; the AML6xx checks only run when this stage plans them (or the one finding asked for)
    opt_in = only[0] in OPT_IN_CODES if only is not None else any(map(wanted, OPT_IN_CODES))
    analysis = inspect_source(virtual, opt_in=opt_in)
    if analysis.errors or not analysis.findings:
        result.errors += analysis.errors
        return result
    findings = [f for f in analysis.findings if wanted(f.code)] if only is None else \
        [f for f in analysis.findings if (f.code, *_locate(f.line, cells), f.column) == only]
    if not findings:
        return result
    plan, outcomes = planner(virtual, findings, style=env_style, safe_only=safe_only,
                             cells=[cell.start for cell in cells])
    home = _import_cell(cells)
    new_sources: dict[int, str] = {}
    for cell in cells:
        new = _fix_cell(cell, _slice(plan, cell), plan if cell is home else None)
        if new != cell.source:
            new_sources[cell.index] = _as_stored(raw["cells"][cell.index], _restore(new, cell.magics))
    located = outcomes_to_result(outcomes)
    result.applied = [_locate_applied(fix, cells) for fix in located.applied]
    result.manual = [_locate_manual(item, cells) for item in located.manual]
    if new_sources:
        result.source = replace_sources(text, new_sources)
    return result


def _cells(raw_cells: list[Any]) -> list[_Cell]:
    cells: list[_Cell] = []
    line = 1
    for index, cell in enumerate(raw_cells):
        if cell.get("cell_type") != "code" or "source" not in cell:
            continue  # a cell without a source (not valid nbformat) has nothing to fix or to hold imports
        source = "".join(cell["source"])
        masked, magics = _mask(source)
        try:
            ast.parse(masked)
        except (SyntaxError, ValueError, RecursionError):
            continue  # the checker reports it; the fixer leaves the cell alone
        cells.append(_Cell(index, line, masked, magics))
        line += cells[-1].lines
    return cells


def _mask(source: str) -> tuple[str, list[str]]:
    """Magics become ``# aml-migrate-magic-N`` (``pass  # ...`` inside a block, which must not be
    left empty) so that they survive the rewrite verbatim; a comment at the top of a cell keeps the
    cell's imports the leading import block that new imports join."""
    masked_lines = mask_ipython(source).split("\n")
    original = source.split("\n")
    magics: list[str] = []
    for number, (before, after) in enumerate(zip(original, masked_lines)):
        if before != after:
            indent = before[: len(before) - len(before.lstrip())] if after.strip() == "pass" else ""
            statement = "pass  " if indent else ""
            masked_lines[number] = f"{indent}{statement}# {_MAGIC}{len(magics)}"
            magics.append(before)
    masked = "\n".join(masked_lines)
    return (masked if masked.endswith("\n") else masked + "\n"), magics


def _restore(source: str, magics: list[str]) -> str:
    return _RESTORE.sub(lambda match: magics[int(match.group(2))], source)


def _as_stored(cell: dict[str, Any], source: str) -> str:
    """The new source with a final newline only if the cell had one."""
    if not "".join(cell["source"]).endswith("\n") and source.endswith("\n"):
        return source[:-1]  # the masked copy got a final newline the cell never had
    return source


def _import_cell(cells: list[_Cell]) -> _Cell | None:
    """The cell that holds the azureml imports the rewrite relies on, else the first code cell."""
    for cell in cells:
        if re.search(r"^\s*(from|import)\s+azureml\b", cell.source, re.MULTILINE):
            return cell
    return cells[0] if cells else None


def _slice(plan: Plan, cell: _Cell) -> Plan:
    """The edits anchored in ``cell``, moved to the cell's own line numbers."""
    end = cell.start + cell.lines

    def inside(line: int) -> bool:
        return cell.start <= line < end

    def move(position: tuple[int, int]) -> tuple[int, int]:
        return (position[0] - cell.start + 1, position[1])

    part = Plan()
    part.calls = [replace(e, at=move(e.at)) for e in plan.calls if inside(e.at[0])]
    part.exprs = [replace(e, at=move(e.at), end=move(e.end)) for e in plan.exprs if inside(e.at[0])]
    part.statements = [replace(e, at=move(e.at)) for e in plan.statements if inside(e.at[0])]
    return part


def _fix_cell(cell: _Cell, part: Plan, home: Plan | None) -> str:
    edited = apply_plan(cell.source, part, add_imports=False) if _has_edits(part) else cell.source
    if home is not None and (home.imports.add or home.imports.helpers):
        edited = add_imports(edited, home.imports)
    return edited


def _has_edits(part: Plan) -> bool:
    return bool(part.calls or part.exprs or part.statements)


def _locate_applied(fix: AppliedFix, cells: list[_Cell]) -> AppliedFix:
    index, line = _locate(fix.line, cells)
    return replace(fix, line=line, cell=index, summary=_cell_lines(fix.summary, cells),
                   changes=tuple(_cell_lines(change, cells) for change in fix.changes))


def _locate_manual(item: ManualFix, cells: list[_Cell]) -> ManualFix:
    index, line = _locate(item.line, cells)
    return replace(item, line=line, cell=index, reason=_cell_lines(item.reason, cells))


def _cell_lines(text: str, cells: list[_Cell]) -> str:
    """"line 9" in a planner message means a line of the whole notebook: say "cell 3, line 2"."""
    def one(number: str) -> str:
        index, line = _locate(int(number), cells)
        return f"cell {index}, line {line}"

    return re.sub(r"\bline (\d+(?:, \d+)*)",
                  lambda match: "; ".join(one(n) for n in match.group(1).split(", ")), text)


def _locate(line: int, cells: list[_Cell]) -> tuple[int, int]:
    for cell in cells:
        if cell.start <= line < cell.start + cell.lines:
            return cell.index, line - cell.start + 1
    return cells[-1].index, line  # pragma: no cover - every finding lies in a cell
