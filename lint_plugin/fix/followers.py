"""Uses of an estimator after it is built, rewritten for the ScriptRunConfig that replaces it.

Real code configures an estimator after construction (``est._estimator_config.environment.python
.interpreter_path = ...``, ``est.conda_dependencies.add_pip_package(...)``). Once ``est`` holds a
ScriptRunConfig those members do not exist: each becomes the ScriptRunConfig's equivalent, the same
object the estimator exposed (SDK_FACTS.md section 13: the run configuration, its environment's
conda dependencies). A member with no equivalent leaves the whole estimator to a human.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..analysis.scopes import Binding
from .astctx import ModuleContext, dotted
from .plan import ExprEdit

# Estimator member -> what the ScriptRunConfig holds in its place (``{}`` is the configuration).
_MEMBERS = {
    "run_config": "{}.run_config",
    "_estimator_config": "{}.run_config",
    "conda_dependencies": "{}.run_config.environment.python.conda_dependencies",
    "source_directory": "{}.source_directory",
}
# The estimator's run configuration held the script and its arguments; a ScriptRunConfig holds them itself.
_RUN_CONFIG_MEMBERS = {"arguments": "{}.arguments", "script": "{}.script"}
_ENVIRONMENT_MEMBERS = frozenset({"conda_dependencies"})
# What Estimator.submit let a submission override (SDK_FACTS.md section 9).
_SUBMIT_OVERRIDES = frozenset({"script_params", "inputs", "source_directory_data_store"})


@dataclass
class FollowersPlan:
    edits: list[ExprEdit] = field(default_factory=list)
    changes_environment: bool = False  # a use changes the environment object after it is built
    blocker: str | None = None


def plan_followers(binding: Binding | None, dotted_target: str | None, call: ast.Call,
                   keywords: dict[str, ast.expr], ctx: ModuleContext) -> FollowersPlan:
    """Rewrite every use of the estimator's variable that only an estimator has."""
    plan = FollowersPlan()
    for use, holder in _uses(binding, dotted_target, call, ctx):
        found = len(plan.edits)
        _rewrite(use, keywords, ctx, plan)
        if plan.blocker:
            break
        if len(plan.edits) > found and isinstance(use, ast.Name) and ctx.flow.reaching(use) != {holder}:
            plan.blocker = (f"{use.id} may hold something else where line {use.lineno} uses it as an estimator: "
                            f"migrate that use by hand")
            break
    return plan


def _uses(binding: Binding | None, dotted_target: str | None, call: ast.Call,
          ctx: ModuleContext) -> list[tuple[ast.expr, Binding | None]]:
    """The expressions that hold the estimator, each with the binding it is read through: reads of its
    name, of ``self.attr`` in its class, and, where a function returns it, what its callers get."""
    if binding is not None:
        found = [(use, binding) for use in ctx.uses(binding)]
    elif dotted_target is not None and "." in dotted_target:
        owner = _enclosing_class(call, ctx) or ctx.tree
        statement = ctx.statement_of(call)
        found = [(node, None) for node in ast.walk(owner) if isinstance(node, ast.Attribute)
                 and isinstance(node.ctx, ast.Load) and dotted(node) == dotted_target
                 and ctx.statement_of(node) is not statement]
    else:
        found = []
    returned = [use for use, _ in found if isinstance(ctx.parents.get(use), ast.Return)]
    if isinstance(ctx.parents.get(call), ast.Return):
        returned.append(call)
    for node in returned:
        found += _received(node, ctx)
    return found


def _received(returned: ast.expr, ctx: ModuleContext) -> list[tuple[ast.expr, Binding | None]]:
    """What the callers of the function returning ``returned`` hold it as: the calls themselves, or the
    names they bind the result to (one call level)."""
    function = ctx.scope_of(returned)
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    definition = ctx.binding_made(function, function.name)
    found: list[tuple[ast.expr, Binding | None]] = []
    for read in ctx.uses(definition) if definition is not None else ():
        caller = ctx.parents.get(read)
        if not (isinstance(caller, ast.Call) and caller.func is read):
            continue
        holder = ctx.parents.get(caller)
        if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name):
            result = ctx.binding_made(holder, holder.targets[0].id)
            found += [(use, result) for use in ctx.uses(result)] if result is not None else []
        else:
            found.append((caller, None))
    return found


def _rewrite(use: ast.expr, keywords: dict[str, ast.expr], ctx: ModuleContext, plan: FollowersPlan) -> None:
    member = ctx.parents.get(use)
    if isinstance(member, ast.Call) and isinstance(member.func, ast.Attribute) and member.func.attr == "submit" \
            and any(k.arg in _SUBMIT_OVERRIDES for k in member.keywords):
        plan.blocker = (f"submitted on line {member.lineno} with estimator overrides ("
                        f"{', '.join(k.arg for k in member.keywords if k.arg in _SUBMIT_OVERRIDES)}), which "
                        f"Experiment.submit rejects for a ScriptRunConfig: migrate both by hand")
        return
    if not isinstance(member, ast.Attribute) or member.value is not use:
        return  # the whole object: submitted, passed on, printed
    name, text = member.attr, ctx.text(use)
    if name == "_get_script_run_config" and _called_bare(member, ctx):
        _replace(ctx.parents[member], text, plan)
        return
    if name == "_compute_target":
        target = keywords.get("compute_target")
        if target is None or not ctx.same_names_at(target, member):
            plan.blocker = f"{text}._compute_target is read on line {member.lineno}: pass the compute target there"
        else:
            _replace(member, ctx.text(target), plan)
        return
    if name not in _MEMBERS:
        if not name.startswith("__"):
            plan.blocker = (f"{text}.{name} on line {member.lineno} has no ScriptRunConfig equivalent: migrate "
                            f"that use by hand")
        return
    plan.changes_environment |= name in _ENVIRONMENT_MEMBERS or _reaches_environment(member, ctx)
    inner = ctx.parents.get(member)
    if name in ("run_config", "_estimator_config") and isinstance(inner, ast.Attribute) \
            and inner.attr in _RUN_CONFIG_MEMBERS:
        _replace(inner, _RUN_CONFIG_MEMBERS[inner.attr].format(text), plan)
    elif name != "run_config" and name != "source_directory":
        _replace(member, _MEMBERS[name].format(text), plan)


def consumers_of(binding: Binding | None, ctx: ModuleContext) -> set[str]:
    """What takes the estimator: ``submit`` (an experiment's), ``hyperdrive``, ``step`` (EstimatorStep),
    ``other`` (passed on, returned: run time decides)."""
    found = set()
    for use in ctx.uses(binding) if binding is not None else ():
        parent = ctx.parents.get(use)
        if isinstance(parent, ast.keyword) and parent.arg == "estimator":
            found.add("hyperdrive" if "HyperDrive" in (dotted(ctx.parents[parent].func) or "") else "step")  # type: ignore[attr-defined]
        elif isinstance(parent, ast.Call) and use in parent.args and isinstance(parent.func, ast.Attribute) \
                and parent.func.attr == "submit":
            found.add("submit")
        elif not isinstance(parent, ast.Attribute):
            found.add("other")
    return found


def _reaches_environment(member: ast.Attribute, ctx: ModuleContext) -> bool:
    """``est.run_config.environment...``: the use goes on into the environment object."""
    inner = ctx.parents.get(member)
    return isinstance(inner, ast.Attribute) and inner.attr == "environment"


def _called_bare(member: ast.Attribute, ctx: ModuleContext) -> bool:
    call = ctx.parents.get(member)
    return isinstance(call, ast.Call) and call.func is member and not call.args and not call.keywords


def _replace(node: ast.expr, text: str, plan: FollowersPlan) -> None:
    plan.edits.append(ExprEdit((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset),  # type: ignore[arg-type]
                               text))


def _enclosing_class(node: ast.AST, ctx: ModuleContext) -> ast.ClassDef | None:
    while node in ctx.parents:
        node = ctx.parents[node]
        if isinstance(node, ast.ClassDef):
            return node
    return None
