"""Step 1 of a dry run: read the submit script and migrate its estimator code in memory.

The fixer is used only through `fix_source`. An estimator it leaves for a human does not stop the
other jobs of the file: it is returned as `Blocked`, and only a run that picks it fails."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from .source import SubmitSource, read_submit
from .spec import DryRunError

ENV_STYLES = ("exact", "curated")
DEFAULT_ENV_STYLE = "exact"  # the environment the estimator had: what the cloud job runs today


@dataclass(frozen=True)
class Blocked:
    """An estimator left as it was; `lines` are the original lines of its statement."""

    name: str
    lines: tuple[int, int]
    reason: str


@dataclass
class Migration:
    source: SubmitSource
    blocked: list[Blocked]
    summary: list[str]  # what the in-memory rewrite did, one line each

    def blocked_at(self, line: int) -> Blocked | None:
        first, last = self.source.original_lines(line)
        return next((item for item in self.blocked if item.lines[0] <= last and first <= item.lines[1]), None)


def load_source(path: Path, env_style: str, writefiles: bool = False) -> Migration:
    source = read_submit(path)
    if writefiles:
        source = source.with_writefiles()
    return migrate(source, env_style)


def estimator_lines(source: SubmitSource) -> list[tuple[str, int, int]]:
    """Deprecated estimator constructions in the text, as (class name, first and last line)."""
    from ..sdk.names import Kind, lookup
    from .evaluate import Context, Module

    try:
        tree = ast.parse(source.text)
    except SyntaxError:
        return []  # extraction reports the syntax error with its location
    module = Module(tree, Context(source.path.parent))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            cls = lookup(module.qualified(node.func))
            if cls is not None and cls.kind is Kind.ESTIMATOR:
                found.append((cls.name, node.lineno, node.end_lineno or node.lineno))
    return found


def migrate(source: SubmitSource, env_style: str) -> Migration:
    if not estimator_lines(source):
        return Migration(source, [], [])
    try:
        from ..fix import fix_source
    except ImportError:
        where = ", ".join(f"{name} at {source.where(line)}" for name, line, _ in estimator_lines(source))
        raise DryRunError(
            f"{source.path} still uses estimators ({where}) and the fixer is not available "
            "in this install: run `aml-migrate fix` on it first"
        ) from None
    result = fix_source(source.text, env_style=env_style)
    migrated = source.migrated_to(result.source)
    blocked = []
    for name, first, last in estimator_lines(migrated):
        lines = (migrated.original_lines(first)[0], migrated.original_lines(last)[1])
        reasons = [item.reason for item in result.manual if lines[0] <= item.line <= lines[1]]
        reason = "; ".join(dict.fromkeys(reasons)) or "the fixer left it as it was"
        blocked.append(Blocked(name, lines, reason))
    summary = [f"{item.code} at {source.where(item.line)}: {item.summary}" for item in result.applied]
    return Migration(migrated, blocked, summary)
