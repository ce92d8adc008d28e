"""AML104 (``HyperDriveConfig(estimator=)``) and AML105 (``EstimatorStep``), SDK_FACTS.md section 10.

Both only rewire a configuration the AML101 fix has already turned into a ``ScriptRunConfig``; when
that estimator stays manual (or is built where the fixer cannot see it), so do they.
"""

from __future__ import annotations

import ast

from .astctx import ModuleContext
from .plan import Outcome, Plan

_STEPS = "azureml.pipeline.steps"


def hyperparameter_names(call: ast.Call, ctx: ModuleContext) -> set[str] | None:
    """The parameter names of ``hyperparameter_sampling`` (dashes stripped, as HyperDrive compares)."""
    sampling = next((k.value for k in call.keywords if k.arg == "hyperparameter_sampling"),
                    call.args[0] if call.args else None)
    if isinstance(sampling, ast.Name):
        binding = ctx.single_binding(sampling.id, sampling)
        sampling = binding.value if binding else None
    if not isinstance(sampling, ast.Call) or not sampling.args:
        return None
    space = sampling.args[0]
    if isinstance(space, ast.Name):
        binding = ctx.single_binding(space.id, space)
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
        if not any(k.arg == "estimator" for k in call.keywords):
            return "the estimator is passed positionally: pass run_config= by hand"
        return None
    if call.args or any(k.arg is None for k in call.keywords):
        return "positional or ** arguments: rewrite to PythonScriptStep by hand"
    estimator = next((k.value for k in call.keywords if k.arg == "estimator"), None)
    if isinstance(estimator, ast.Name) and _estimator_has(ctx, estimator, ("inputs", "script_params")):
        return "the estimator has inputs/script_params, which EstimatorStep rejects or clears: rewrite the step by hand"
    return None


def plan_hyperdrive(call: ast.Call, ctx: ModuleContext, plan: Plan, fixed: set[str]) -> Outcome:
    at = (call.lineno, call.col_offset)
    blocker = consumer_blocker("AML104", call, ctx)
    if blocker:
        return Outcome("AML104", at, "manual", blocker)
    estimator = next(k.value for k in call.keywords if k.arg == "estimator")
    if not (isinstance(estimator, ast.Name) and estimator.id in fixed):
        return Outcome("AML104", at, "manual", "the estimator is built elsewhere or left manual: migrate it to "
                                               "a ScriptRunConfig first")
    plan.call(at).rename["estimator"] = "run_config"
    return Outcome("AML104", at, "safe", f"estimator={estimator.id} -> run_config={estimator.id}")


def plan_estimator_step(call: ast.Call, ctx: ModuleContext, plan: Plan, fixed: set[str]) -> Outcome:
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
