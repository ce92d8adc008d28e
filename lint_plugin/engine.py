"""What every front end reports: the analysis' findings, each with the fix ``aml-migrate fix`` really
makes of it.

This layer sits above both the analysis and the fixer: the fixer's planner decides every finding's
outcome once, for the checker and the fixer alike, so a finding marked safe or unsafe is exactly one
that ``fix`` rewrites and a manual one is exactly one it leaves alone. Fixes are planned over every
finding before ``enabled`` filters them: a fix depends on its neighbours (an estimator's
DataReferences) and must not change with ``--select``. The opt-in SDK v2 findings (AML6xx) get the
outcome ``fix --target v2`` gives them, worked out only when they are enabled.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from .analysis import DEFAULT_PYTHON_CODES, Analysis, ModuleFacts, inspect_source, inspect_tree
from .findings import Finding, Fix
from .fix.plan import DEFAULT_ENV_STYLE, DEFAULT_TARGET
from .rules import BY_CODE, OPT_IN_CODES, Applicability


def analyze_tree(tree: ast.Module, enabled: frozenset[str] = DEFAULT_PYTHON_CODES, *,
                 env_style: str = DEFAULT_ENV_STYLE, target: str = DEFAULT_TARGET, source: str = "") -> list[Finding]:
    """The enabled findings of a parsed module (flake8 has the tree already), with their fixes."""
    facts = inspect_tree(tree, opt_in=_wants_opt_in(enabled, target))
    return [f for f in attach_fixes(facts, source, env_style=env_style, target=target, enabled=enabled)
            if f.code in enabled]


def analyze_source(source: str, filename: str = "<string>", enabled: frozenset[str] = DEFAULT_PYTHON_CODES, *,
                   env_style: str = DEFAULT_ENV_STYLE, target: str = DEFAULT_TARGET) -> Analysis:
    analysis = inspect_source(source, filename, opt_in=_wants_opt_in(enabled, target))
    if analysis.facts is None:
        return analysis
    try:
        fixed = attach_fixes(analysis.facts, source, env_style=env_style, target=target, enabled=enabled)
    except RecursionError:
        fixed = analysis.findings
    analysis.findings = [f for f in fixed if f.code in enabled]
    return analysis


def _wants_opt_in(enabled: frozenset[str], target: str) -> bool:
    """Whether the AML6xx family is worth finding: some of it is enabled, or the fixes target v2."""
    return target != DEFAULT_TARGET or not enabled.isdisjoint(OPT_IN_CODES)


def attach_fixes(facts: ModuleFacts, source: str = "", *, env_style: str = DEFAULT_ENV_STYLE,
                 target: str = DEFAULT_TARGET, enabled: frozenset[str] | None = None) -> list[Finding]:
    """Each finding with the fix ``aml-migrate fix --target TARGET`` will really make of it. ``source``
    only makes the summaries quote code as written (without it, as ``ast.unparse`` gives it); the SDK
    v2 outcomes need it (worked out for the SDK v2 findings when ``enabled`` holds them, and for every
    finding when the target is v2)."""
    findings = facts.findings
    if not findings:
        return findings
    from .fix.astctx import ModuleContext
    from .fix.planner import plan_module

    stage_one = [f for f in findings if f.code not in OPT_IN_CODES]
    try:
        context = ModuleContext.from_index(facts.index, source, facts.flow)
        _, outcomes = plan_module(source, stage_one, style=env_style, tree=facts.tree, context=context)
        v2 = _v2_fixes(findings, source, env_style, enabled, everything=target != DEFAULT_TARGET)
    except (RecursionError, ValueError, KeyError, AttributeError, TypeError) as error:
        # A planner bug must not cost the user the findings themselves; ``fix`` reports it too.
        reason = f"the fixer cannot plan this file ({type(error).__name__}): please report it"
        return [replace(finding, fix=Fix("manual", reason)) for finding in findings]
    fixed = []
    for finding in findings:
        if (finding.code, finding.line) in v2 and (finding.code in OPT_IN_CODES or target != DEFAULT_TARGET):
            fixed.append(replace(finding, fix=v2[(finding.code, finding.line)]))
            continue
        if finding.code in OPT_IN_CODES:
            fixed.append(finding)
            continue
        outcome = outcomes.get((finding.code, (finding.line, finding.column)))
        if outcome is None or not BY_CODE[finding.code].fixes:  # hint-only rules keep their message as is
            fixed.append(finding)
            continue
        fixed.append(replace(finding, fix=_fix(outcome.applicability, outcome.summary, outcome.changes)))
    return fixed


def _v2_fixes(findings: list[Finding], source: str, env_style: str, enabled: frozenset[str] | None,
              everything: bool) -> dict[tuple[str, int], Fix]:
    """What ``fix --target v2`` does with each finding, by (code, line): the whole migration is made
    (estimators first), and its outcomes are read on the input's lines."""
    wanted = [f for f in findings if everything or f.code in OPT_IN_CODES and (enabled is None or f.code in enabled)]
    if not wanted or not source:
        return {}
    from .fix.api import fix_source

    result = fix_source(source, env_style=env_style, target="v2")
    fixes: dict[tuple[str, int], Fix] = {}
    for item in result.applied:
        fixes.setdefault((item.code, item.line), _fix(item.applicability, item.summary, item.changes))
    for manual in result.manual:
        fixes.setdefault((manual.code, manual.line), Fix("manual", manual.reason))
    return fixes


def _fix(applicability: Applicability, summary: str, changes: tuple[str, ...]) -> Fix:
    """The hint a finding shows: an unsafe fix says what it changes, any other what it does."""
    return Fix(applicability, "; ".join(changes) if applicability == "unsafe" and changes else summary)
