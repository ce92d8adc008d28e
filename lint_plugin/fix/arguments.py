"""``script_params`` -> ``arguments``: the SDK's algorithm (SDK_FACTS.md section 3), done statically.

The estimator walks the dict in order, appends key then value, flattens non-string iterables one
level (a dict contributes its keys; nested iterables are ``str()``-ed), turns DataReferences into
``str(ref)``, and finally removes every ``None`` and ``""``. For a dict literal every one of those
steps can be decided from the source, except for values whose type only exists at run time: those
(``unknown``) leave the conversion to run time (``helpers.ARGUMENTS``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..sdk.names import Kind
from .astctx import ModuleContext
from .plan import Position

_DATASET_METHODS = frozenset({"as_named_input", "as_mount", "as_download", "as_direct", "as_hdfs"})


@dataclass
class Arguments:
    items: list[list[str]] = field(default_factory=list)  # source of each key/value group
    references: list[str] = field(default_factory=list)  # DataReference expressions to register
    hoisted: list[tuple[str, str]] = field(default_factory=list)  # (name, expression) bound before
    unknown: list[str] = field(default_factory=list)  # values whose run-time type decides the output
    blocker: str | None = None

    def text(self, indent: str | None) -> str:
        """The list literal; one key/value group per line when the dict was written over lines."""
        groups = [", ".join(group) for group in self.items if group]
        if indent is None or len(groups) < 2:
            return "[" + ", ".join(groups) + "]"
        inner = "".join(f"\n{indent}{group}," for group in groups)
        return f"[{inner}\n{indent[:-4] if len(indent) >= 4 else ''}]"


def is_empty(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in (None, "") and not isinstance(node.value, bool)


def convert_dict(literal: ast.Dict, ctx: ModuleContext, datarefs: set[Position], hoist_base: str) -> Arguments:
    result = Arguments()
    for key, value in zip(literal.keys, literal.values):
        if key is None:
            result.blocker = "script_params unpacks another dict (**) built at run time"
            return result
        group = [] if is_empty(key) else [ctx.text(key)]
        group.extend(_value_items(value, ctx, datarefs, hoist_base, result))
        result.items.append(group)
    return result


def _value_items(value: ast.expr, ctx: ModuleContext, datarefs: set[Position], hoist_base: str,
                 result: Arguments) -> list[str]:
    if (value.lineno, value.col_offset) in datarefs:
        return [_dataref(value, ctx, hoist_base, result)]
    if is_empty(value):
        return []
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return [_flattened(item, ctx, result) for item in value.elts if not is_empty(item)]
    if isinstance(value, ast.Dict):
        return [_flattened(key, ctx, result) for key in value.keys if key is not None and not is_empty(key)]
    if isinstance(value, ast.Name):
        return _name_items(value, ctx, result)
    if not _is_scalar(value):
        result.unknown.append(ctx.text(value))
    return [ctx.text(value)]


def _dataref(value: ast.expr, ctx: ModuleContext, hoist_base: str, result: Arguments) -> str:
    """``str(ref)``; an inline reference is bound to a name first, so the name that ``str()`` puts in
    the command line and the one registered in ``data_references`` are the same object's. A Datastore
    is mounted at its root first, as the estimator mounted it (SDK_FACTS.md section 13)."""
    if ctx.kind(value) is Kind.DATASTORE:
        name = ctx.fresh_name(hoist_base)
        result.hoisted.append((name, f"{ctx.text(value)}.as_mount()"))
    elif isinstance(value, ast.Name):
        name = value.id
    else:
        name = ctx.fresh_name(hoist_base)
        result.hoisted.append((name, ctx.text(value)))
    result.references.append(name)
    return f"str({name})"


def _flattened(item: ast.expr, ctx: ModuleContext, result: Arguments) -> str:
    """A flattened element: iterables other than strings become their ``str()``."""
    if isinstance(item, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        try:
            return repr(str(ast.literal_eval(item)))
        except ValueError:
            return f"str({ctx.text(item)})"
    if not _is_scalar(item):
        result.unknown.append(ctx.text(item))
    return ctx.text(item)


def _name_items(value: ast.Name, ctx: ModuleContext, result: Arguments) -> list[str]:
    binding = ctx.single_binding(value.id, value)
    bound = binding.value if binding else None
    if bound is None:
        taken = ctx.iterated(binding) if binding else None
        if taken is None or not all(_is_scalar(item) for item in taken):
            result.unknown.append(value.id)
        return [value.id]
    if is_empty(bound):
        return []
    if isinstance(bound, (ast.List, ast.Tuple, ast.Set, ast.Dict)) and not ctx.mutated(binding):  # type: ignore[arg-type]
        elements = bound.keys if isinstance(bound, ast.Dict) else bound.elts
        if all(e is not None and _is_scalar(e) and not is_empty(e) for e in elements):
            return [f"*{value.id}"]
    if not _is_scalar(bound) and not _is_dataset(bound):
        result.unknown.append(value.id)
    return [value.id]


def _is_scalar(node: ast.expr) -> bool:
    """Source whose value is a non-empty str, a number or a bool: passed through unchanged."""
    if isinstance(node, ast.Constant):
        return not is_empty(node)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.UnaryOp):
        return _is_scalar(node.operand)
    if isinstance(node, ast.BinOp):
        return _is_scalar(node.left) and _is_scalar(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("str", "int", "float"):
        return True
    return _is_dataset(node)


def _is_dataset(node: ast.expr) -> bool:
    """``dataset.as_named_input(...)``, ``dataset.as_mount()`` (DataReferences are flagged by the checker
    and never get here): kept as an object; ScriptRunConfig converts it at submit."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _DATASET_METHODS:
            return True
        node = node.func.value
    return False
