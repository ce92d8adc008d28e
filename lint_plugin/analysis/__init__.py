"""The analysis engine: source -> parse -> resolve names -> checks -> findings.

Front ends call :func:`analyze_source` (the CLI, pylint) or :func:`analyze_tree` (flake8, which has
parsed the file already). Nothing here knows about flake8 or pylint.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..findings import AnalysisError, Finding
from ..rules import RULES
from .checks import CHECKS
from .context import Context
from .fixability import attach_fixes
from .scopes import ModuleIndex

MARKER = "azureml"
PYTHON_CODES = frozenset(rule.code for rule in RULES if rule.scope == "python")


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    errors: list[AnalysisError] = field(default_factory=list)


def mentions_azureml(text: str | bytes) -> bool:
    """The prefilter: a file that never says ``azureml`` cannot use the SDK (cost: one substring scan)."""
    return (MARKER.encode() if isinstance(text, bytes) else MARKER) in text


def analyze_tree(tree: ast.Module, enabled: frozenset[str] = PYTHON_CODES, *, fixes: bool = True) -> list[Finding]:
    """Findings of every enabled rule, each with the fix ``aml-migrate fix`` really makes of it
    (``fixes=False``: without, for the fixer, which plans them itself).

    Fixes are planned over every finding before ``enabled`` filters them: a fix depends on its
    neighbours (an estimator's DataReferences), and must not change with ``--select``. The planner
    gets the tree (an outcome's summary quotes code as ``ast.unparse`` gives it) and the index, whose
    walk recorded what it reads."""
    index = ModuleIndex(tree)
    ctx = Context(index)
    for check in CHECKS:
        check(ctx)
    findings = sorted(ctx.findings, key=lambda f: (f.line, f.column, f.code))
    if fixes:
        findings = attach_fixes(tree, findings, index=index)
    return [finding for finding in findings if finding.code in enabled]


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


def analyze_source(source: str, filename: str = "<string>", enabled: frozenset[str] = PYTHON_CODES, *,
                   fixes: bool = True) -> Analysis:
    if not mentions_azureml(source):
        return Analysis()
    tree = parse(source, filename)
    if isinstance(tree, AnalysisError):
        return Analysis(errors=[tree])
    try:
        return Analysis(findings=analyze_tree(tree, enabled, fixes=fixes))
    except RecursionError:
        return Analysis(errors=[AnalysisError("cannot analyse: expressions nested too deeply")])
