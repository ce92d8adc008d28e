"""Inline expectations of the fixture files (flake8-bugbear style).

A finding is expected where a line carries a trailing comment ``# expect: AML101`` (several codes:
``# expect: AML101, AML301``). The line is the line where the finding starts (docs/semantics.md).

* ``.py`` files and requirement files (requirements*.txt, setup.cfg, setup.py, pyproject.toml, conda
  YAML): every line of the file; the cell is ``None``.
* ``.ipynb`` notebooks: only code cells are read; the cell index counts every cell (markdown and raw
  cells too, as in the notebook's ``cells`` list) and the line is 1-based within the cell.
* The opt-in rules (AML6xx) are expected only when asked for (``opt_in=True``): the corpus is checked
  with the default selection, and its ``v2_*`` files also with ``--extend-select AML6``.
* Expected analysis errors of a notebook live in its top-level metadata:
  ``"aml_migrate_test": {"errors": [{"cell": N}]}``.

This module has no tests of its own (see ``tests/test_fixture_expectations.py``) and reads nothing
outside the repository.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>AML\d{3}(?:\s*,\s*AML\d{3})*)")
CODE_RE = re.compile(r"AML\d{3}")

Expectation = tuple[int | None, int, str]


def _codes_on(line: str) -> list[str]:
    match = EXPECT_RE.search(line)
    return CODE_RE.findall(match.group("codes")) if match else []


def _expectations_in_text(text: str, cell: int | None) -> set[Expectation]:
    found: set[Expectation] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for code in _codes_on(line):
            found.add((cell, number, code))
    return found


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def expected_findings(path: str | Path, *, opt_in: bool = False) -> set[Expectation]:
    """(cell or None, 1-based line, code) of every finding the fixture expects (with ``opt_in``, the
    opt-in rules' too)."""
    from lint_plugin.rules import OPT_IN_CODES

    path = Path(path)
    if path.suffix == ".ipynb":
        notebook = _load_notebook(path)
        found: set[Expectation] = set()
        for index, cell in enumerate(notebook.get("cells", [])):
            if cell.get("cell_type") == "code":
                found |= _expectations_in_text(_cell_source(cell), index)
    else:
        found = _expectations_in_text(path.read_text(encoding="utf-8"), None)
    return found if opt_in else {item for item in found if item[2] not in OPT_IN_CODES}


def expected_errors(path: str | Path) -> set[int | None]:
    """Cells (0-based, counting every cell) that the analysis must report as errors.

    Only notebooks declare errors (``metadata.aml_migrate_test.errors``); other files expect none.
    An entry without ``cell`` means an error for the notebook as a whole (``None``).
    """
    path = Path(path)
    if path.suffix != ".ipynb":
        return set()
    meta = _load_notebook(path).get("metadata", {}).get("aml_migrate_test", {})
    return {entry.get("cell") for entry in meta.get("errors", [])}


def expected_codes(path: str | Path, *, opt_in: bool = False) -> set[str]:
    """Just the codes a fixture expects somewhere (handy for coverage checks)."""
    return {code for _, _, code in expected_findings(path, opt_in=opt_in)}


def fixture_files(root: str | Path, suffixes: tuple[str, ...] = (".py", ".ipynb")) -> list[Path]:
    """Fixture files under ``root`` with one of ``suffixes``, sorted, for parametrised tests."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file() and p.suffix in suffixes)
