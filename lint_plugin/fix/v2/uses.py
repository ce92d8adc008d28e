"""What the code does with a name: each read of a binding as an attribute chain and its context.

``env.python.conda_dependencies.add_pip_package('x')`` is a *call* of the path ``python.
conda_dependencies.add_pip_package`` on ``env``; ``src.run_config.node_count = 2`` a *write* of
``run_config.node_count``; ``ScriptRunConfig(environment=env)`` a plain *read* whose ``holder`` is the
keyword. The planners decide from these what a statement means, and whether they understand all of them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...analysis.scopes import Binding
from ..astctx import ModuleContext


@dataclass(frozen=True)
class Use:
    read: ast.Name
    path: tuple[str, ...]  # attributes after the name; "[]" for a subscript
    top: ast.expr  # the whole chain (``env.python.conda_dependencies.add_pip_package``)
    kind: str  # "write" (the chain is assigned to), "call" (the chain is called), "read"
    statement: ast.stmt
    holder: ast.AST | None  # what holds the chain: the Assign, the Call, a keyword, a list...
    subscripts: tuple[ast.expr, ...] = ()  # the index expressions of the chain's subscripts, in order

    @property
    def call(self) -> ast.Call | None:
        return self.holder if self.kind == "call" and isinstance(self.holder, ast.Call) else None

    @property
    def value(self) -> ast.expr | None:
        """The value a write assigns."""
        holder = self.holder
        if self.kind == "write" and isinstance(holder, (ast.Assign, ast.AugAssign)):
            return holder.value
        return None

    def alone(self) -> bool:
        """Whether the use is its statement: ``env.x = v`` or ``env.f(...)`` on a line of its own."""
        statement = self.statement
        if self.kind == "write":
            return isinstance(statement, ast.Assign) and statement is self.holder and len(statement.targets) == 1
        return isinstance(statement, ast.Expr) and statement.value is self.holder


def use_of(read: ast.Name, ctx: ModuleContext) -> Use:
    node: ast.expr = read
    path: list[str] = []
    subscripts: list[ast.expr] = []
    parents = ctx.parents
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            path.append(parent.attr)
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            path.append("[]")
            subscripts.append(parent.slice)
        else:
            break
        node = parent
    holder = parents.get(node)
    if isinstance(holder, ast.Call) and holder.func is node:
        kind = "call"
    elif isinstance(holder, (ast.Assign, ast.AugAssign)) and node is not read and \
            (node in getattr(holder, "targets", ()) or getattr(holder, "target", None) is node):
        kind = "write"
    else:
        kind = "read"
    return Use(read, tuple(path), node, kind, ctx.statement_of(read), holder, tuple(subscripts))


def uses_of(binding: Binding, ctx: ModuleContext) -> list[Use]:
    return [use_of(read, ctx) for read in ctx.uses(binding)]


def binding_of_statement(statement: ast.stmt, ctx: ModuleContext) -> Binding | None:
    """The binding ``name = value`` makes (None for anything else)."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return ctx.binding_made(statement, statement.targets[0].id)
    return None


def assigned_binding(value: ast.expr, ctx: ModuleContext) -> Binding | None:
    """The binding of ``name`` in ``name = value`` when ``value`` is the whole right-hand side."""
    statement = ctx.parents.get(value)
    if isinstance(statement, ast.Assign) and statement.value is value:
        return binding_of_statement(statement, ctx)
    return None


def same_block(first: ast.stmt, later: ast.stmt, ctx: ModuleContext) -> bool:
    """Whether ``later`` is a statement after ``first`` in the same block (straight-line code)."""
    parent = ctx.parents.get(first)
    if parent is None or ctx.parents.get(later) is not parent:
        return False
    for block in ("body", "orelse", "finalbody"):
        statements = getattr(parent, block, None)
        if isinstance(statements, list) and first in statements and later in statements:
            return statements.index(first) < statements.index(later)
    return False
