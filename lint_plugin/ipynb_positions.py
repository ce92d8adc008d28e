"""Where a notebook cell's text lies in the raw ``.ipynb`` file, for outputs that point into files
(SARIF regions, GitHub annotations).

nbformat stores a cell's source as a list of JSON strings, usually one per line and each on its own
line of the file (``indent=1`` as Jupyter writes it, or any other indent), but a notebook can also be
one line of JSON, or hold a cell's source as one string. The position is exact in every case: the
string literals that hold the cell are located with ``json_source_map`` and walked escape by escape,
so a character of the cell maps to the line and column (in code points) of the file where it is
written. Only a notebook that is not nbformat 4 on disk (nbformat 3 keeps cells in worksheets) has no
mapping (nor one whose JSON nests too deeply for the source map's recursive walk); callers then fall
back to the start of the file.
"""

from __future__ import annotations

import functools
import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawPosition:
    line: int  # 1-based line of the .ipynb file
    column: int  # 1-based, in code points


@dataclass(frozen=True)
class _Literal:
    start: int  # offset of the opening quote in the raw text
    value: str


class RawNotebook:
    """A notebook's raw JSON text and the parsed document it holds."""

    def __init__(self, raw: str, document: Any) -> None:
        self.raw = raw
        self.document = document

    def position(self, cell: int, offset: int) -> RawPosition | None:
        """The raw position of the character at ``offset`` of cell ``cell``'s text (``offset`` may be the
        text's length: the position just after its last character); None without a mapping."""
        literals = self._literals(cell)
        if literals is None:
            return None
        consumed = 0
        for index, literal in enumerate(literals):
            last = index == len(literals) - 1
            if offset < consumed + len(literal.value) or (last and offset <= consumed + len(literal.value)):
                return self._line_and_column(_raw_offset(self.raw, literal.start, offset - consumed))
            consumed += len(literal.value)
        return None

    def _literals(self, cell: int) -> list[_Literal] | None:
        cells = self.document.get("cells") if self.document.get("nbformat") == 4 else None
        if not isinstance(cells, list) or not 0 <= cell < len(cells):
            return None
        source = cells[cell].get("source", "")
        pointer = f"/cells/{cell}/source"
        pieces = [(pointer, source)] if isinstance(source, str) else [
            (f"{pointer}/{index}", text) for index, text in enumerate(source)]
        literals = []
        for key, value in pieces:
            entry = self._source_map.get(key)
            if entry is None or not _holds(self.raw[entry.value_start.position:entry.value_end.position], value):
                return None  # e.g. a duplicated key, where the map and the parsed document disagree
            literals.append(_Literal(entry.value_start.position, value))
        return literals

    @functools.cached_property
    def _source_map(self) -> dict[str, Any]:
        import json_source_map  # imported only when a notebook finding needs a file position

        try:
            return json_source_map.calculate(self.raw)
        except (json_source_map.errors.BaseError, RecursionError, ValueError):
            return {}  # e.g. outputs nested deeper than its recursive walk goes: no mapping, no traceback

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [match.end() for match in re.finditer("\n", self.raw)]

    def _line_and_column(self, offset: int) -> RawPosition:
        line = bisect_right(self._line_starts, offset)
        return RawPosition(line, offset - self._line_starts[line - 1] + 1)


def _holds(literal: str, value: str) -> bool:
    return literal.startswith('"') and json.loads(literal) == value


def _raw_offset(raw: str, start: int, count: int) -> int:
    """The raw offset of the ``count``-th decoded character of the JSON string literal whose opening
    quote is at ``raw[start]``: every escape counts as the one character it decodes to (a surrogate
    pair ``\\ud83d\\ude00`` as one, as Python's json decodes it)."""
    position = start + 1
    for _ in range(count):
        if raw[position] != "\\":
            position += 1
        elif raw[position + 1] != "u":
            position += 2
        else:
            position += 6
            if _is_high_surrogate(raw, position - 6) and _is_low_surrogate(raw, position):
                position += 6
    return position


def _is_high_surrogate(raw: str, at: int) -> bool:
    return 0xD800 <= _escaped_unit(raw, at) <= 0xDBFF


def _is_low_surrogate(raw: str, at: int) -> bool:
    return raw.startswith("\\u", at) and 0xDC00 <= _escaped_unit(raw, at) <= 0xDFFF


def _escaped_unit(raw: str, at: int) -> int:
    try:
        return int(raw[at + 2:at + 6], 16)
    except ValueError:
        return -1
