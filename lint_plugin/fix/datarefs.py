"""AML301 (``ref`` -> ``str(ref)``) and AML302 (register ``run_config.data_references``) for
DataReferences in a ``ScriptRunConfig``'s arguments (SDK_FACTS.md sections 3 and 7).

ScriptRunConfig neither converts a DataReference in ``arguments`` nor registers it, so both halves are
needed: the ``$AZUREML_DATAREFERENCE_<name>`` placeholder and the mount it names. An inline reference
(``ds.path('x').as_mount()``) is bound to a name first: ``datastore.path()`` names each reference with a
fresh uuid, so building it twice would register a different reference from the one in the arguments.
"""

from __future__ import annotations

import ast

from ..sdk.names import Kind
from .astctx import ModuleContext, dotted
from .plan import ExprEdit, Outcome, Plan, Position


def plan_datarefs(ctx: ModuleContext, plan: Plan, positions: list[Position], by_code: dict[str, list[Position]],
                  outcomes: dict[tuple[str, Position], Outcome]) -> None:
    cast = set(by_code.get("AML301", []))
    register = set(by_code.get("AML302", []))
    names: dict[Position, str] = {}
    registrations: dict[ast.Call, list[str]] = {}
    for at in positions:
        node = _expression_at(ctx, at)
        config = _config_of(node, ctx) if node is not None else None
        codes = [code for code, wanted in (("AML301", cast), ("AML302", register)) if at in wanted]
        if node is not None and config is not None and not ctx.holds_statements(ctx.statement_of(config)):
            config = None
        if node is None or config is None:
            for code in codes:
                outcomes[(code, at)] = Outcome(code, at, "manual", "the ScriptRunConfig these arguments go to "
                                                                   "is built where the fixer cannot follow")
            continue
        reference = _reference(node)
        name = names.get(at) or _name_for(reference, ctx, plan, names, at)
        if "AML301" in codes:
            plan.exprs.append(ExprEdit(at, (node.end_lineno, node.end_col_offset), f"str({name})"))
            outcomes[("AML301", at)] = Outcome("AML301", at, "safe", f"{ctx.text(node)} -> str({name})")
        if "AML302" in codes:
            registrations.setdefault(config, []).append(name)
            outcomes[("AML302", at)] = Outcome("AML302", at, "safe", f"registered {name} in run_config.data_references")
    for config, refs in registrations.items():
        _register(config, refs, ctx, plan, outcomes)


def _register(config: ast.Call, refs: list[str], ctx: ModuleContext, plan: Plan,
              outcomes: dict[tuple[str, Position], Outcome]) -> None:
    statement = ctx.statement_of(config)
    target = dotted(statement.targets[0]) if isinstance(statement, ast.Assign) and statement.value is config \
        and len(statement.targets) == 1 else None
    if target is None:
        for key, outcome in outcomes.items():
            if key[0] == "AML302" and outcome.summary.startswith("registered") and \
                    outcome.summary.split()[1] in refs:
                outcomes[key] = Outcome("AML302", key[1], "manual", "the ScriptRunConfig is not bound to a name: "
                                                                    "set its run_config.data_references by hand")
        return
    pairs = ", ".join(f"{r}.data_reference_name: {r}.to_config()" for r in dict.fromkeys(refs))
    plan.statement((statement.lineno, statement.col_offset)).after.append(
        f"{target}.run_config.data_references.update({{{pairs}}})")


def _reference(node: ast.expr) -> ast.expr:
    """The reference itself: ``str(ref)`` -> ``ref``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and node.args:
        return node.args[0]
    return node


def _name_for(reference: ast.expr, ctx: ModuleContext, plan: Plan, names: dict[Position, str],
              at: Position) -> str:
    """A name for the reference: its own, or one bound just before the statement (a Datastore stands
    for the mount of its root, as the estimator mounted it)."""
    datastore = ctx.kind(reference) is Kind.DATASTORE
    if isinstance(reference, ast.Name) and not datastore:
        names[at] = reference.id
        return reference.id
    name = ctx.fresh_name("data_ref")
    statement = ctx.statement_of(reference)
    value = f"{ctx.text(reference)}.as_mount()" if datastore else ctx.text(reference)
    plan.statement((statement.lineno, statement.col_offset)).before.append(f"{name} = {value}")
    if reference is not _expression_at(ctx, at):  # str(<inline>): the argument of str() becomes the name
        plan.exprs.append(ExprEdit((reference.lineno, reference.col_offset),
                                   (reference.end_lineno, reference.end_col_offset), name))  # type: ignore[arg-type]
    names[at] = name
    return name


def _expression_at(ctx: ModuleContext, at: Position) -> ast.expr | None:
    """The outermost expression starting at ``at`` (``str(ref)`` rather than ``str``)."""
    return ctx.exprs_at.get(at)


def _config_of(node: ast.expr, ctx: ModuleContext) -> ast.Call | None:
    """The ScriptRunConfig call whose ``arguments`` hold ``node``, directly or via a list bound to a name."""
    current: ast.AST = node
    while True:
        parent = ctx.parents.get(current)
        if parent is None or isinstance(parent, ast.stmt) and not isinstance(parent, ast.Assign):
            return None
        if isinstance(parent, ast.Call) and parent is not node and not _is_str_call(parent):
            return parent if _is_script_run_config(parent, ctx) else None
        if isinstance(parent, ast.Assign):
            if len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
                return _config_using(parent.targets[0].id, parent, ctx)
            return None
        current = parent


def _config_using(name: str, assign: ast.Assign, ctx: ModuleContext) -> ast.Call | None:
    for node in ast.walk(ctx.scope_of(assign)):
        if isinstance(node, ast.Call) and _is_script_run_config(node, ctx):
            value = next((k.value for k in node.keywords if k.arg == "arguments"),
                         node.args[2] if len(node.args) > 2 else None)
            if isinstance(value, ast.Name) and value.id == name:
                return node
    return None


def _is_str_call(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == "str"


def _is_script_run_config(call: ast.Call, ctx: ModuleContext) -> bool:
    return (ctx.qualified(call.func) or "").endswith("ScriptRunConfig")
