"""``distributed_job_config`` -> a v2 ``distribution`` and ``instance_count``.

``MpiConfiguration(process_count_per_node=p, node_count=n)`` -> ``MpiDistribution(process_count_per_instance=p)``
on ``n`` instances; ``PyTorchConfiguration(communication_backend, process_count=P, node_count=n)`` ->
``PyTorchDistribution(process_count_per_instance=P // n)`` (v2 has no backend field: declared);
``TensorflowConfiguration(worker_count=w, parameter_server_count=s)`` -> ``TensorFlowDistribution(
worker_count=w, parameter_server_count=s)`` on ``w`` instances (v1 set the node count to the worker count).
A configuration bound to a name is read with the attributes set on it before the job (in straight-line
code of the same block); the statements stay for whatever else reads them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..astctx import ModuleContext
from .tokens import v2
from .uses import same_block, uses_of
from .values import Values

_CLASSES = {"azureml.core.runconfig.MpiConfiguration": "Mpi",
            "azureml.core.runconfig.PyTorchConfiguration": "PyTorch",
            "azureml.core.runconfig.TensorflowConfiguration": "Tensorflow"}
# Each class's parameters in order, with v1's defaults.
_PARAMETERS = {
    "Mpi": (("process_count_per_node", 1), ("node_count", 1)),
    "PyTorch": (("communication_backend", "Nccl"), ("process_count", None), ("node_count", 1)),
    "Tensorflow": (("worker_count", 1), ("parameter_server_count", 1)),
}


@dataclass
class DistributionPlan:
    distribution: str | None = None
    instance_count: str | None = None  # None: one instance
    changes: list[str] = field(default_factory=list)
    blocker: str | None = None


def plan_distribution(expr: ast.expr, job: ast.stmt, ctx: ModuleContext, values: Values) -> DistributionPlan:
    call, settings = _configuration(expr, job, ctx, values)
    if call is None:
        return DistributionPlan(blocker=settings if isinstance(settings, str) else
                                f"distributed_job_config={ctx.text(expr)} is not a configuration this fix can read")
    assert isinstance(settings, dict)
    kind = _CLASSES[ctx.qualified(call.func) or ""]
    texts: dict[str, str] = {}
    for name, default in _PARAMETERS[kind]:
        node = settings.get(name)
        text = repr(default) if node is None else values.literal_or_text(node, job)
        if text is None:
            return DistributionPlan(blocker=f"the {name} of the distributed configuration reads something v2 "
                                            f"code cannot")
        texts[name] = text
    if kind == "Mpi":
        per_node = texts["process_count_per_node"]
        return DistributionPlan(f"{v2('MpiDistribution')}(process_count_per_instance={per_node})",
                                _count(texts["node_count"]))
    if kind == "Tensorflow":
        return DistributionPlan(f"{v2('TensorFlowDistribution')}(worker_count={texts['worker_count']}, "
                                f"parameter_server_count={texts['parameter_server_count']})",
                                _count(texts["worker_count"]))
    plan = DistributionPlan(instance_count=_count(texts["node_count"]))
    per_instance = _per_instance(texts["process_count"], texts["node_count"])
    plan.distribution = f"{v2('PyTorchDistribution')}(process_count_per_instance={per_instance})"
    backend = texts["communication_backend"]
    plan.changes.append(f"distribution: communication_backend {backend} has no v2 field (PyTorch picks it "
                        f"itself: nccl on GPUs, gloo on CPUs)")
    return plan


def _configuration(expr: ast.expr, job: ast.stmt, ctx: ModuleContext,
                   values: Values) -> tuple[ast.Call | None, dict[str, ast.expr] | str | None]:
    """The constructor call and its settings: arguments by name, then attributes set before ``job``."""
    if isinstance(expr, ast.Call):
        return (expr, _arguments(expr, ctx)) if ctx.qualified(expr.func) in _CLASSES else (None, None)
    if not isinstance(expr, ast.Name):
        return None, None
    binding = ctx.binding(expr)
    call = binding.value if binding is not None else None
    if not isinstance(call, ast.Call) or ctx.qualified(call.func) not in _CLASSES or binding is None:
        return None, None
    settings = _arguments(call, ctx)
    if settings is None or binding.statement is None:
        return None, "the distributed configuration passes arguments this fix cannot read"
    for use in uses_of(binding, ctx):
        if use.kind == "write":
            straight = same_block(binding.statement, use.statement, ctx)  # type: ignore[arg-type]
            if not (use.alone() and len(use.path) == 1 and straight and values.same_cell(use.statement, job)):
                return None, f"{expr.id} is changed on line {use.statement.lineno} where this fix cannot follow it"
            if use.statement.lineno < job.lineno:
                settings[use.path[0]] = use.value  # type: ignore[assignment]
            elif same_block(job, use.statement, ctx):
                return None, f"{expr.id} is changed on line {use.statement.lineno}, after the job is built"
    return call, settings


def _arguments(call: ast.Call, ctx: ModuleContext) -> dict[str, ast.expr] | None:
    """The constructor's arguments by parameter name."""
    names = [name for name, _ in _PARAMETERS[_CLASSES[ctx.qualified(call.func) or ""]]]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords) \
            or len(call.args) > len(names):
        return None
    return {**dict(zip(names, call.args)), **{k.arg: k.value for k in call.keywords if k.arg}}


def _count(text: str) -> str | None:
    return None if text == "1" else text


def _per_instance(processes: str, nodes: str) -> str:
    if processes == "None":  # PyTorchConfiguration: process_count "By default ... set to the node_count"
        return "1"
    if processes.isdigit() and nodes.isdigit():
        return str(int(processes) // int(nodes))
    return f"{processes} // {nodes}"
