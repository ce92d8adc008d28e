"""Where the imports a rewrite needs go: decided on the ``ast`` tree, placed as libcst's
``AddImportsVisitor`` places them (so a project already formatted that way stays so).

The module's leading import block is the run of import statements at the top (after the
docstring), each alone on its line. A name it imports already is not imported again; a name whose
module it imports ``from`` joins that statement (first); the rest become new statements right after
the block (after the docstring, or before the first statement, when there is no block), and the
statement that follows them is set off by a blank line.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field

from ..sdk.names import lookup
from .helpers import definitions
from .plan import Position
from .regions import alone_on_its_lines, first_line


@dataclass
class ImportPlacement:
    joins: dict[Position, list[str]] = field(default_factory=dict)  # from-import at -> names it takes first
    line: int = 1  # the new statements go before this line (one past the last line: at the end)
    text: str = ""  # the new statements, each ending with the newline, and the blank line after them


def place_imports(tree: ast.Module, lines: list[str], needed: set[tuple[str, str | None]],
                  newline: str, helpers: set[str] = frozenset()) -> ImportPlacement:  # type: ignore[assignment]
    """``needed`` holds (module, name) for ``from module import name`` and (module, None) for ``import module``;
    ``helpers`` names the private functions (``helpers.py``) that go after the imports, where the module
    does not define them yet."""
    body = tree.body
    start = 1 if body and _is_docstring(body, lines) else 0
    block = _leading_imports(body, start)
    placement = ImportPlacement()
    from_imports = _still_missing(block, needed)
    for statement in block:
        if isinstance(statement, ast.ImportFrom) and not statement.level and statement.module in from_imports \
                and statement.names[0].name != "*":
            placement.joins[(statement.lineno, statement.col_offset)] = sorted(from_imports.pop(statement.module))
    plain = {alias.name for s in block if isinstance(s, ast.Import) for alias in s.names if not alias.asname}
    new = [f"import {module}" for module in sorted({m for m, name in needed if name is None} - plain)]
    new += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(from_imports.items())]
    defined = {s.name for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    functions = definitions(set(helpers) - defined, newline)
    if not new and not functions:
        return placement
    text = "".join(line + newline for line in new)
    anchor = block[-1] if block else body[0] if start else None
    if anchor is None:
        placement.line = first_line(body[0]) if body else len(lines) + 1
        if functions:
            placement.text = text + (newline * 2 if text else "") + functions + (newline * 2 if body else "")
        else:
            placement.text = text + (newline if body else "")
        return placement
    placement.line = (anchor.end_lineno or anchor.lineno) + 1
    follows = body.index(anchor) + 1 < len(body)
    next_line = lines[placement.line - 1] if placement.line <= len(lines) else ""
    if functions:  # two blank lines around top-level functions, counting the blank lines already there
        blank = 0
        while placement.line + blank <= len(lines) and not lines[placement.line + blank - 1].strip():
            blank += 1
        after = max(0, 2 - blank) if follows else 0
        placement.text = text + newline * 2 + functions + newline * after
        return placement
    placement.text = text + (newline if follows and next_line.strip() else "")
    return placement


def _leading_imports(body: list[ast.stmt], start: int) -> list[ast.stmt]:
    block: list[ast.stmt] = []
    for index in range(start, len(body)):
        if not (isinstance(body[index], (ast.Import, ast.ImportFrom)) and alone_on_its_lines(body, index)):
            break
        block.append(body[index])
    return block


def _still_missing(block: list[ast.stmt], needed: set[tuple[str, str | None]]) -> dict[str, set[str]]:
    """module -> the names of ``needed`` that the block does not import from it yet (a star import
    counts as importing them all; ``from m import X as Y`` does not bind X; a name already imported
    from another path to the same SDK class, ``azureml.core.script_run_config.ScriptRunConfig``, is there)."""
    have: dict[str, set[str]] = {}
    classes: dict[str, object] = {}  # local name -> the SDK class it is imported as
    for statement in block:
        if isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
            have.setdefault(statement.module, set()).update(a.name for a in statement.names if not a.asname)
            classes.update((a.name, lookup(f"{statement.module}.{a.name}")) for a in statement.names if not a.asname)
    missing: dict[str, set[str]] = {}
    for module, name in needed:
        present = have.get(module, set())
        if name is not None and name not in present and "*" not in present \
                and not (classes.get(name) is not None and classes.get(name) is lookup(f"{module}.{name}")):
            missing.setdefault(module, set()).add(name)
    return missing


def _is_docstring(body: list[ast.stmt], lines: list[str]) -> bool:
    """A module docstring as libcst sees one: a lone statement that is one string literal (not an
    implicit concatenation, which new imports may go above)."""
    first = body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, (str, bytes)) and alone_on_its_lines(body, 0)):
        return False
    text = "".join(lines[first.lineno - 1: first.end_lineno])
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        return sum(token.type == tokenize.STRING for token in tokens) == 1
    except (tokenize.TokenError, SyntaxError):
        return False
