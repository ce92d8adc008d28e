"""``fix --target v2`` runs two stages: stage 1 (estimators -> ScriptRunConfig, the fixer as it is)
and stage 2 (SDK v1 jobs -> azure-ai-ml, ``v2/``) on stage 1's output. What both stages did is
reported against the input: a line of stage 1's output maps back to the input's line it came from.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from ..rules import OPT_IN_CODES
from .plan import DEFAULT_TARGET, TARGETS
from .result import AppliedFix, FixResult


def check_target(target: str) -> None:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")


def stage_one_codes(code: str) -> bool:
    """The findings stage 1 plans: every rule but the opt-in SDK v2 family."""
    return code not in OPT_IN_CODES


class LineMap:
    """Lines of ``new`` (an edited copy of ``old``) -> the lines of ``old`` they stand for: a line
    kept as it was is itself; a line the edit wrote is the line of the region it replaced that binds
    the same name (``est = ScriptRunConfig(`` the ``est = PyTorch(`` it replaces, however many
    arguments were added), else the one it resembles most, else that region's first line (for an
    insertion, the line it went before). Two written bindings never share a line they resemble
    equally (``src_3 = ...`` and ``src_4 = ...`` standing for two ``return SKLearn(`` and
    ``return Estimator(`` lines)."""

    _SIMILAR = 0.5  # how alike two lines must be to be the same line, edited

    def __init__(self, old: str, new: str) -> None:
        old_lines, new_lines = old.splitlines(), new.splitlines()
        self._map: dict[int, int] = {}  # 0-based new line -> 0-based old line
        # a blank line alone is no anchor: it would cut an edited statement off the lines it replaced
        matcher = difflib.SequenceMatcher(lambda line: not line.strip(), old_lines, new_lines, autojunk=False)
        old_names = [_bound_name(line) for line in old_lines]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            bound: set[int] = set()  # old lines of this region a written binding already stands for
            for j in range(j1, j2):
                if tag == "equal":
                    self._map[j] = i1 + j - j1
                    continue
                name = _bound_name(new_lines[j])
                alike = _most_alike(new_lines[j], name, old_lines, old_names, range(i1, i2), bound)
                self._map[j] = i1 if alike is None else alike
                if alike is not None and name is not None:
                    bound.add(alike)

    def __call__(self, line: int) -> int:
        return self._map.get(line - 1, line - 1) + 1


def _bound_name(line: str) -> str | None:
    binding = _BINDING.match(line)
    return binding[1] if binding else None


def _most_alike(text: str, name: str | None, old_lines: list[str], old_names: list[str | None], region: range,
                bound: set[int]) -> int | None:
    """The line of ``region`` that ``text`` (binding ``name``, or None) stands for, or None."""
    if name is not None:
        same_name = [index for index in region if old_names[index] == name]
        if len(same_name) == 1:
            return same_name[0]
    best, score = None, LineMap._SIMILAR
    for index in region:
        if name is not None and index in bound:
            continue
        ratio = difflib.SequenceMatcher(None, old_lines[index].strip(), text.strip()).ratio()
        if ratio > score:
            best, score = index, ratio
    return best


def mapped(result: FixResult, lines: LineMap, cell_lines: dict[int, LineMap] | None = None) -> FixResult:
    """``result``'s items with their lines, and the lines their texts quote, moved back to the input's."""
    def move(cell: int | None, line: int) -> int:
        if cell is not None and cell_lines is not None:
            return cell_lines[cell](line) if cell in cell_lines else line
        return lines(line)

    def quoted(text: str) -> str:
        if cell_lines is not None:
            return _CELL_LINE.sub(lambda m: f"cell {m[1]}, line {move(int(m[1]), int(m[2]))}", text)
        return _LINE.sub(lambda m: "line" + m[1] + ", ".join(str(lines(int(n))) for n in m[2].split(", ")), text)

    applied = [replace(fix, line=move(fix.cell, fix.line), summary=quoted(fix.summary),
                       changes=tuple(quoted(change) for change in fix.changes)) for fix in result.applied]
    manual = [replace(item, line=move(item.cell, item.line), reason=quoted(item.reason)) for item in result.manual]
    return FixResult(result.source, applied, manual, result.original, result.errors)


_BINDING = re.compile(r"\s*([A-Za-z_][\w.]*)\s*=[^=]")  # ``name = ...``, ``self.est = ...``
_LINE = re.compile(r"\bline(s? )(\d+(?:, \d+)*)")
_CELL_LINE = re.compile(r"\bcell (\d+), line (\d+)")


def combined(first: FixResult, second: FixResult, lines: LineMap, original: list[Located],
             cell_lines: dict[int, LineMap] | None = None) -> FixResult:
    """Stage 1's rewrites, then stage 2's outcomes of everything stage 1's output still holds (the
    findings stage 1 left manual among them), on the input's lines. An SDK v2 finding of the input
    that stage 1's rewrite took away (a RunConfiguration it folded) is rewritten with it."""
    back = mapped(second, lines, cell_lines)
    applied = [*first.applied, *back.applied]
    known = {(item.code, item.cell, item.line) for item in [*applied, *back.manual]}
    for code, cell, line in original:
        if (code, cell, line) in known or code not in OPT_IN_CODES:
            continue
        source = next((fix for fix in first.applied if (fix.cell, fix.line) == (cell, line)), None)
        if source is not None:
            applied.append(AppliedFix(code, line, "safe", f"rewritten with the {source.code} fix at line {line}",
                                      cell=cell))
    return FixResult(second.source, applied, back.manual, first.original, [*first.errors, *second.errors])


Located = tuple[str, "int | None", int]  # (code, cell, line) of a finding


__all__ = ["DEFAULT_TARGET", "LineMap", "check_target", "combined", "stage_one_codes"]
