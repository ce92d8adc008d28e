"""The text behind a finding, read back from the checked file once and only when an output asks:
the source line it flags (in its cell, for a notebook) and its region in the file as stored.

Outputs that point into files (SARIF, GitHub annotations) need the file's own lines and columns; the
baseline and SARIF fingerprints need the flagged line's text.
"""

from __future__ import annotations

import functools
import io
import tokenize
from dataclasses import dataclass

from .findings import Finding, character_column
from .ipynb_positions import RawNotebook, RawPosition


@dataclass(frozen=True)
class Region:
    """1-based lines and columns (code points) in the file as stored."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    exact: bool = True  # False: a notebook without a mapping, pointed at the start of the file


class CheckedFile:
    """A checked file's text, newlines kept as they are; read on first use. A file that can no longer
    be read (or decoded) reads as empty: outputs degrade to what the finding itself says."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.is_notebook = path.endswith(".ipynb")

    @functools.cached_property
    def text(self) -> str:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
            if self.is_notebook:
                return data.decode("utf-8-sig")
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # a BOM or coding cookie
            return data.decode(encoding)
        except (OSError, SyntaxError, LookupError, UnicodeError):
            return ""

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) of the file as stored."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def flagged_line(self, finding: Finding) -> str:
        """The text of the finding's first line: in its cell for a notebook."""
        if finding.cell is None:
            return self.line(finding.line).rstrip("\r")
        return _nth(self._cell_lines(finding.cell), finding.line).rstrip("\r")

    def region(self, finding: Finding) -> Region:
        if finding.cell is None:
            return Region(finding.line, _code_points(self.line(finding.line), finding.column),
                          finding.end_line, _code_points(self.line(finding.end_line), finding.end_column))
        start = self._notebook_position(finding.cell, finding.line, finding.column)
        end = self._notebook_position(finding.cell, finding.end_line, finding.end_column)
        if start is None or end is None:
            return Region(1, 1, 1, 1, exact=False)
        return Region(start.line, start.column, end.line, end.column)

    def _notebook_position(self, cell: int, line: int, byte_column: int) -> RawPosition | None:
        lines = self._cell_lines(cell)
        if not 0 < line <= len(lines) or self._notebook is None:
            return None
        offset = sum(len(text) + 1 for text in lines[:line - 1]) + character_column(lines[line - 1], byte_column)
        return self._notebook.position(cell, min(offset, len("\n".join(lines))))

    def _cell_lines(self, cell: int) -> list[str]:
        cells = self._cells
        return cells[cell].split("\n") if 0 <= cell < len(cells) else []

    @functools.cached_property
    def _notebook(self) -> RawNotebook | None:
        from .notebooks import NotebookError, read_notebook

        try:
            return RawNotebook(self.text, read_notebook(self.text))
        except NotebookError:
            return None

    @functools.cached_property
    def _cells(self) -> list[str]:
        """The text of every cell by its index (markdown cells too, as findings count them)."""
        if self._notebook is None:
            return []
        sources = (cell.get("source", "") for cell in self._notebook.document.get("cells", []))
        return ["".join(source) if isinstance(source, list) else str(source) for source in sources]


def _nth(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _code_points(line: str, byte_column: int) -> int:
    """ast's UTF-8 byte column -> a 1-based column in Unicode code points."""
    return character_column(line, byte_column) + 1
