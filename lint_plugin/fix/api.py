"""``fix_source`` and ``fix_notebook``: the fixer's public API (re-exported lazily by the package)."""

from __future__ import annotations

import ast
from typing import Callable

from ..analysis import inspect_source
from ..noqa import file_is_exempt, without_suppressed
from ..rules import OPT_IN_CODES
from .apply import apply_plan
from .astctx import ModuleContext
from .plan import DEFAULT_ENV_STYLE, DEFAULT_TARGET, ENV_STYLES, Outcome, Plan, Position
from .planner import FindingLike, plan_module
from .result import AppliedFix, FixResult, ManualFix
from .stages import LineMap, check_target, combined, stage_one_codes

Planner = Callable[..., tuple[Plan, dict[tuple[str, Position], Outcome]]]


def fix_source(source: str, *, env_style: str = DEFAULT_ENV_STYLE, safe_only: bool = False,
               target: str = DEFAULT_TARGET) -> FixResult:
    """Rewrite every finding of ``source`` that has a safe (or, unless ``safe_only``, unsafe) fix.

    ``target="v2"`` then migrates what stage 1 gives to azure-ai-ml (``stages.py``). Source that does
    not parse comes back unchanged, with the reason in ``errors``. Findings suppressed with ``# noqa``
    are left alone, like the checker leaves them unreported."""
    if env_style not in ENV_STYLES:
        raise ValueError(f"env_style must be one of {', '.join(ENV_STYLES)}, not {env_style!r}")
    check_target(target)
    first = fix_with(source, plan_module, env_style=env_style, safe_only=safe_only, wanted=stage_one_codes)
    if target == DEFAULT_TARGET or first.errors:
        return first
    from .v2.planner import plan_v2

    second = fix_with(first.source, plan_v2, env_style=env_style, safe_only=safe_only)
    original = [(f.code, None, f.line) for f in inspect_source(source).findings]
    return combined(first, second, LineMap(source, first.source), original)


def fix_with(source: str, planner: Planner, *, env_style: str, safe_only: bool,
             wanted: Callable[[str], bool] = lambda code: True) -> FixResult:
    """One stage: ``planner`` over the findings of ``source`` it wants, carried out."""
    # planned below, for the findings not suppressed; the AML6xx checks only run for a stage that plans them
    analysis = inspect_source(source, opt_in=any(map(wanted, OPT_IN_CODES)))
    result = FixResult(source=source, original=source, errors=list(analysis.errors))
    findings = [] if file_is_exempt(source) else [
        f for f in without_suppressed(analysis.findings, source.splitlines()) if wanted(f.code)]
    if analysis.errors or not findings or analysis.facts is None:
        return result
    facts = analysis.facts  # the planner asks the checks' model of names; the applier reuses the tree
    tree = facts.tree
    context = ModuleContext.from_index(facts.index, source, facts.flow)
    plan, outcomes = planner(source, findings, style=env_style, safe_only=safe_only, tree=tree, context=context)
    located = outcomes_to_result(outcomes)
    result.source = apply_plan(source, plan, tree=tree)
    result.applied, result.manual = located.applied, located.manual
    return result


def fix_finding(source: str, finding: FindingLike, *, env_style: str = DEFAULT_ENV_STYLE,
                target: str = DEFAULT_TARGET) -> tuple[str, Outcome] | None:
    """The source with only this finding fixed, and what the fix does; None if it stays manual.

    The planner works per finding set, so one finding's plan is a consistent rewrite on its own (an
    import goes only when nothing uses it any more): what editors offer as a quick fix and SARIF as a fix.
    A migration to SDK v2 is one rewrite of the module (its workspace, jobs and submissions hang
    together), so with ``target="v2"`` the fix of a finding is the module's whole v2 fix, offered when
    that fix rewrites this finding."""
    if target != DEFAULT_TARGET or not stage_one_codes(finding.code):
        return _whole_v2_fix(source, finding, env_style)
    tree = ast.parse(source)
    plan, outcomes = plan_module(source, [finding], style=env_style, tree=tree)
    outcome = outcomes.get((finding.code, (finding.line, finding.column)))
    if outcome is None or outcome.applicability == "manual":
        return None
    new_source = apply_plan(source, plan, tree=tree)
    return (new_source, outcome) if new_source != source else None


def _whole_v2_fix(source: str, finding: FindingLike, env_style: str) -> tuple[str, Outcome] | None:
    result = fix_source(source, env_style=env_style, target="v2")
    fix = next((f for f in result.applied if (f.code, f.line) == (finding.code, finding.line)), None)
    if fix is None or not result.changed:
        return None
    summary = f"{fix.summary} (with the module's whole SDK v2 migration)"
    return result.source, Outcome(fix.code, (finding.line, finding.column), fix.applicability, summary, fix.changes)


def outcomes_to_result(outcomes: dict[tuple[str, Position], Outcome]) -> FixResult:
    """Outcomes in source order as applied and manual items (``source`` left empty)."""
    result = FixResult(source="")
    for (code, at), outcome in sorted(outcomes.items(), key=lambda item: (item[0][1], item[0][0])):
        if outcome.applicability == "manual":
            result.manual.append(ManualFix(code, at[0], outcome.summary))
        else:
            result.applied.append(AppliedFix(code, at[0], outcome.applicability, outcome.summary, outcome.changes))
    return result
