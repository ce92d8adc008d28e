"""Read a submit script (``.py`` or notebook) into one module text plus a line map."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .spec import DryRunError


@dataclass
class SubmitSource:
    path: Path
    text: str
    cells: list[tuple[int, int]] | None = None  # per module line: (cell index, line in cell)
    migrated: bool = False  # text is the fixer's output, not the file's

    def where(self, line: int) -> str:
        """A human location for a module line: `line 12`, or `cell 3 line 4` in a notebook."""
        if self.migrated:
            return f"line {line} of the migrated text"
        if self.cells and 0 < line <= len(self.cells):
            cell, cell_line = self.cells[line - 1]
            return f"cell {cell} line {cell_line}"
        return f"line {line}"


def read_submit(path: Path) -> SubmitSource:
    if not path.is_file():
        raise DryRunError(f"{path}: no such file")
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DryRunError(f"{path}: cannot read: {exc}") from None
    if path.suffix == ".ipynb":
        return _notebook(path, raw)
    return SubmitSource(path, raw)


def _notebook(path: Path, raw: str) -> SubmitSource:
    try:
        cells = json.loads(raw)["cells"]
    except (ValueError, KeyError, TypeError):
        raise DryRunError(f"{path}: not a readable notebook") from None
    lines: list[str] = []
    line_map: list[tuple[int, int]] = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for number, line in enumerate(text.splitlines(), start=1):
            # IPython magics and shell escapes are not Python; keep the line count for locations.
            stripped = line.lstrip()
            magic = stripped.startswith(("%", "!"))
            lines.append(line[: len(line) - len(stripped)] + "pass" if magic else line)
            line_map.append((index, number))
    return SubmitSource(path, "\n".join(lines) + "\n", line_map)
