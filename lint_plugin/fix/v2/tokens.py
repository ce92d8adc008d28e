"""Names a v2 rewrite writes before it knows how they will be spelled.

The MLClient variable is the Workspace's own name unless the Workspace stays in use for v1 things, and
a v2 class is imported by its name unless that name is taken (the v1 ``Environment`` a manual job keeps
using, a variable called ``command``): both are decided once the whole module is planned, so the
planners write tokens, and :func:`resolve` spells them out in every edit of the plan.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..plan import Plan

_TOKEN = re.compile("\x00(client|v2):([^\x00]*)\x00")

# v2 names: the module each is imported from.
V2_MODULES = {
    "MLClient": "azure.ai.ml", "command": "azure.ai.ml", "Input": "azure.ai.ml", "Output": "azure.ai.ml",
    "MpiDistribution": "azure.ai.ml", "PyTorchDistribution": "azure.ai.ml", "TensorFlowDistribution": "azure.ai.ml",
    "Environment": "azure.ai.ml.entities", "DefaultAzureCredential": "azure.identity",
    "BanditPolicy": "azure.ai.ml.sweep", "MedianStoppingPolicy": "azure.ai.ml.sweep",
    "TruncationSelectionPolicy": "azure.ai.ml.sweep", "Choice": "azure.ai.ml.sweep", "Uniform": "azure.ai.ml.sweep",
    "LogUniform": "azure.ai.ml.sweep", "Normal": "azure.ai.ml.sweep", "LogNormal": "azure.ai.ml.sweep",
    "QUniform": "azure.ai.ml.sweep", "QLogUniform": "azure.ai.ml.sweep", "QNormal": "azure.ai.ml.sweep",
    "QLogNormal": "azure.ai.ml.sweep", "Randint": "azure.ai.ml.sweep",
}


def v2(name: str) -> str:
    """A v2 class or function, spelled once the module is planned."""
    assert name in V2_MODULES, name
    return f"\x00v2:{name}\x00"


def client(workspace: int) -> str:
    """The MLClient of the workspace binding numbered ``workspace``."""
    return f"\x00client:{workspace}\x00"


def used_v2_names(plan: Plan) -> set[str]:
    return {match.group(2) for text in plan_texts(plan) for match in _TOKEN.finditer(text) if match.group(1) == "v2"}


def resolve(plan: Plan, spell: dict[str, str]) -> Plan:
    """The plan with every token replaced: ``spell`` maps ``client:N`` and ``v2:NAME`` to their text."""
    def sub(text: str) -> str:
        return _TOKEN.sub(lambda match: spell[f"{match.group(1)}:{match.group(2)}"], text)

    calls = [replace(edit, func=sub(edit.func) if edit.func else edit.func,
                     values={k: sub(v) for k, v in edit.values.items()},
                     append=[(k, sub(v)) for k, v in edit.append]) for edit in plan.calls]
    exprs = [replace(edit, text=sub(edit.text)) for edit in plan.exprs]
    statements = [replace(edit, before=[sub(t) for t in edit.before], after=[sub(t) for t in edit.after])
                  for edit in plan.statements]
    return Plan(calls, exprs, statements, plan.imports, plan.outcomes)


def plan_texts(plan: Plan) -> list[str]:
    """Every text the plan writes."""
    texts = [edit.text for edit in plan.exprs]
    for edit in plan.calls:
        texts += [edit.func or "", *edit.values.values(), *(value for _, value in edit.append)]
    for statement in plan.statements:
        texts += statement.before + statement.after
    return texts
