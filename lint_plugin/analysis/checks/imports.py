"""AML102: imports of the deprecated estimator modules, classes and EstimatorStep."""

from __future__ import annotations

import ast

from ...sdk.names import BY_PATH, DEPRECATED_MODULES, DISTRIBUTED_REPLACEMENTS, Kind, module_is_deprecated
from ..context import Context

_ESTIMATOR_STEP_ADVICE = "use CommandStep or PythonScriptStep from azureml.pipeline.steps"
_ESTIMATOR_ADVICE = "use ScriptRunConfig and Environment from azureml.core"
_ESTIMATORS = frozenset({"Estimator", "PyTorch", "TensorFlow", "Chainer", "SKLearn", "MMLBaseEstimator"})


def check(ctx: Context) -> None:
    for fact in ctx.index.imports:
        if fact.in_shim:
            continue
        node = fact.node
        if isinstance(node, ast.Import):
            for alias in node.names:
                deprecated = module_is_deprecated(alias.name)
                if deprecated:
                    ctx.report("AML102", node, what=f"'{alias.name}'",
                               replacement=DEPRECATED_MODULES[deprecated])
                    break
        elif node.module and not node.level:
            _check_from_import(ctx, node, node.module)


def _check_from_import(ctx: Context, node: ast.ImportFrom, module: str) -> None:
    names = [alias.name for alias in node.names]
    deprecated = module_is_deprecated(module)
    flagged = names if deprecated else [name for name in names if _is_deprecated_member(module, name)]
    if flagged:
        owner = deprecated or module_is_deprecated(f"{module}.{flagged[0]}")
        fallback = DEPRECATED_MODULES[owner] if owner else _ESTIMATOR_ADVICE
        ctx.report("AML102", node, what=f"{', '.join(flagged)} from '{module}'",
                   replacement=_replacement_for(flagged, fallback))


def _is_deprecated_member(module: str, name: str) -> bool:
    """``from azureml.train import dnn`` or ``from azureml.pipeline.steps import EstimatorStep``."""
    qualified = f"{module}.{name}"
    if module_is_deprecated(qualified):
        return True
    cls = BY_PATH.get(qualified)
    return cls is not None and cls.deprecated and cls.kind in (Kind.ESTIMATOR, Kind.ESTIMATOR_STEP)


def _replacement_for(names: list[str], fallback: str) -> str:
    """Advice for exactly the names imported; the module's advice for `*` and module imports."""
    advice = []
    if any(name in _ESTIMATORS for name in names):
        advice.append(_ESTIMATOR_ADVICE)
    distributed = sorted({DISTRIBUTED_REPLACEMENTS[n].split("(")[0] for n in names if n in DISTRIBUTED_REPLACEMENTS})
    if distributed:
        advice.append(f"use {' and '.join(distributed)} from azureml.core.runconfig")
    if "EstimatorStep" in names:
        advice.append(_ESTIMATOR_STEP_ADVICE)
    if "ReinforcementLearningEstimator" in names:
        advice.append(DEPRECATED_MODULES["azureml.contrib.train.rl"])
    return "; ".join(advice) or fallback
