"""An estimator's ``inputs`` (and the data its ``script_params`` refer to) -> the ScriptRunConfig's
``run_config.data_references`` and ``run_config.data`` (SDK_FACTS.md sections 7 and 13).

The estimator registered each item by its type: a DataReference under its name, a Datastore as a
mount of its root under the datastore's name, a dataset input (``ds.as_named_input('x')``,
``ds.as_mount()``) in ``data`` under its name. Items the source pins down are registered by
statements written out here; an inline item is bound to a name first, because each evaluation makes
a new object (``datastore.path()`` and an unnamed ``as_mount()`` pick random names). A list only run
time knows is registered by ``helpers.INPUTS``, the SDK's loop.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..sdk.names import Kind
from .arguments import is_empty
from .astctx import ModuleContext
from .helpers import INPUTS
from .plan import TARGET


@dataclass
class InputsPlan:
    before: list[str] = field(default_factory=list)  # names bound before the statement
    follow_ups: list[str] = field(default_factory=list)
    helpers: set[str] = field(default_factory=set)


def plan_inputs(inputs: ast.expr | None, argument_references: list[str], data_store: ast.expr | None,
                ctx: ModuleContext, base: str) -> InputsPlan:
    """Register ``inputs``, then the DataReferences the arguments literal casts, then the
    ``source_directory_data_store`` (the estimator's order)."""
    plan = InputsPlan()
    references: list[str] = []
    datasets: list[str] = []
    runtime = None
    if inputs is not None and not is_empty(inputs):
        items = inputs.elts if isinstance(inputs, (ast.List, ast.Tuple)) else None
        kinds = [_kind(item, ctx) for item in items] if items is not None else []
        if items is None or None in kinds or any(isinstance(item, ast.Starred) for item in items):
            runtime = f"{INPUTS.name}({ctx.text(inputs)}, {TARGET}.run_config)"
        else:
            for item, kind in zip(items, kinds):
                name = _named(item, kind, ctx, base, plan)
                (datasets if kind is Kind.DATASET_INPUT else references).append(name)
    references += [name for name in argument_references if name not in references]
    if references:
        pairs = ", ".join(f"{r}.data_reference_name: {r}.to_config()" for r in references)
        plan.follow_ups.append(f"{TARGET}.run_config.data_references.update({{{pairs}}})")
    if datasets:
        plan.follow_ups.append(f"{TARGET}.run_config.data = {{{', '.join(f'{d}.name: {d}' for d in datasets)}}}")
    if runtime is not None:
        plan.follow_ups.append(runtime)
        plan.helpers.add(INPUTS.name)
    if data_store is not None:
        text = ctx.text(data_store)
        plan.follow_ups += [f"{TARGET}.run_config.source_directory_data_store = {text}.name",
                            f"{TARGET}.run_config.data_references[{text}.name] = "
                            f"{text}._get_data_reference().to_config()"]
    return plan


def _kind(item: ast.expr, ctx: ModuleContext) -> Kind | None:
    if isinstance(item, ast.Starred):
        return None
    kind = ctx.kind(item)
    if kind in (Kind.DATA_REFERENCE, Kind.DATASTORE, Kind.DATASET_INPUT):
        return kind
    return Kind.DATA_REFERENCE if is_datareference(item, ctx) else None


def _named(item: ast.expr, kind: Kind, ctx: ModuleContext, base: str, plan: InputsPlan) -> str:
    """A name for the object the estimator got: the item's own, or one bound just before the statement.
    A Datastore stands for the mount of its root."""
    if kind is Kind.DATASTORE:
        name = ctx.fresh_name(f"{base}_input")
        plan.before.append(f"{name} = {ctx.text(item)}.as_mount()")
        return name
    if isinstance(item, ast.Name):
        return item.id
    name = ctx.fresh_name(f"{base}_input")
    plan.before.append(f"{name} = {ctx.text(item)}")
    return name


def is_datareference(item: ast.expr, ctx: ModuleContext) -> bool:
    """``ds.path(...).as_mount()`` and friends, ``DataReference(...)``, or a name bound to one on
    every path."""
    if isinstance(item, ast.Name):
        binding = ctx.binding(item)
        return binding is not None and binding.value is not None and is_datareference(binding.value, ctx)
    if not isinstance(item, ast.Call):
        return False
    if (ctx.qualified(item.func) or "").endswith("DataReference"):
        return True
    func = item.func
    return isinstance(func, ast.Attribute) and func.attr in ("as_mount", "as_download", "as_upload") \
        and isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Attribute) \
        and func.value.func.attr == "path"
