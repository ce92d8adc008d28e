"""AML201: a hand-built ``RunConfiguration`` used only as one ``ScriptRunConfig(run_config=)`` is folded
into that call's keywords, when every attribute set on it has one.

``ScriptRunConfig(run_config=rc)`` takes ``rc``'s ``max_run_duration_seconds`` (None unless set), while
the keyword defaults to 2592000; the fold passes ``max_run_duration_seconds=None`` when ``rc`` never set
it, so the run configuration sent is the same (checked with the SDK in the tests).
"""

from __future__ import annotations

import ast

from .astctx import ModuleContext
from .plan import Outcome, Plan

# Where ``RunConfiguration`` is imported from: once every instance is folded, the import goes too.
RUNCONFIGURATION_MODULES = ("azureml.core.runconfig", "azureml.core")
KEYWORD_OF = {"target": "compute_target", "environment": "environment",
              "max_run_duration_seconds": "max_run_duration_seconds", "docker": "docker_runtime_config"}


def plan_runconfiguration(call: ast.Call, ctx: ModuleContext, plan: Plan) -> Outcome:
    at = (call.lineno, call.col_offset)
    statement = ctx.statement_of(call)
    if call.args or call.keywords:
        return Outcome("AML201", at, "manual", "RunConfiguration(...) arguments have no ScriptRunConfig keyword")
    if not (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return Outcome("AML201", at, "manual", "the RunConfiguration is not bound to a name: fold it by hand")
    name = statement.targets[0].id
    writes, config, blocker = _uses(name, statement, ctx)
    if blocker:
        return Outcome("AML201", at, "manual", blocker)
    assert config is not None
    if not all(ctx.holds_statements(s) for s in [statement, *writes]):
        return Outcome("AML201", at, "manual", f"{name} is set in one-line bodies: fold it by hand")
    keywords: list[tuple[str, str]] = []
    for write in writes:
        attribute = write.targets[0].attr  # type: ignore[attr-defined]
        if attribute not in KEYWORD_OF:
            return Outcome("AML201", at, "manual", f"{name}.{attribute} has no ScriptRunConfig keyword")
        if not _stable(write.value, config, ctx):
            return Outcome("AML201", at, "manual", f"the value of {name}.{attribute} may change before the "
                                                   f"ScriptRunConfig is built")
        keywords.append((KEYWORD_OF[attribute], ctx.text(write.value)))
    given = {k.arg for k in config.keywords}
    clash = [k for k, _ in keywords if k in given]
    if clash:
        return Outcome("AML201", at, "manual", f"the ScriptRunConfig also passes {', '.join(clash)} (ignored while "
                                               f"run_config= is given): decide which one wins by hand")
    if "max_run_duration_seconds" not in {k for k, _ in keywords}:
        keywords.append(("max_run_duration_seconds", "None"))
    edit = plan.call((config.lineno, config.col_offset))
    edit.drop.add("run_config")
    edit.append += keywords
    for removed in [statement, *writes]:
        plan.statement((removed.lineno, removed.col_offset)).remove = True
    shown = ", ".join(f"{k}=" for k, _ in keywords)
    return Outcome("AML201", at, "safe", f"folded {name} into ScriptRunConfig({shown})")


def _uses(name: str, statement: ast.Assign, ctx: ModuleContext) -> tuple[list[ast.Assign], ast.Call | None, str | None]:
    """The ``name.attr = value`` statements and the one ScriptRunConfig that takes ``name``."""
    writes: list[ast.Assign] = []
    config: ast.Call | None = None
    binding = ctx.binding_made(statement, name)
    for use in ctx.uses(binding) if binding is not None else ():
        parent = ctx.parents.get(use)
        if ctx.flow.reaching(use) != {binding}:
            return [], None, f"{name} may hold another value where it is used on line {use.lineno}"
        if isinstance(parent, ast.Attribute) and isinstance(parent.ctx, ast.Store):
            write = ctx.parents.get(parent)
            if not (isinstance(write, ast.Assign) and len(write.targets) == 1 and write.lineno > statement.lineno):
                return [], None, f"{name}.{parent.attr} is set in a way the fix cannot follow"
            writes.append(write)
        elif isinstance(parent, ast.keyword) and parent.arg == "run_config" and config is None \
                and (ctx.qualified(ctx.parents[parent].func) or "").endswith("ScriptRunConfig"):  # type: ignore[attr-defined]
            config = ctx.parents[parent]  # type: ignore[assignment]
        else:
            return [], None, f"{name} is used elsewhere than ScriptRunConfig(run_config={name})"
    if config is None:
        return [], None, f"{name} is not passed as one ScriptRunConfig's run_config="
    if any(write.lineno > config.lineno for write in writes):
        return [], None, f"{name} is changed after the ScriptRunConfig is built"
    return writes, config, None


def _stable(value: ast.expr, config: ast.Call, ctx: ModuleContext) -> bool:
    """Evaluating ``value`` at the ScriptRunConfig instead gives the same object: every name in it
    holds the same binding there, and the only calls are to azureml constructors (``DockerConfiguration(...)``)."""
    for node in ast.walk(value):
        if isinstance(node, ast.Name) and ctx.flow.reaching(node) != ctx.visible(node.id, config):
            return False
        if isinstance(node, ast.Call) and not (ctx.qualified(node.func) or "").startswith("azureml.core."):
            return False
    return True
