"""The analysis engine: source -> parse -> names and values -> checks -> findings.

:func:`inspect_source` and :func:`inspect_tree` give every finding of a module, with the index and
the flow model the checks used, so that the fixer's planner asks the same model. Nothing here knows
about flake8, pylint or the fixer: front ends get findings with their fixes from ``lint_plugin.engine``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..findings import AnalysisError, Finding
from ..rules import RULES
from .checks import CHECKS, OPT_IN_CHECKS
from .context import Context
from .flow import Flow
from .scopes import ModuleIndex

MARKER = "azureml"
PYTHON_CODES = frozenset(rule.code for rule in RULES if rule.scope == "python")
DEFAULT_PYTHON_CODES = frozenset(rule.code for rule in RULES if rule.scope == "python" and not rule.opt_in)


@dataclass
class ModuleFacts:
    """A module's findings (every rule, in source order) and the model of names they came from."""

    tree: ast.Module
    index: ModuleIndex
    flow: Flow
    findings: list[Finding]


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    errors: list[AnalysisError] = field(default_factory=list)
    facts: ModuleFacts | None = None  # None when the file was skipped or could not be read


def mentions_azureml(text: str | bytes) -> bool:
    """The prefilter: a file that never says ``azureml`` cannot use the SDK (cost: one substring scan)."""
    return (MARKER.encode() if isinstance(text, bytes) else MARKER) in text


def inspect_tree(tree: ast.Module, *, opt_in: bool = True) -> ModuleFacts:
    """The module's findings; ``opt_in`` False leaves out the opt-in SDK v2 family (AML6xx)."""
    index = ModuleIndex(tree)
    ctx = Context(index)
    for check in (CHECKS + OPT_IN_CHECKS) if opt_in else CHECKS:
        check(ctx)
    findings = sorted(ctx.findings, key=lambda f: (f.line, f.column, f.code))
    return ModuleFacts(tree, index, ctx.flow, findings)


def parse(source: str, filename: str = "<string>") -> ast.Module | AnalysisError:
    """Parse, turning every way Python can refuse a source into one clear line."""
    try:
        return ast.parse(source, filename)
    except SyntaxError as error:
        if error.lineno is None:
            return AnalysisError(f"cannot parse: {error.msg}")
        return AnalysisError(f"syntax error at line {error.lineno}: {error.msg}", line=error.lineno)
    except (ValueError, RecursionError, MemoryError) as error:
        reason = "nested too deeply to parse" if isinstance(error, RecursionError) else str(error) or "cannot parse"
        return AnalysisError(f"cannot parse: {reason}")


def inspect_source(source: str, filename: str = "<string>", *, opt_in: bool = True) -> Analysis:
    """Every finding of ``source`` (no fixes attached; the AML6xx family only with ``opt_in``), or the
    one line saying why there are none."""
    if not mentions_azureml(source):
        return Analysis()
    tree = parse(source, filename)
    if isinstance(tree, AnalysisError):
        return Analysis(errors=[tree])
    try:
        facts = inspect_tree(tree, opt_in=opt_in)
    except RecursionError:
        return Analysis(errors=[AnalysisError("cannot analyse: expressions nested too deeply")])
    return Analysis(findings=facts.findings, facts=facts)
