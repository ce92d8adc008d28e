"""Read a submit script (``.py`` or notebook) into one module text, and say where its lines came from.

A notebook becomes the project's virtual module (code cells in order, IPython syntax masked, lines
kept in place). For capture mode, a `%%writefile` cell becomes one call that writes the file when the
module runs, as the notebook would. Text migrated in memory keeps, per line, the range of original
lines it came from, so messages and `--job LINE` speak of the file the user has."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..notebooks import NotebookError, VirtualModule, code_cells, read_notebook, virtual_module
from .spec import DryRunError

WRITEFILE = "__aml_dryrun_writefile__"  # defined by the capture sandbox's bootstrap
_WRITEFILE_MAGICS = ("%%writefile", "%%file")


@dataclass
class SubmitSource:
    path: Path
    text: str
    notebook: VirtualModule | None = None
    # Migrated text only: for each of its lines, the first and last original line it replaces.
    origins: list[tuple[int, int]] | None = None
    writefiles: dict[int, str] = field(default_factory=dict)  # notebook line -> its %%writefile call

    @property
    def migrated(self) -> bool:
        return self.origins is not None

    def original_lines(self, line: int) -> tuple[int, int]:
        if self.origins is None:
            return line, line
        return self.origins[min(max(line, 1), len(self.origins)) - 1] if self.origins else (line, line)

    def where(self, line: int) -> str:
        """A human location for a line of this text: `line 12`, or `cell 3 line 4` in a notebook."""
        original = self.original_lines(line)[0]
        if self.notebook is not None and self.notebook.cell_starts and original > 0:
            cell, cell_line = self.notebook.locate(original)
            return f"cell {cell} line {cell_line}"
        return f"line {original}"

    def with_writefiles(self) -> SubmitSource:
        """The text a notebook runs as in the capture sandbox: `%%writefile` cells write their file."""
        lines = self.text.split("\n")
        for line, call in self.writefiles.items():
            lines[line - 1] = call
        return replace(self, text="\n".join(lines))

    def migrated_to(self, text: str) -> SubmitSource:
        return replace(self, text=text, origins=line_origins(self.text, text))


def line_origins(original: str, migrated: str) -> list[tuple[int, int]]:
    """Per migrated line, the original lines it stands for: itself when unchanged, else the block of
    original lines the fixer rewrote (an inserted line belongs to the statement it precedes)."""
    before, after = original.splitlines(), migrated.splitlines()
    last = max(len(before), 1)
    origins = [(last, last)] * len(after)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                origins[j] = (i1 + j - j1 + 1, i1 + j - j1 + 1)
            else:
                start = min(i1 + 1, last)
                origins[j] = (start, max(start, i2))
    return origins


def project_root(submit: Path) -> Path:
    """The folder a submit script belongs to: the current folder when it holds the script (users run
    `python jobs/submit.py` from the project), else the script's own folder. Never a system folder or
    the whole home folder: the static resolver reads files only inside it, and capture copies it."""
    from .guard import refuse_system_path

    script_folder = submit.resolve().parent
    cwd = Path.cwd().resolve()
    if cwd == script_folder or cwd in script_folder.parents:
        try:
            refuse_system_path(cwd, "the current folder")
            return cwd
        except DryRunError:
            pass
    return script_folder


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
        notebook = read_notebook(raw)
    except NotebookError as exc:
        raise DryRunError(f"{path}: {exc}") from None
    module = virtual_module(notebook)
    if module.errors:
        raise DryRunError(f"{path}: {module.errors[0].message}")
    writefiles = {}
    for start, (_, source) in zip(module.cell_starts, code_cells(notebook)):
        lines = source.split("\n")
        first = next((number for number, line in enumerate(lines) if line.strip()), None)
        if first is None or not lines[first].lstrip().startswith(_WRITEFILE_MAGICS):
            continue
        arguments = lines[first].strip().split(maxsplit=1)[1:]
        body = "\n".join(lines[first + 1:])
        body = body if body.endswith("\n") else body + "\n"  # as IPython writes the cell
        writefiles[start + first] = f"{WRITEFILE}({(arguments or [''])[0]!r}, {body!r})"
    return SubmitSource(path, module.source, module, writefiles=writefiles)
