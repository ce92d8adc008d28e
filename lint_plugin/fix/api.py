"""``fix_source`` and ``fix_notebook``: the fixer's public API (re-exported lazily by the package)."""

from __future__ import annotations

from ..analysis import analyze_source
from .apply import apply_plan
from .planner import plan_module
from .result import AppliedFix, FixResult, ManualFix

ENV_STYLES = ("curated", "exact")


def fix_source(source: str, *, env_style: str = "curated", safe_only: bool = False) -> FixResult:
    """Rewrite every finding of ``source`` that has a safe (or, unless ``safe_only``, unsafe) fix.

    Source that does not parse comes back unchanged, with the reason in ``errors``."""
    if env_style not in ENV_STYLES:
        raise ValueError(f"env_style must be one of {', '.join(ENV_STYLES)}, not {env_style!r}")
    analysis = analyze_source(source)
    result = FixResult(source=source, original=source, errors=list(analysis.errors))
    if analysis.errors or not analysis.findings:
        return result
    plan, outcomes = plan_module(source, analysis.findings, style=env_style, safe_only=safe_only)
    result.source = apply_plan(source, plan)
    for (code, at), outcome in sorted(outcomes.items(), key=lambda item: (item[0][1], item[0][0])):
        if outcome.applicability == "manual":
            result.manual.append(ManualFix(code, at[0], outcome.summary))
        else:
            result.applied.append(AppliedFix(code, at[0], outcome.applicability, outcome.summary, outcome.changes))
    return result
