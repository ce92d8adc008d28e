"""Expressions of v1 code as v2 source text.

An expression moves into v2 code only when it means the same there: its names hold the same bindings
at the place the text goes (``ModuleContext.same_names_at``) and it reads no v1 SDK object, except the
v1 constants whose values are plain strings (``DEFAULT_GPU_IMAGE`` becomes its literal). Notebook
cells bound what a rewrite may gather: a fix never moves code across cells.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Sequence

from ...sdk.frameworks import DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE
from ..astctx import UNKNOWN, ModuleContext

# v1 names whose value is a plain constant of the installed SDK (checked against it in the tests).
V1_CONSTANTS = {
    "azureml.core.runconfig.DEFAULT_CPU_IMAGE": DEFAULT_CPU_IMAGE,
    "azureml.core.runconfig.DEFAULT_GPU_IMAGE": DEFAULT_GPU_IMAGE,
}
_V1_ROOT = "azureml"


class Values:
    def __init__(self, ctx: ModuleContext, cells: Sequence[int] = ()) -> None:
        self.ctx = ctx
        self.cells = list(cells)

    # -- what a value is ----------------------------------------------------------------------
    def constant(self, node: ast.expr | None, default: object = None) -> object:
        """The constant ``node`` is (through names bound to one, and v1 constants), or UNKNOWN."""
        if node is None:
            return default
        qualified = self._qualified(node)
        if qualified in V1_CONSTANTS:
            return V1_CONSTANTS[qualified]
        return self.ctx.constant(node, default)

    def string(self, node: ast.expr | None) -> str | None:
        value = self.constant(node)
        return value if isinstance(value, str) else None

    def reads_v1(self, node: ast.expr) -> str | None:
        """The first v1 SDK name ``node`` reads (other than a v1 constant), if any."""
        for name in ast.walk(node):
            if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Load):
                qualified = self.ctx.qualified(name)
                v1 = qualified is not None and qualified.split(".")[0] == _V1_ROOT
                if v1 and self._qualified_chain(name) not in V1_CONSTANTS:
                    return name.id
        return None

    # -- text -----------------------------------------------------------------------------------
    def text(self, node: ast.expr) -> str:
        """The node's source with v1 constants as their literals."""
        replacements = [(inner, repr(V1_CONSTANTS[q])) for inner in ast.walk(node)
                        if isinstance(inner, (ast.Name, ast.Attribute))
                        and (q := self._qualified(inner)) in V1_CONSTANTS and self._outermost(inner, node)]
        return splice(self.ctx, node, replacements) if replacements else self.ctx.text(node)

    def text_at(self, node: ast.expr, at: ast.AST) -> str | None:
        """``text(node)`` if it means the same at ``at`` and reads no v1 object; else None."""
        if self.reads_v1(node) or not self.ctx.same_names_at(node, at):
            return None
        return self.text(node)

    def literal_or_text(self, node: ast.expr, at: ast.AST) -> str | None:
        """A constant's literal (a name bound to one is inlined), else ``text_at``."""
        if isinstance(node, ast.Constant):
            return self.ctx.text(node)  # as written: its quotes and spelling
        value = self.constant(node)
        if value is not UNKNOWN and _plain(value):
            return repr(value)
        return self.text_at(node, at)

    # -- cells ----------------------------------------------------------------------------------
    def same_cell(self, first: ast.AST, second: ast.AST) -> bool:
        if not self.cells:
            return True
        lines = first.lineno, second.lineno  # type: ignore[attr-defined]
        return bisect_right(self.cells, lines[0]) == bisect_right(self.cells, lines[1])

    # -- internals ------------------------------------------------------------------------------
    def _qualified(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            binding = self.ctx.binding(node)
            alias = binding is not None and binding.imported is None
            if alias and isinstance(binding.value, (ast.Name, ast.Attribute)):  # type: ignore[union-attr]
                return self._qualified(binding.value)
        return self.ctx.qualified(node) if isinstance(node, (ast.Name, ast.Attribute)) else None

    def _qualified_chain(self, name: ast.Name) -> str | None:
        node: ast.AST = name
        while isinstance(self.ctx.parents.get(node), ast.Attribute):
            node = self.ctx.parents[node]
        return self.ctx.qualified(node)  # type: ignore[arg-type]

    def _outermost(self, inner: ast.AST, root: ast.AST) -> bool:
        parent = self.ctx.parents.get(inner)
        return inner is root or not (isinstance(parent, ast.Attribute) and self._qualified(parent) in V1_CONSTANTS)


def _plain(value: object) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return value is None or isinstance(value, (str, int, float, bool))


def splice(ctx: ModuleContext, node: ast.AST, replacements: list[tuple[ast.AST, str]]) -> str:
    """``node``'s source with the sub-nodes in ``replacements`` replaced by their texts."""
    start = _offset(ctx, node.lineno, node.col_offset)  # type: ignore[attr-defined]
    text = ctx.text(node)
    pieces, cursor = [], 0
    for inner, new in sorted(replacements, key=lambda item: _start(item[0])):
        begin = _offset(ctx, inner.lineno, inner.col_offset) - start  # type: ignore[attr-defined]
        end = _offset(ctx, inner.end_lineno, inner.end_col_offset) - start  # type: ignore[attr-defined]
        if begin < cursor:
            continue  # inside a replacement already made
        pieces += [text[cursor:begin], new]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _start(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def _offset(ctx: ModuleContext, line: int, byte_column: int) -> int:
    """Characters from the start of the source to (line, UTF-8 byte column)."""
    lines = ctx._lines  # noqa: SLF001 - the context's own split of the source
    before = sum(len(text) for text in lines[: line - 1])
    return before + len(lines[line - 1].encode()[:byte_column].decode(errors="ignore"))
