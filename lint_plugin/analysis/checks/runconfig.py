"""AML201 (and its SDK v2 twin AML603) hand-built RunConfiguration for a job, AML401 ScriptRunConfig
without an environment."""

from __future__ import annotations

import ast
from enum import Enum

from ...sdk.names import Kind
from ..context import Context
from ..resolve import is_none, keyword, passes_unpacked
from ..scopes import Binding, CallFact, Scope

# ScriptRunConfig(source_directory, script, arguments, run_config, _telemetry_values, compute_target, environment)
RUN_CONFIG_POSITION = 3
ENVIRONMENT_POSITION = 6
# RunConfiguration attributes that ScriptRunConfig takes as a keyword.
KEYWORD_FOR_ATTRIBUTE = {
    "target": "compute_target",
    "environment": "environment",
    "max_run_duration_seconds": "max_run_duration_seconds",
    "docker": "docker_runtime_config",
    "script": "script",
    "arguments": "arguments",
}
_DISTRIBUTED_ATTRIBUTES = frozenset({"framework", "communicator", "mpi", "node_count", "pytorch", "tensorflow"})


class Use(Enum):
    JOB = "job"
    PIPELINE = "pipeline"
    CONFIGURE = "configure"
    UNKNOWN = "unknown"


def check(ctx: Context) -> None:
    for fact, resolved in ctx.calls_of(Kind.RUN_CONFIGURATION, Kind.SCRIPT_RUN_CONFIG):
        if resolved.sdk.kind is Kind.RUN_CONFIGURATION:
            _check_run_configuration(ctx, fact)
        else:
            _check_environment(ctx, fact)


# -- AML201 ---------------------------------------------------------------------------------------

def _check_run_configuration(ctx: Context, fact: CallFact) -> None:
    binding = _binding_of_assignment(fact)
    if binding is None:
        if _use(ctx, fact.call, fact.parent, fact.grandparent, fact.scope) is Use.JOB:
            _report(ctx, fact.call, ["compute_target", "environment"])
        return
    uses = _uses_of_binding(ctx, binding, fact.scope, 0)
    if Use.JOB not in uses and any(use is not Use.CONFIGURE for use in uses):
        return
    writes = fact.scope.attr_writes.get(binding.name, [])
    keywords = sorted({KEYWORD_FOR_ATTRIBUTE.get(w.path[0], "distributed_job_config")
                       for w in writes if w.path[0] in KEYWORD_FOR_ATTRIBUTE or w.path[0] in _DISTRIBUTED_ATTRIBUTES})
    _report(ctx, fact.call, keywords or ["compute_target", "environment"])


# What a v2 command job takes each ScriptRunConfig keyword as.
_V2_KEYWORDS = {"compute_target": "compute", "environment": "environment", "max_run_duration_seconds": "timeout",
                "docker_runtime_config": "shm_size", "script": "command", "arguments": "command",
                "distributed_job_config": "distribution, instance_count"}


def _report(ctx: Context, call: ast.Call, keywords: list[str]) -> None:
    ctx.report("AML201", call, keywords=", ".join(f"{k}=" for k in keywords))
    v2 = dict.fromkeys(_V2_KEYWORDS.get(k, k) for k in keywords)
    ctx.report("AML603", call, keywords=", ".join(f"{k}=" for k in v2))


def _binding_of_assignment(fact: CallFact) -> Binding | None:
    if fact.assigned_to is None:
        return None
    return next((b for b in fact.scope.bindings.get(fact.assigned_to, []) if b.value is fact.call), None)


# How many functions a RunConfiguration is followed through: returned by a helper, passed to one.
_CALL_LEVELS = 2


def _uses_of_binding(ctx: Context, binding: Binding, scope: Scope, depth: int) -> list[Use]:
    return [_use(ctx, read.node, read.parent, read.grandparent, ctx.flow.scope_of(read.node) or scope, depth)
            for read in ctx.flow.uses(binding)]


def _use(ctx: Context, node: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None, scope: Scope,
         depth: int = 0) -> Use:
    """What a read of a RunConfiguration (or the inline constructor call) does with it: followed into
    the callers of a function that returns it and into a function it is passed to."""
    if isinstance(parent, ast.Attribute):
        return Use.CONFIGURE
    if isinstance(parent, ast.Return) and depth < _CALL_LEVELS:
        return _combined(_returned(ctx, parent, scope, depth + 1))
    if isinstance(parent, ast.keyword) and isinstance(grandparent, ast.Call):
        if parent.arg == "runconfig":
            return Use.PIPELINE
        return _use_as_argument(ctx, grandparent, scope, depth, by_keyword=parent.arg)
    if isinstance(parent, ast.Call) and node in parent.args:
        return _use_as_argument(ctx, parent, scope, depth, position_index=parent.args.index(node))
    return Use.UNKNOWN


def _combined(uses: list[Use]) -> Use:
    """One use for several: a job if any is one; configured only if all are; else the pipeline's, if any."""
    if Use.JOB in uses:
        return Use.JOB
    if uses and all(use is Use.CONFIGURE for use in uses):
        return Use.CONFIGURE
    return Use.PIPELINE if Use.PIPELINE in uses else Use.UNKNOWN


def _returned(ctx: Context, statement: ast.Return, scope: Scope, depth: int) -> list[Use]:
    """What the callers of the function that returns it do with the result."""
    function = scope.node
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or scope.parent is None:
        return []
    binding = next((b for b in scope.parent.bindings.get(function.name, ()) if b.definition is function), None)
    found: list[Use] = []
    for read in ctx.flow.uses(binding) if binding is not None else ():
        call = read.parent
        if not (isinstance(call, ast.Call) and call.func is read.node):
            continue
        outer = ctx.flow.scope_of(read.node) or scope
        holder = ctx.index.parents.get(call)
        assigned = holder.targets[0] if isinstance(holder, ast.Assign) and len(holder.targets) == 1 else None
        if isinstance(assigned, ast.Name):
            result = next((b for b in outer.bindings.get(assigned.id, ()) if b.value is call), None)
            found += _uses_of_binding(ctx, result, outer, depth) if result is not None else []
        else:
            found.append(_use(ctx, call, holder, ctx.index.parents.get(holder), outer, depth))  # type: ignore[arg-type]
    return found


def _passed(ctx: Context, call: ast.Call, depth: int, by_keyword: str | None, position_index: int | None) -> Use:
    """What a function of the module does with the parameter it gets the RunConfiguration as."""
    binding = ctx.flow.binding(call.func) if isinstance(call.func, ast.Name) else None
    function = binding.definition if binding is not None else None
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return Use.UNKNOWN
    positional = [*function.args.posonlyargs, *function.args.args]
    name = by_keyword if by_keyword is not None else \
        positional[position_index].arg if position_index is not None and position_index < len(positional) else None
    inner = ctx.scope_for(function)
    parameter = next((b for b in inner.bindings.get(name, ()) if b.statement is None), None) if inner and name else None
    return _combined(_uses_of_binding(ctx, parameter, inner, depth)) if parameter is not None else Use.UNKNOWN


def _use_as_argument(ctx: Context, call: ast.Call, scope: Scope, depth: int, by_keyword: str | None = None,
                     position_index: int | None = None) -> Use:
    if isinstance(call.func, ast.Attribute) and call.func.attr == "submit" and position_index == 0:
        return Use.JOB
    callee = ctx.resolver.constructed_class(call, scope)
    if callee is None and depth < _CALL_LEVELS:
        return _passed(ctx, call, depth + 1, by_keyword, position_index)
    kind = callee.sdk.kind if callee else None
    if kind is Kind.PIPELINE_STEP:
        return Use.PIPELINE
    if kind is Kind.SCRIPT_RUN_CONFIG and (by_keyword == "run_config" or position_index == RUN_CONFIG_POSITION):
        return Use.JOB
    if kind is Kind.HYPERDRIVE_CONFIG and by_keyword == "run_config":
        return Use.JOB
    return Use.UNKNOWN


# -- AML401 ---------------------------------------------------------------------------------------

def _check_environment(ctx: Context, fact: CallFact) -> None:
    call, scope = fact.call, fact.scope
    environment = keyword(call, "environment", ENVIRONMENT_POSITION)
    if (environment is not None and not is_none(environment)) or passes_unpacked(call):
        return
    run_config = keyword(call, "run_config", RUN_CONFIG_POSITION)
    if run_config is not None and not is_none(run_config) and _carries_environment(ctx, run_config, scope) is not False:
        return
    if fact.assigned_to and scope.sets_attribute(fact.assigned_to, ("run_config", "environment")):
        return
    ctx.report("AML401", call)


def _carries_environment(ctx: Context, run_config: ast.expr, scope: Scope) -> bool | None:
    """True/False for a RunConfiguration built in this module; None when it comes from elsewhere."""
    value, value_scope = ctx.resolver.value_of(run_config, scope)
    if not isinstance(value, ast.Call):
        return None
    constructed = ctx.resolver.constructed_class(value, value_scope)
    if constructed is None or constructed.sdk.kind is not Kind.RUN_CONFIGURATION:
        return None
    if keyword(value, "conda_dependencies", 4) is not None:
        return True
    return isinstance(run_config, ast.Name) and value_scope.sets_attribute(run_config.id, ("environment",))
