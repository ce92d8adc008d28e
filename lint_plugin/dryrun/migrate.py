"""Step 1 of a dry run: read the submit script, migrate estimator code in memory, extract the spec."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from .evaluate import Module
from .extract import estimator_calls, extract
from .source import SubmitSource, read_submit
from .spec import DryRunError, RunSpec


def load_spec(path: Path, job: str | None, overrides: dict[str, Any]) -> RunSpec:
    source = read_submit(path)
    estimators = _estimators(source)
    if estimators:
        source = _migrated(source, estimators)
    spec = extract(source, job, overrides)
    if source.migrated:
        spec.notes.append(
            "estimator code was migrated in memory (nothing written); line numbers refer to the migrated text"
        )
    return spec


def _estimators(source: SubmitSource) -> list[tuple[str, int]]:
    try:
        tree = ast.parse(source.text)
    except SyntaxError:
        return []  # extract() reports the syntax error with its location
    return estimator_calls(Module(tree, {}, source.path.parent))


def _migrated(source: SubmitSource, estimators: list[tuple[str, int]]) -> SubmitSource:
    where = ", ".join(f"{name} at {source.where(line)}" for name, line in estimators)
    try:
        from ..fix import fix_source
    except ImportError:
        raise DryRunError(
            f"{source.path} still uses estimators ({where}) and the fixer is not available "
            "in this install: run `aml-migrate fix` on it first"
        ) from None
    result = fix_source(source.text, env_style="curated")
    migrated = SubmitSource(source.path, result.source, migrated=True)
    left = _estimators(migrated)
    if left:
        reasons = "; ".join(f"line {item.line}: {item.reason}" for item in result.manual) or "no reason given"
        raise DryRunError(f"{source.path}: estimator code the fixer cannot migrate ({where}): {reasons}")
    return migrated
