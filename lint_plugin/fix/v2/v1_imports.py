"""The v1 imports a v2 rewrite leaves unread go (an import statement keeps the names still read).

Called only when the module moves to v2 in part at least: then a v1 import nothing reads goes too."""

from __future__ import annotations

import ast

from ..astctx import ModuleContext
from ..plan import Plan
from ..planner import bound_names, drop_aliases, name_uses
from .gone import GoneReads

_V1 = "azureml"


def drop_unread_v1_imports(ctx: ModuleContext, plan: Plan) -> None:
    gone = GoneReads(ctx, plan)
    for statement in ctx.imports_at.values():
        if (statement.lineno, statement.col_offset) in gone.removed:
            continue
        unread = [alias for alias in statement.names if _is_v1(statement, alias) and alias.name != "*"
                  and not _read(ctx, statement, alias, gone)]
        if unread:
            drop_aliases(plan, statement, unread)


def _is_v1(statement: ast.Import | ast.ImportFrom, alias: ast.alias) -> bool:
    module = alias.name if isinstance(statement, ast.Import) else (statement.module or "")
    return not getattr(statement, "level", 0) and module.split(".")[0] == _V1


def _read(ctx: ModuleContext, statement: ast.Import | ast.ImportFrom, alias: ast.alias, gone: GoneReads) -> bool:
    """Whether the plan leaves a read of what ``alias`` binds."""
    uses = [use for name, prefix in bound_names(statement, [alias]) for use in name_uses(ctx, name, prefix)]
    names = [name for name, _ in bound_names(statement, [alias])]
    return any(name in ctx.annotation_names for name in names) or any(not gone.covers(use) for use in uses)
