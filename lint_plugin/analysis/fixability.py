"""Which findings ``aml-migrate fix`` can rewrite, and how safely: pure ``ast``, no libcst.

The checker attaches these to findings; the fixer (``lint_plugin.fix``) must rewrite exactly the
findings marked safe or unsafe here and leave the manual ones alone.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..findings import Finding, Fix
from ..rules import BY_CODE
from ..sdk.names import Kind
from .estimator_facts import EstimatorFacts, find_workspace
from .resolve import Resolver, keyword, passes_unpacked
from .scopes import Scope

_RECOGNISED_DISTRIBUTED = frozenset({"Mpi", "Gloo", "Nccl", "ParameterServer", "MpiConfiguration",
                                     "TensorflowConfiguration", "PyTorchConfiguration"})


def _manual(reason: str) -> Fix:
    return Fix("manual", reason)


def _is_literal_container(expr: ast.expr | None, kinds: tuple[type, ...], scope: Scope, resolver: Resolver) -> bool:
    if expr is None:
        return True
    value, _ = resolver.value_of(expr, scope)
    return isinstance(value, kinds) or (isinstance(value, ast.Constant) and value.value is None)


def _distributed_is_recognised(expr: ast.expr | None, scope: Scope, resolver: Resolver) -> bool:
    if expr is None:
        return True
    value, value_scope = resolver.value_of(expr, scope)
    if isinstance(value, ast.Constant) and value.value is None:
        return True
    if not isinstance(value, ast.Call):
        return False
    resolved = resolver.constructed_class(value, value_scope)
    return resolved is not None and resolved.sdk.name in _RECOGNISED_DISTRIBUTED


def estimator_fix(call: ast.Call, facts: EstimatorFacts, scope: Scope, resolver: Resolver) -> Fix:
    blocker = _estimator_blocker(call, facts, scope, resolver)
    if blocker:
        return _manual(blocker)
    if facts.environment_definition:
        return Fix("safe", "rewrite to ScriptRunConfig with its environment_definition")
    curated = facts.curated()
    if curated and find_workspace(scope, resolver):
        extra = " cloned with its extra packages" if facts.has_packages else ""
        return Fix("unsafe", f"environment: estimator image -> curated '{curated}'{extra}")
    return Fix("safe", "rewrite to ScriptRunConfig with an Environment reproducing the estimator's")


def _estimator_blocker(call: ast.Call, facts: EstimatorFacts, scope: Scope, resolver: Resolver) -> str | None:
    if facts.cls == "ReinforcementLearningEstimator":
        return "the reinforcement learning service is decommissioned; remove or replace the job"
    if facts.subclass:
        return f"{facts.subclass} subclasses {facts.cls}: move its settings into a ScriptRunConfig by hand"
    if passes_unpacked(call):
        return "*args/**kwargs passed through"
    if len(call.args) > 1:
        return "positional arguments beyond source_directory"
    entry = resolver.literal(keyword(call, "entry_script") or ast.Constant(None), scope)
    if isinstance(entry, str) and entry.endswith(".ipynb"):
        return "a notebook entry script has no ScriptRunConfig equivalent"
    if not _is_literal_container(keyword(call, "script_params"), (ast.Dict,), scope, resolver):
        return "script_params built at run time"
    if not _is_literal_container(keyword(call, "inputs"), (ast.List, ast.Tuple), scope, resolver):
        return "inputs built at run time"
    if not _distributed_is_recognised(keyword(call, "distributed_training"), scope, resolver):
        return "distributed_training is not a recognised configuration"
    return None


def hyperdrive_fix(estimator: ast.expr, scope: Scope, resolver: Resolver) -> Fix:
    if _is_fixable_estimator_name(estimator, scope, resolver):
        return Fix("safe", "pass the migrated ScriptRunConfig as run_config=")
    return _manual("the estimator is built elsewhere: migrate it to a ScriptRunConfig first")


def estimator_step_fix(call: ast.Call, scope: Scope, resolver: Resolver) -> Fix:
    estimator = keyword(call, "estimator", 1)
    if estimator is not None and not passes_unpacked(call) and _is_fixable_estimator_name(estimator, scope, resolver):
        return Fix("safe", "rewrite to PythonScriptStep(runconfig=src.run_config)")
    return _manual("the estimator is built elsewhere: migrate it to a ScriptRunConfig first")


def _is_fixable_estimator_name(expr: ast.expr, scope: Scope, resolver: Resolver) -> bool:
    if not isinstance(expr, ast.Name):
        return False
    value, value_scope = resolver.value_of(expr, scope)
    if not isinstance(value, ast.Call):
        return False
    resolved = resolver.constructed_class(value, value_scope)
    return resolved is not None and resolved.sdk.kind is Kind.ESTIMATOR and resolved.subclass is None


def attach_fixes(tree: ast.Module, findings: list[Finding], source: str = "", env_style: str = "curated") -> list[Finding]:
    """Each finding with the fix ``aml-migrate fix`` will really make of it.

    The fixer's planner (``lint_plugin.fix.planner``, pure ``ast`` like this module) decides every
    finding's outcome once, for the checker and the fixer alike, so a finding marked safe or unsafe
    is exactly one that ``fix`` rewrites and a manual one is exactly one it leaves alone."""
    if not findings:
        return findings
    from ..fix.planner import plan_module

    try:
        _, outcomes = plan_module(source, findings, style=env_style, tree=tree)
    except (RecursionError, ValueError, KeyError, AttributeError, TypeError) as error:
        # A planner bug must not cost the user the findings themselves; ``fix`` reports it too.
        reason = f"the fixer cannot plan this file ({type(error).__name__}): please report it"
        return [replace(finding, fix=Fix("manual", reason)) for finding in findings]
    fixed = []
    for finding in findings:
        outcome = outcomes.get((finding.code, (finding.line, finding.column)))
        if outcome is None or not BY_CODE[finding.code].fixes:  # hint-only rules keep their message as is
            fixed.append(finding)
            continue
        summary = "; ".join(outcome.changes) if outcome.applicability == "unsafe" and outcome.changes \
            else outcome.summary
        fixed.append(replace(finding, fix=Fix(outcome.applicability, summary)))
    return fixed
