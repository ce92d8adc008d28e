"""AML301 DataReference passed without str(), AML302 DataReference not registered in data_references."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...sdk.names import Kind
from ..context import Context
from ..resolve import keyword
from ..scopes import Binding, CallFact, Scope
from .runconfig import RUN_CONFIG_POSITION

ARGUMENTS_POSITION = 2
_LIST_METHODS = {"append": False, "extend": True}  # method -> argument is itself a list


def check(ctx: Context) -> None:
    for fact, resolved in ctx.calls_of(Kind.SCRIPT_RUN_CONFIG, Kind.ESTIMATOR):
        if resolved.sdk.kind is Kind.ESTIMATOR:
            _check_script_params(ctx, fact)
        else:
            _check_arguments(ctx, fact)


def _check_script_params(ctx: Context, fact: CallFact) -> None:
    params = keyword(fact.call, "script_params")
    if params is None:
        return
    for value, scope in _dict_values(ctx, params, fact.scope):
        _report_uncast(ctx, value, scope, "estimator script_params")


def _check_arguments(ctx: Context, fact: CallFact) -> None:
    arguments = keyword(fact.call, "arguments", ARGUMENTS_POSITION)
    if arguments is None:
        return
    used: list[tuple[ast.expr, str]] = []
    for element, scope in _list_elements(ctx, arguments, fact.scope):
        uncast = _report_uncast(ctx, element, scope, "ScriptRunConfig arguments")
        if uncast:
            used.append((element, uncast))
        elif _casts_reference(ctx, element, scope):
            used.append((element, "DataReference"))
    if used and not _registered(ctx, fact):
        config = fact.assigned_to or "the ScriptRunConfig"
        for element, what in used:
            ctx.report("AML302", element, what=what, name=ctx.source_text(element), config=config)


def _report_uncast(ctx: Context, value: ast.expr, scope: Scope, where: str) -> str | None:
    """AML301 for a DataReference or a Datastore passed as is; which of the two it was."""
    kind = ctx.resolver.kind(value, scope)
    name = ctx.source_text(value)
    if kind is Kind.DATA_REFERENCE:
        ctx.report("AML301", value, what="DataReference", name=name, where=where, replacement=f"str({name})")
    elif kind is Kind.DATASTORE:
        ctx.report("AML301", value, what="Datastore", name=name, where=where,
                   replacement=f"str({name}.as_mount()), a mount of its root")
    else:
        return None
    return "DataReference" if kind is Kind.DATA_REFERENCE else "Datastore"


def _casts_reference(ctx: Context, element: ast.expr, scope: Scope) -> bool:
    """``str(ref)`` or an f-string holding a reference: cast, but still to be registered."""
    if isinstance(element, ast.Call) and isinstance(element.func, ast.Name) and element.func.id == "str":
        return len(element.args) == 1 and ctx.resolver.kind(element.args[0], scope) is Kind.DATA_REFERENCE
    if isinstance(element, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) and ctx.resolver.kind(part.value, scope) is Kind.DATA_REFERENCE
                   for part in element.values)
    return False


def _registered(ctx: Context, fact: CallFact) -> bool:
    """Whether the configuration's data references are set in the same scope."""
    run_config = keyword(fact.call, "run_config", RUN_CONFIG_POSITION)
    if isinstance(run_config, ast.Name) and fact.scope.sets_attribute(run_config.id, ("data_references",)):
        return True
    return fact.assigned_to is not None and fact.scope.sets_attribute(
        fact.assigned_to, ("run_config", "data_references"))


def _list_elements(ctx: Context, expr: ast.expr, scope: Scope, depth: int = 0) -> Iterator[tuple[ast.expr, Scope]]:
    if depth > 8:
        return
    if isinstance(expr, (ast.List, ast.Tuple)):
        for element in expr.elts:
            if isinstance(element, ast.Starred):
                yield from _list_elements(ctx, element.value, scope, depth + 1)
            else:
                yield element, scope
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        yield from _list_elements(ctx, expr.left, scope, depth + 1)
        yield from _list_elements(ctx, expr.right, scope, depth + 1)
    elif isinstance(expr, ast.Name):
        binding = ctx.resolver.binding_of(expr, scope)
        if binding is not None:
            yield from _bound_elements(ctx, binding, depth + 1)


def _bound_elements(ctx: Context, binding: Binding, depth: int) -> Iterator[tuple[ast.expr, Scope]]:
    """The elements of the list a binding holds: its literal, what ``+=`` added to the list before
    it, and what ``append``/``extend`` put into it wherever the binding reaches."""
    if binding.augmented is not None:
        before = ctx.flow.binding(binding.augmented.target)  # type: ignore[arg-type]
        if before is not None:
            yield from _bound_elements(ctx, before, depth + 1)
        yield from _list_elements(ctx, binding.augmented.value, binding.scope, depth + 1)
    elif binding.value is not None:
        yield from _list_elements(ctx, binding.value, binding.scope, depth + 1)
    for read in ctx.flow.uses(binding):
        method = read.parent
        call = read.grandparent
        if isinstance(method, ast.Attribute) and method.attr in _LIST_METHODS and isinstance(call, ast.Call) \
                and call.func is method and call.args:
            if _LIST_METHODS[method.attr]:
                yield from _list_elements(ctx, call.args[0], binding.scope, depth + 1)
            else:
                yield call.args[0], binding.scope


def _dict_values(ctx: Context, expr: ast.expr, scope: Scope, depth: int = 0) -> Iterator[tuple[ast.expr, Scope]]:
    if depth > 8:
        return
    if isinstance(expr, ast.Dict):
        yield from ((value, scope) for key, value in zip(expr.keys, expr.values) if key is not None)
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "dict":
        yield from ((kw.value, scope) for kw in expr.keywords if kw.arg is not None)
    elif isinstance(expr, ast.Name):
        binding = ctx.resolver.binding_of(expr, scope)
        if binding is None or binding.value is None:
            return
        yield from _dict_values(ctx, binding.value, binding.scope, depth + 1)
        for read in ctx.flow.uses(binding):  # ``params[key] = value`` wherever the binding reaches
            store = read.parent
            if isinstance(store, ast.Subscript) and isinstance(store.ctx, ast.Store) \
                    and isinstance(read.grandparent, ast.Assign):
                yield read.grandparent.value, binding.scope
