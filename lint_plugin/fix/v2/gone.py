"""What a plan leaves of the module: which reads it rewrites away, and the v1 statements and imports
that nothing reads any more once it is carried out.

A read is gone when it lies in a statement the plan removes, in an expression it replaces, in an
argument a rewritten call drops or gets a new value for, or is the callee a call gets a new name for.
A v1 object built only to be read by rewritten code (an Experiment, a Datastore, a Dataset, a
DataReference, a distributed configuration, an existing compute target) then has no reader: its
statement goes too, which may leave the objects it read without readers in turn. Statements with
effects (``ComputeTarget.create(...)``, ``Workspace.from_config()``) stay.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ...analysis.scopes import Binding
from ...sdk.names import Kind
from ..astctx import ModuleContext
from ..plan import Plan, Position
from .uses import binding_of_statement

# v1 objects whose construction only reads: safe to drop with their last reader.
_PURE_KINDS = frozenset({Kind.EXPERIMENT, Kind.DATASTORE, Kind.DATASET, Kind.DATA_REFERENCE, Kind.DATASET_INPUT,
                         Kind.DISTRIBUTED_CONFIG})
# HyperDrive's settings objects: a sampling of a search space, an early termination policy.
_HYPERDRIVE = "azureml.train.hyperdrive."
_SETTINGS = frozenset({"RandomParameterSampling", "GridParameterSampling", "BayesianParameterSampling", "BanditPolicy",
                       "MedianStoppingPolicy", "TruncationSelectionPolicy", "NoTerminationPolicy"})
_PURE_CALLS = ("azureml.core.runconfig.DockerConfiguration", "azureml.core.DockerConfiguration",
               "azureml.core.compute.ComputeTarget", "azureml.core.ComputeTarget",
               "azureml.core.compute.compute.ComputeTarget", "azureml.core.compute.AmlCompute",
               "azureml.core.compute.amlcompute.AmlCompute")


class GoneReads:
    def __init__(self, ctx: ModuleContext, plan: Plan) -> None:
        self.ctx = ctx
        self.removed = {edit.at for edit in plan.statements if edit.remove}
        self.spans = {(edit.at, edit.end) for edit in plan.exprs}
        self.calls = {edit.at: edit for edit in plan.calls}

    def covers(self, read: ast.AST) -> bool:
        node = read
        parents = self.ctx.parents
        while True:
            if isinstance(node, ast.stmt) and (node.lineno, node.col_offset) in self.removed:
                return True
            if isinstance(node, ast.expr) and _span(node) in self.spans:
                return True
            parent = parents.get(node)
            if parent is None:
                return False
            if isinstance(parent, ast.Call) and self._rewritten_part(parent, node):
                return True
            if isinstance(parent, ast.keyword):
                call = parents.get(parent)
                if isinstance(call, ast.Call) and self._rewritten_keyword(call, parent.arg):
                    return True
            node = parent

    def _rewritten_part(self, call: ast.Call, child: ast.AST) -> bool:
        edit = self.calls.get((call.lineno, call.col_offset))
        if edit is None:
            return False
        if child is call.func:
            return edit.func is not None
        if child in call.args:
            index = call.args.index(child)  # type: ignore[arg-type]
            name = edit.positional[index] if index < len(edit.positional) else None
            return name is not None and (name in edit.drop or name in edit.values)
        return False

    def _rewritten_keyword(self, call: ast.Call, name: str | None) -> bool:
        edit = self.calls.get((call.lineno, call.col_offset))
        return edit is not None and (name in edit.drop or name in edit.values or (name is None and "**" in edit.drop))

    def left(self, binding: Binding) -> list[ast.Name]:
        """The reads of ``binding`` the plan keeps."""
        return [read for read in self.ctx.uses(binding) if not self.covers(read)]


def _span(node: ast.expr) -> tuple[Position, Position]:
    return (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)  # type: ignore[return-value]


def drop_dead_statements(ctx: ModuleContext, plan: Plan, keep: Callable[[ast.Assign], bool]) -> None:
    """Remove the v1 objects built only for what the plan rewrote away, until none is left; ``keep``
    says which statements must stay whatever (the rewritten code reads them)."""
    candidates = [s for s in _assignments(ctx) if _pure(s.value, ctx) and not keep(s)]
    changed = True
    while changed:
        changed = False
        gone = GoneReads(ctx, plan)
        for statement in candidates:
            at = (statement.lineno, statement.col_offset)
            if at in gone.removed or not ctx.holds_statements(statement):
                continue
            binding = binding_of_statement(statement, ctx)
            if binding is None:
                continue
            reads = ctx.uses(binding)
            kept = [read for read in reads if not gone.covers(read)]
            writes = [_configuring(read, ctx) for read in kept]
            if len(kept) < len(reads) and all(writes):
                for removed in [statement, *writes]:
                    plan.statement((removed.lineno, removed.col_offset)).remove = True  # type: ignore[union-attr]
                changed = True


def _assignments(ctx: ModuleContext) -> list[ast.Assign]:
    return [node for node in ctx.parents if isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)]


def _pure(value: ast.expr, ctx: ModuleContext) -> bool:
    if isinstance(value, ast.Call):
        qualified = ctx.qualified(value.func) or ""
        if qualified in _PURE_CALLS or qualified.startswith(_HYPERDRIVE) and qualified.rpartition(".")[2] in _SETTINGS:
            return True
    return ctx.kind(value) in _PURE_KINDS and not _creates(value)


def _creates(value: ast.expr) -> bool:
    """``Datastore.register_azure_blob_container(...)``, ``ds.upload(...)``: building them does something."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr.startswith(("register", "upload", "create")):
            return True
    return False


def _configuring(read: ast.Name, ctx: ModuleContext) -> ast.stmt | None:
    """The statement ``name.attr = value`` (on a line of its own) that ``read`` is the target of."""
    attribute = ctx.parents.get(read)
    statement = ctx.parents.get(attribute) if attribute is not None else None
    if isinstance(attribute, ast.Attribute) and isinstance(attribute.ctx, ast.Store) \
            and isinstance(statement, ast.Assign) and statement.targets == [attribute] \
            and ctx.holds_statements(statement):
        return statement
    return None
