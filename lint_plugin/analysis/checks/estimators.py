"""AML101 estimators, AML103 distributed backends, AML104 HyperDrive, AML105 EstimatorStep."""

from __future__ import annotations

import ast

from ...sdk.names import BACKEND_STRING_REPLACEMENTS, DISTRIBUTED_REPLACEMENTS, HYPERDRIVE_POSITIONAL, Kind
from ..context import Context
from ..estimator_facts import advice, estimator_facts
from ..resolve import is_none, keyword, keyword_node



def check(ctx: Context) -> None:
    kinds = (Kind.ESTIMATOR, Kind.DISTRIBUTED_BACKEND, Kind.HYPERDRIVE_CONFIG, Kind.ESTIMATOR_STEP)
    for fact, resolved in ctx.calls_of(*kinds):
        call, scope, kind = fact.call, fact.scope, resolved.sdk.kind
        if kind is Kind.ESTIMATOR:
            facts = estimator_facts(call, resolved, scope, ctx.resolver)
            ctx.report("AML101", call, cls=facts.display(), advice=advice(facts, call))
            _check_backend_keyword(ctx, call)
        elif kind is Kind.DISTRIBUTED_BACKEND:
            name = resolved.sdk.name
            ctx.report("AML103", call, what=f"{name}()", replacement=DISTRIBUTED_REPLACEMENTS[name])
        elif kind is Kind.HYPERDRIVE_CONFIG:
            estimator = keyword(call, "estimator", HYPERDRIVE_POSITIONAL[resolved.sdk.name].index("estimator"))
            if estimator is not None and not is_none(estimator):
                ctx.report("AML104", call, cls=resolved.sdk.name)
        else:
            ctx.report("AML105", call)


def _check_backend_keyword(ctx: Context, call: ast.Call) -> None:
    node = keyword_node(call, "distributed_backend")
    if node is None or is_none(node.value):
        return
    backend = node.value.value if isinstance(node.value, ast.Constant) else None
    replacement = BACKEND_STRING_REPLACEMENTS.get(str(backend).lower()) if isinstance(backend, str) else None
    replacement = replacement or "MpiConfiguration, PyTorchConfiguration or TensorflowConfiguration"
    ctx.report("AML103", node, what=f"distributed_backend={ast.unparse(node.value)}", replacement=replacement)
