"""What every front end reports: the analysis' findings, each with the fix ``aml-migrate fix`` really
makes of it.

This layer sits above both the analysis and the fixer: the fixer's planner decides every finding's
outcome once, for the checker and the fixer alike, so a finding marked safe or unsafe is exactly one
that ``fix`` rewrites and a manual one is exactly one it leaves alone. Fixes are planned over every
finding before ``enabled`` filters them: a fix depends on its neighbours (an estimator's
DataReferences) and must not change with ``--select``.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from .analysis import PYTHON_CODES, Analysis, ModuleFacts, inspect_source, inspect_tree
from .findings import Finding, Fix
from .fix.plan import DEFAULT_ENV_STYLE
from .rules import BY_CODE


def analyze_tree(tree: ast.Module, enabled: frozenset[str] = PYTHON_CODES, *,
                 env_style: str = DEFAULT_ENV_STYLE) -> list[Finding]:
    """The enabled findings of a parsed module (flake8 has the tree already), with their fixes."""
    facts = inspect_tree(tree)
    return [f for f in attach_fixes(facts, env_style=env_style) if f.code in enabled]


def analyze_source(source: str, filename: str = "<string>", enabled: frozenset[str] = PYTHON_CODES, *,
                   env_style: str = DEFAULT_ENV_STYLE) -> Analysis:
    analysis = inspect_source(source, filename)
    if analysis.facts is None:
        return analysis
    try:
        fixed = attach_fixes(analysis.facts, source, env_style=env_style)
    except RecursionError:
        fixed = analysis.findings
    analysis.findings = [f for f in fixed if f.code in enabled]
    return analysis


def attach_fixes(facts: ModuleFacts, source: str = "", *, env_style: str = DEFAULT_ENV_STYLE) -> list[Finding]:
    """Each finding with the fix ``aml-migrate fix`` will really make of it. ``source`` only makes the
    summaries quote code as written (without it, as ``ast.unparse`` gives it)."""
    findings = facts.findings
    if not findings:
        return findings
    from .fix.astctx import ModuleContext
    from .fix.planner import plan_module

    try:
        context = ModuleContext.from_index(facts.index, source, facts.flow)
        _, outcomes = plan_module(source, findings, style=env_style, tree=facts.tree, context=context)
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
