"""Which findings ``aml-migrate fix`` can rewrite, and how safely: pure ``ast``, no libcst.

The fixer's own planner decides, so a finding marked safe or unsafe is exactly one ``fix``
rewrites and a manual one is exactly one it leaves alone.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..findings import Finding, Fix
from ..rules import BY_CODE
from .scopes import ModuleIndex


def attach_fixes(tree: ast.Module, findings: list[Finding], source: str = "",
                 env_style: str = "curated", index: ModuleIndex | None = None) -> list[Finding]:
    """Each finding with the fix ``aml-migrate fix`` will really make of it.

    The fixer's planner (``lint_plugin.fix.planner``, pure ``ast`` like this module) decides every
    finding's outcome once, for the checker and the fixer alike, so a finding marked safe or unsafe
    is exactly one that ``fix`` rewrites and a manual one is exactly one it leaves alone. ``index``, the
    checks' index of ``tree``, spares the planner a walk of its own."""
    if not findings:
        return findings
    from ..fix.astctx import ModuleContext
    from ..fix.planner import plan_module

    try:
        context = ModuleContext.from_index(index, source) if index is not None else None
        _, outcomes = plan_module(source, findings, style=env_style, tree=tree, context=context)
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
