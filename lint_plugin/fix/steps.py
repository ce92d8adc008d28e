"""AML104 (``HyperDriveConfig(estimator=)``) and AML105 (``EstimatorStep``), SDK_FACTS.md section 10.

Both only rewire a configuration the AML101 fix has already turned into a ``ScriptRunConfig``; when
that estimator stays manual (or is built where the fixer cannot see it), so do they.
"""

from __future__ import annotations

import ast

from ..sdk.names import HYPERDRIVE_POSITIONAL
from .astctx import ModuleContext, dotted
from .helpers import SWEEP
from .plan import ExprEdit, Outcome, Plan

_STEPS = "azureml.pipeline.steps"
_HYPERDRIVE = "azureml.train.hyperdrive"


def hyperdrive_class(call: ast.Call, ctx: ModuleContext) -> str:
    """``HyperDriveConfig``, or the deprecated ``HyperDriveRunConfig``."""
    return "HyperDriveRunConfig" if (ctx.qualified(call.func) or dotted(call.func) or "").endswith(
        "HyperDriveRunConfig") else "HyperDriveConfig"


def hyperdrive_argument(call: ast.Call, name: str, ctx: ModuleContext) -> ast.expr | None:
    """The expression a HyperDrive class gets for parameter ``name``, by keyword or by position."""
    for k in call.keywords:
        if k.arg == name:
            return k.value
    index = HYPERDRIVE_POSITIONAL[hyperdrive_class(call, ctx)].index(name)
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return call.args[index]
    return None


def hyperparameter_names(call: ast.Call, ctx: ModuleContext) -> set[str] | None:
    """The parameter names of ``hyperparameter_sampling`` (dashes stripped, as HyperDrive compares)."""
    sampling = hyperdrive_argument(call, "hyperparameter_sampling", ctx)
    if isinstance(sampling, ast.Name):
        binding = ctx.binding(sampling)
        sampling = binding.value if binding else None
    if not isinstance(sampling, ast.Call) or not sampling.args:
        return None
    space = sampling.args[0]
    if isinstance(space, ast.Name):
        binding = ctx.binding(space)
        space = binding.value if binding else None
    if not isinstance(space, ast.Dict):
        return None
    names = set()
    for key in space.keys:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        names.add(key.value.lstrip("-"))
    return names


def consumer_blocker(code: str, call: ast.Call, ctx: ModuleContext) -> str | None:
    """Why the HyperDriveConfig/EstimatorStep ``call`` cannot be rewritten, whatever becomes of its estimator.

    The estimator it gets must then stay an estimator too: a ScriptRunConfig passed as ``estimator=``
    fails."""
    if code == "AML104":
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return "*args or **kwargs passed through: pass run_config= by hand"
        if hyperdrive_argument(call, "estimator", ctx) is None:
            return "the estimator is not found among the arguments: pass run_config= by hand"
        return None
    if call.args or any(k.arg is None for k in call.keywords):
        return "positional or ** arguments: rewrite to PythonScriptStep by hand"
    estimator = next((k.value for k in call.keywords if k.arg == "estimator"), None)
    if isinstance(estimator, ast.Name) and _estimator_has(ctx, estimator, ("inputs", "script_params")):
        return "the estimator has inputs/script_params, which EstimatorStep rejects or clears: rewrite the step by hand"
    return None


def plan_hyperdrive(call: ast.Call, ctx: ModuleContext, plan: Plan, fixed: dict[str, bool]) -> Outcome:
    """``estimator=est`` -> ``run_config=est`` (the deprecated HyperDriveRunConfig becomes HyperDriveConfig,
    with every argument named). Where HyperDrive must not see the arguments its parameter space sets
    and the rewrite could not leave them out (``fixed[name]``), it gets a copy less them at run time."""
    at = (call.lineno, call.col_offset)
    blocker = consumer_blocker("AML104", call, ctx)
    if blocker:
        return Outcome("AML104", at, "manual", blocker)
    estimator = hyperdrive_argument(call, "estimator", ctx)
    if not (isinstance(estimator, ast.Name) and estimator.id in fixed):
        return Outcome("AML104", at, "manual", "the estimator is built elsewhere or left manual: migrate it to "
                                               "a ScriptRunConfig first")
    cls = hyperdrive_class(call, ctx)
    edit = plan.call(at)
    edit.positional = list(HYPERDRIVE_POSITIONAL[cls][: len(call.args)])
    edit.rename["estimator"] = "run_config"
    summary = f"estimator={estimator.id} -> run_config={estimator.id}"
    if cls == "HyperDriveRunConfig":
        edit.func = ctx.text(call.func).removesuffix("HyperDriveRunConfig") + "HyperDriveConfig"
        if isinstance(call.func, ast.Name):
            plan.imports.add.add((_HYPERDRIVE, "HyperDriveConfig"))
        summary = f"HyperDriveRunConfig(estimator=...) -> HyperDriveConfig(run_config=...); {summary}"
    if fixed[estimator.id]:
        sampling = hyperdrive_argument(call, "hyperparameter_sampling", ctx)
        if sampling is None:
            return Outcome("AML104", at, "manual", "no hyperparameter_sampling found to leave out the tuned arguments")
        name = ctx.text(sampling)
        if not isinstance(sampling, ast.Name):
            name = ctx.fresh_name("parameter_sampling")
            statement = ctx.statement_of(call)
            if not ctx.holds_statements(statement):
                return Outcome("AML104", at, "manual", "built where the sampling cannot be bound to a name first")
            plan.statement((statement.lineno, statement.col_offset)).before.append(f"{name} = {ctx.text(sampling)}")
            plan.exprs.append(ExprEdit((sampling.lineno, sampling.col_offset),
                                       (sampling.end_lineno, sampling.end_col_offset), name))  # type: ignore[arg-type]
        edit.values["estimator"] = f"{SWEEP.name}({estimator.id}, {name})"
        plan.imports.helpers.add(SWEEP.name)
        summary += (", less the arguments its parameter space sets (HyperDrive left those out for an estimator "
                    "only)")
    return Outcome("AML104", at, "safe", summary)


def plan_estimator_step(call: ast.Call, ctx: ModuleContext, plan: Plan, fixed: dict[str, bool]) -> Outcome:
    at = (call.lineno, call.col_offset)
    blocker = consumer_blocker("AML105", call, ctx)
    if blocker:
        return Outcome("AML105", at, "manual", blocker)
    keywords = {k.arg: k.value for k in call.keywords}
    estimator = keywords.get("estimator")
    if not (isinstance(estimator, ast.Name) and estimator.id in fixed):
        return Outcome("AML105", at, "manual", "the estimator is built elsewhere or left manual: migrate it to "
                                               "a ScriptRunConfig first")
    name = estimator.id
    edit = plan.call(at)
    edit.func = "PythonScriptStep"
    edit.drop.add("estimator")
    if "estimator_entry_script_arguments" in keywords:
        edit.rename["estimator_entry_script_arguments"] = "arguments"
    edit.append += [("script_name", f"{name}.script"), ("runconfig", f"{name}.run_config"),
                    ("source_directory", f"{name}.source_directory")]
    plan.imports.add.add((_STEPS, "PythonScriptStep"))
    return Outcome("AML105", at, "safe", f"EstimatorStep(estimator={name}) -> "
                                         f"PythonScriptStep(runconfig={name}.run_config)")


def _estimator_has(ctx: ModuleContext, name: ast.Name, keywords: tuple[str, ...]) -> bool:
    binding = ctx.single_binding(name.id, name)
    call = binding.value if binding else None
    if not isinstance(call, ast.Call):
        return True
    return any(k.arg in keywords and not (isinstance(k.value, ast.Constant) and k.value.value is None)
               for k in call.keywords)
