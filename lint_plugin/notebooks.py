"""A notebook as one virtual module: code cells in order, IPython syntax masked, lines mapped back.

Cells are analysed together so a name bound in an earlier cell is known in a later one. Magics and
shell escapes become ``pass`` at the same indentation, so no line moves and blocks stay valid. A cell
that is not valid Python is blanked out (and reported); the rest of the notebook is still analysed.
"""

from __future__ import annotations

import ast
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from .findings import AnalysisError, Finding

# Cell magics whose body is ordinary Python; every other cell magic (%%bash, %%writefile...) hides its body.
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_LINE_MAGIC = re.compile(r"^\s*[%!?]|^\s*[\w.]+\?\??\s*$|^\s*[\w.\[\], ]+=\s*[%!]")


class NotebookError(ValueError):
    """The file is not a readable notebook."""


@dataclass
class VirtualModule:
    source: str
    cell_starts: list[int] = field(default_factory=list)  # first virtual line of each analysed cell
    cell_indexes: list[int] = field(default_factory=list)  # that cell's index in the notebook
    errors: list[AnalysisError] = field(default_factory=list)

    def locate(self, line: int) -> tuple[int, int]:
        """Virtual line -> (cell index, line within the cell)."""
        slot = bisect_right(self.cell_starts, line) - 1
        return self.cell_indexes[slot], line - self.cell_starts[slot] + 1

    def map_finding(self, finding: Finding) -> Finding:
        cell, line = self.locate(finding.line)
        _, end_line = self.locate(max(finding.end_line, finding.line))
        return finding.moved(line=line, end_line=max(end_line, line), cell=cell)


def read_notebook(text: str) -> Any:
    """Parse notebook JSON (nbformat converts formats older than v4); clear errors otherwise."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON at line {error.lineno}: {error.msg}") from None
    except RecursionError:
        raise NotebookError("not valid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer longer than Python's conversion limit
        raise NotebookError(f"not valid JSON: {error}") from None
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise NotebookError("not a Jupyter notebook (no 'nbformat' key)")
    if raw["nbformat"] == 4:
        # The analysis only reads cell types and sources: plain JSON is enough, and checking stays
        # free of nbformat's import and schema compilation (most of the cost of a notebook).
        if not isinstance(raw.get("cells"), list) or not all(isinstance(c, dict) for c in raw["cells"]):
            raise NotebookError("not a readable notebook: 'cells' is not a list of cells")
        for index, cell in enumerate(raw["cells"]):
            if not _is_text(cell.get("source", "")):
                raise NotebookError(f"not a readable notebook: the source of cell {index} is not text")
        return raw
    import nbformat  # deferred: only notebooks in older formats pay for the conversion

    try:
        return nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises many types for malformed notebooks
        raise NotebookError(f"not a readable notebook: {error}") from None


def _is_text(source: Any) -> bool:
    """A cell source as nbformat 4 allows it: a string or a list of strings."""
    return isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))


def code_cells(notebook: Any) -> list[tuple[int, str]]:
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3 keeps cells inside worksheets; reads() converted, but be safe
        cells = [c for sheet in notebook.get("worksheets", []) for c in sheet.get("cells", [])]
    return [(index, _cell_source(cell)) for index, cell in enumerate(cells) if cell.get("cell_type") == "code"]


def _cell_source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def mask_ipython(source: str) -> str:
    """Replace magics, shell escapes and help syntax by ``pass``, keeping every line in place."""
    lines = source.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if first.lstrip().startswith("%%"):
        magic = first.lstrip()[2:].split(maxsplit=1)[0] if first.strip() != "%%" else ""
        if magic not in PYTHON_BODY_CELL_MAGICS:
            return "\n".join("" for _ in lines)
        lines[lines.index(first)] = ""
    return "\n".join(_mask_line(line) for line in lines)


def _mask_line(line: str) -> str:
    if not _LINE_MAGIC.search(line) or line.lstrip().startswith("#"):
        return line
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}pass"


def _cell_error(index: int, error: Exception) -> AnalysisError:
    if isinstance(error, RecursionError):
        return AnalysisError(f"cannot parse cell {index}: nested too deeply to parse", None, index)
    line = getattr(error, "lineno", None)
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    where = f" at line {line}" if line else ""
    return AnalysisError(f"syntax error in cell {index}{where}: {message}", line, index)


def virtual_module(notebook: Any) -> VirtualModule:
    module = VirtualModule("")
    parts: list[str] = []
    next_line = 1
    for index, source in code_cells(notebook):
        masked = mask_ipython(source)
        if not masked.endswith("\n"):
            masked += "\n"
        try:
            ast.parse(masked)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            module.errors.append(_cell_error(index, error))
            masked = "\n" * masked.count("\n")
        module.cell_starts.append(next_line)
        module.cell_indexes.append(index)
        parts.append(masked)
        next_line += masked.count("\n")
    module.source = "".join(parts)
    return module
