"""Distributed settings of an estimator -> ``distributed_job_config`` (SDK_FACTS.md section 6), and
AML103's deprecated objects -> their ``azureml.core.runconfig`` replacements."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..sdk.names import lookup
from ..analysis.scopes import Binding
from .astctx import UNKNOWN, ModuleContext, is_none
from .plan import TARGET, Position

if TYPE_CHECKING:
    from .estimator import EstimatorJob

REPLACEMENT = {"Mpi": "MpiConfiguration", "Gloo": "PyTorchConfiguration", "Nccl": "PyTorchConfiguration",
               "ParameterServer": "TensorflowConfiguration"}
# Which estimator classes accept which deprecated object (``_DistributedTraining.validate``).
_ACCEPTED_BY = {"Mpi": {"Estimator", "PyTorch", "TensorFlow", "Chainer"}, "Gloo": {"Estimator", "PyTorch"},
                "Nccl": {"Estimator", "PyTorch"}, "ParameterServer": {"Estimator", "TensorFlow"}}
# New-style configurations the estimator honoured; anything else it silently ignored.
_HONOURED = {"MpiConfiguration": {"Estimator", "PyTorch", "TensorFlow", "Chainer"},
             "TensorflowConfiguration": {"TensorFlow"}}
_BACKENDS = {"Estimator": {"mpi"}, "PyTorch": {"mpi", "gloo", "nccl"}, "TensorFlow": {"mpi", "ps"},
             "Chainer": {"mpi"}}

Rewrite = tuple[str, list[tuple[str, str]]]  # (new callee, keywords appended)


@dataclass
class DistributedPlan:
    config: str | None = None  # source for distributed_job_config=
    imports: set[str] = field(default_factory=set)  # names from azureml.core.runconfig
    rewrites: list[tuple[Position, Rewrite]] = field(default_factory=list)  # deprecated objects bound elsewhere
    covered: list[Position] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    blocker: str | None = None


def deprecated_kind(call: ast.Call, ctx: ModuleContext) -> str | None:
    sdk = lookup(ctx.qualified(call.func))
    return sdk.name if sdk and sdk.name in REPLACEMENT else None


def replacement(kind: str) -> Rewrite:
    """``Mpi(2)`` -> ``MpiConfiguration(2)``: the positional order of the old and new classes agrees."""
    backend = [("communication_backend", repr(kind))] if kind in ("Gloo", "Nccl") else []
    return REPLACEMENT[kind], backend


def plan_distributed(job: EstimatorJob, ctx: ModuleContext) -> DistributedPlan:
    kw = job.keywords
    training, backend = kw.get("distributed_training"), kw.get("distributed_backend")
    if training is not None and not is_none(training) and backend is not None and not is_none(backend):
        return DistributedPlan(blocker="both distributed_backend and distributed_training: the estimator raised "
                                       "TrainingException; keep one")
    if training is not None and not is_none(training):
        return _training(job, training, ctx)
    if backend is not None and not is_none(backend):
        return _backend(job, backend, ctx)
    return DistributedPlan()


def _backend(job: EstimatorJob, backend: ast.expr, ctx: ModuleContext) -> DistributedPlan:
    kw = job.keywords
    if not (isinstance(backend, ast.Constant) and isinstance(backend.value, str)):
        return DistributedPlan(blocker="distributed_backend is computed at run time")
    name = backend.value.lower()
    if name not in _BACKENDS.get(job.cls, set()):
        return DistributedPlan(blocker=f"{job.cls} rejects distributed_backend={backend.value!r}")
    keyword = _keyword_position(job.call, "distributed_backend")
    nodes = _arg("node_count", kw, ctx)
    if name == "mpi":
        args = _join(_arg("process_count_per_node", kw, ctx), nodes)
        plan = DistributedPlan(f"MpiConfiguration({args})", {"MpiConfiguration"})
    elif name in ("gloo", "nccl"):
        args = _join(f"communication_backend={name.capitalize()!r}", nodes)
        plan = DistributedPlan(f"PyTorchConfiguration({args})", {"PyTorchConfiguration"})
    else:
        args = _join(_arg("worker_count", kw, ctx), _arg("parameter_server_count", kw, ctx))
        plan = DistributedPlan(f"TensorflowConfiguration({args})", {"TensorflowConfiguration"})
        _node_count_follow_up(plan, kw, ctx, kw.get("worker_count"))
    plan.covered.append(keyword)
    return plan


def _training(job: EstimatorJob, training: ast.expr, ctx: ModuleContext) -> DistributedPlan:
    value, name, binding = training, None, None
    if isinstance(training, ast.Name):
        binding = ctx.binding(training)
        value, name = (binding.value if binding else None), training.id
    if isinstance(value, ast.IfExp):
        return _conditional(job, value, training, name, binding, ctx)
    if not isinstance(value, ast.Call):
        return DistributedPlan(blocker="distributed_training is built at run time")
    return _configuration(job, value, training, name, binding, ctx)


def _conditional(job: EstimatorJob, value: ast.IfExp, training: ast.expr, name: str | None,
                 binding: Binding | None, ctx: ModuleContext) -> DistributedPlan:
    """``MpiConfiguration() if nodes > 1 else None``: the configuration one way, none the other."""
    branches = [branch for branch in (value.body, value.orelse) if not is_none(branch)]
    if len(branches) != 1 or not isinstance(branches[0], ast.Call):
        return DistributedPlan(blocker="distributed_training is chosen at run time")
    call = branches[0]
    plan = _configuration(job, call, call if name is None else training, name, binding, ctx)
    if plan.blocker or name is not None:
        return plan
    test = ctx.text(value.test)
    # Without a configuration both run one node: the estimator raised for a node_count above one.
    plan.config = f"{plan.config} if {test} else None" if call is value.body else f"None if {test} else {plan.config}"
    return plan


def _configuration(job: EstimatorJob, value: ast.Call, training: ast.expr, name: str | None,
                   binding: Binding | None, ctx: ModuleContext) -> DistributedPlan:
    kind = deprecated_kind(value, ctx)
    if kind:
        other = _other_use(binding, kind, ctx) if binding is not None else None
        if other is not None:
            return DistributedPlan(blocker=f"{name} is used as {kind}() on line {other}, where the "
                                           f"{REPLACEMENT[kind]} that replaces it may not do: migrate it by hand")
        return _deprecated(job, value, kind, name, ctx)
    sdk = lookup(ctx.qualified(value.func))
    new = sdk.name if sdk else ctx.text(value.func)
    if job.cls not in _HONOURED.get(new, set()):
        return DistributedPlan(blocker=f"the {job.cls} estimator ignored distributed_training={new}(...); "
                                       f"passing it as distributed_job_config would change the job")
    plan = DistributedPlan(ctx.text(training))
    worker = _keyword(value, "worker_count", 0) if new == "TensorflowConfiguration" else \
        _keyword(value, "node_count", 1)
    _node_count_follow_up(plan, job.keywords, ctx, worker, shared=name is not None)
    return plan


def _deprecated(job: EstimatorJob, call: ast.Call, kind: str, name: str | None,
                ctx: ModuleContext) -> DistributedPlan:
    if job.cls not in _ACCEPTED_BY[kind]:
        return DistributedPlan(blocker=f"the {job.cls} estimator rejects {kind}()")
    kw = job.keywords
    func, backend = replacement(kind)
    position = (call.lineno, call.col_offset)
    if name is not None:
        plan = DistributedPlan(name, {func}, rewrites=[(position, (func, backend))])
        worker = _keyword(call, "worker_count", 0) if kind == "ParameterServer" else None
        _node_count_follow_up(plan, kw, ctx, worker, shared=True)
    else:
        own = [ctx.text(a) for a in call.args] + [f"{k.arg}={ctx.text(k.value)}" for k in call.keywords]
        extra = [f"{k}={v}" for k, v in backend]
        if kind != "ParameterServer":
            extra.append(_arg("node_count", kw, ctx))
        plan = DistributedPlan(f"{func}({_join(*own, *extra)})", {func}, covered=[position])
        if kind == "ParameterServer":
            _node_count_follow_up(plan, kw, ctx, _keyword(call, "worker_count", 0))
    return plan


def _node_count_follow_up(plan: DistributedPlan, kw: dict[str, ast.expr], ctx: ModuleContext,
                          config_nodes: ast.expr | None, *, shared: bool = False) -> None:
    """The estimator's ``rc.node_count`` is its ``node_count``; ScriptRunConfig takes it from the
    configuration (TensorFlow: ``worker_count``). Say it again when the two may differ (a configuration
    bound to a name may be changed anywhere it is used)."""
    nodes = kw.get("node_count")
    if not shared and ctx.constant(nodes, 1) == ctx.constant(config_nodes, 1) != UNKNOWN:
        return
    plan.follow_ups.append(f"{TARGET}.run_config.node_count = {ctx.text(nodes) if nodes is not None else '1'}")


# What a deprecated object and the configuration replacing it both have: reading or setting these
# elsewhere works on either (``Mpi.process_count_per_node`` is ``MpiConfiguration.process_count_per_node``).
_SHARED_ATTRIBUTES = {"Mpi": {"process_count_per_node"}, "Gloo": set(), "Nccl": set(),
                      "ParameterServer": {"worker_count", "parameter_server_count"}}
_SHOWN_BY = frozenset({"print", "str", "repr", "format"})


def _other_use(binding: Binding, kind: str, ctx: ModuleContext) -> int | None:
    """The line of a use of the deprecated object other than an estimator's ``distributed_training``, a
    shared attribute, or being shown."""
    for use in ctx.uses(binding):
        parent = ctx.parents.get(use)
        if isinstance(parent, ast.keyword) and parent.arg == "distributed_training":
            continue
        if isinstance(parent, ast.Attribute) and parent.attr in _SHARED_ATTRIBUTES[kind]:
            continue
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in _SHOWN_BY:
            continue
        return use.lineno
    return None


def _keyword_position(call: ast.Call, name: str) -> Position:
    for k in call.keywords:
        if k.arg == name:
            return (k.lineno, k.col_offset)
    raise KeyError(name)


def _keyword(call: ast.Call, name: str, position: int | None) -> ast.expr | None:
    for k in call.keywords:
        if k.arg == name:
            return k.value
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _arg(name: str, kw: dict[str, ast.expr], ctx: ModuleContext) -> str:
    return f"{name}={ctx.text(kw[name])}" if name in kw else ""


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p)
