"""Which lines each planned edit lives on: the smallest run of whole statements around it.

libcst is slow on whole modules (parse, positions, a transformer over every node), while an edit
touches one statement. So the applier hands libcst only the lines of the statements that change
and splices the result back; everything else is never re-generated, so it stays byte-for-byte.
A region is whole lines that hold whole statements and nothing else: statements joined by ``;``
go together, and a statement sharing its line with a block header (``if x: y = 1``) goes with
that whole compound statement. Pure ``ast``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .astctx import blocks
from .plan import Position

_Body = list[ast.stmt]


@dataclass(frozen=True)
class Region:
    first: int  # first line, 1-based
    last: int  # last line, inclusive


def regions(tree: ast.Module, lines: list[str], positions: Iterable[Position],
            removed: set[Position]) -> list[Region]:
    """Disjoint regions, in order, covering every position. ``removed`` are the starts of statements
    that go: a block that would lose all of them is rewritten with its owner, which then gets ``pass``."""
    found = sorted({_region_at(tree, lines, at, removed) for at in positions}, key=lambda r: (r.first, -r.last))
    merged: list[Region] = []
    for region in found:
        if merged and region.first <= merged[-1].last:
            merged[-1] = Region(merged[-1].first, max(merged[-1].last, region.last))
        else:
            merged.append(region)
    return merged


def first_line(statement: ast.stmt) -> int:
    """Where a statement starts on the page: its first decorator, if it has any."""
    decorators = getattr(statement, "decorator_list", None)
    return decorators[0].lineno if decorators else statement.lineno


def alone_on_its_lines(body: _Body, index: int) -> bool:
    """No other statement of ``body`` shares a line with ``body[index]`` (``a = 1; b = 2``)."""
    statement = body[index]
    before = index > 0 and body[index - 1].end_lineno == first_line(statement)
    after = index + 1 < len(body) and first_line(body[index + 1]) == statement.end_lineno
    return not (before or after)


def _region_at(tree: ast.Module, lines: list[str], at: Position, removed: set[Position]) -> Region:
    path = list(_path_to(tree.body, at))
    for depth in range(len(path) - 1, -1, -1):
        body, index = path[depth]
        emptied = depth > 0 and all((s.lineno, s.col_offset) in removed for s in body)
        start, end = _line_group(body, index)
        if not emptied and _starts_its_line(lines, body[start]):
            return Region(first_line(body[start]), body[end].end_lineno or body[end].lineno)
    raise ValueError(f"planned edits found no node at {at}: no statement is there")


def _path_to(body: _Body, at: Position) -> Iterator[tuple[_Body, int]]:
    """(body, index) of each statement holding ``at``, outermost first."""
    while body:
        index = next((i for i, statement in enumerate(body) if _holds(statement, at)), None)
        if index is None:
            return
        yield body, index
        body = next((inner for inner in blocks(body[index]) if any(_holds(s, at) for s in inner)), [])


def _holds(statement: ast.stmt, at: Position) -> bool:
    start = (first_line(statement), 0) if getattr(statement, "decorator_list", None) \
        else (statement.lineno, statement.col_offset)
    return start <= at < (statement.end_lineno or 0, statement.end_col_offset or 0)


def _line_group(body: _Body, index: int) -> tuple[int, int]:
    """The first and last index of the statements that share lines with ``body[index]``."""
    start = end = index
    while start > 0 and body[start - 1].end_lineno == first_line(body[start]):
        start -= 1
    while end + 1 < len(body) and first_line(body[end + 1]) == body[end].end_lineno:
        end += 1
    return start, end


def _starts_its_line(lines: list[str], statement: ast.stmt) -> bool:
    """Nothing but indentation before the statement (or its ``@``) on its first line."""
    decorators = getattr(statement, "decorator_list", None)
    anchor = decorators[0] if decorators else statement
    prefix = lines[anchor.lineno - 1].encode("utf-8")[: anchor.col_offset].decode("utf-8", errors="replace")
    return prefix.strip() == ("@" if decorators else "")
