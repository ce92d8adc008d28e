"""AML201 hand-built RunConfiguration for a job, AML401 ScriptRunConfig without an environment."""

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
            ctx.report("AML201", fact.call, keywords="compute_target=, environment=")
        return
    uses = [_use(ctx, read.node, read.parent, read.grandparent, ctx.flow.scope_of(read.node) or fact.scope)
            for read in ctx.flow.uses(binding)]
    if Use.JOB not in uses and any(use is not Use.CONFIGURE for use in uses):
        return
    writes = fact.scope.attr_writes.get(binding.name, [])
    keywords = sorted({KEYWORD_FOR_ATTRIBUTE.get(w.path[0], "distributed_job_config")
                       for w in writes if w.path[0] in KEYWORD_FOR_ATTRIBUTE or w.path[0] in _DISTRIBUTED_ATTRIBUTES})
    shown = ", ".join(f"{k}=" for k in keywords) or "compute_target=, environment="
    ctx.report("AML201", fact.call, keywords=shown)


def _binding_of_assignment(fact: CallFact) -> Binding | None:
    if fact.assigned_to is None:
        return None
    return next((b for b in fact.scope.bindings.get(fact.assigned_to, []) if b.value is fact.call), None)


def _use(ctx: Context, node: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None, scope: Scope) -> Use:
    """What a read of a RunConfiguration (or the inline constructor call) does with it."""
    if isinstance(parent, ast.Attribute):
        return Use.CONFIGURE
    if isinstance(parent, ast.keyword) and isinstance(grandparent, ast.Call):
        if parent.arg == "runconfig":
            return Use.PIPELINE
        return _use_as_argument(ctx, grandparent, scope, by_keyword=parent.arg)
    if isinstance(parent, ast.Call) and node in parent.args:
        return _use_as_argument(ctx, parent, scope, position_index=parent.args.index(node))
    return Use.UNKNOWN


def _use_as_argument(ctx: Context, call: ast.Call, scope: Scope, by_keyword: str | None = None,
                     position_index: int | None = None) -> Use:
    callee = ctx.resolver.constructed_class(call, scope)
    kind = callee.sdk.kind if callee else None
    if kind is Kind.PIPELINE_STEP:
        return Use.PIPELINE
    if kind is Kind.SCRIPT_RUN_CONFIG and (by_keyword == "run_config" or position_index == RUN_CONFIG_POSITION):
        return Use.JOB
    if kind is Kind.HYPERDRIVE_CONFIG and by_keyword == "run_config":
        return Use.JOB
    if isinstance(call.func, ast.Attribute) and call.func.attr == "submit" and position_index == 0:
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
