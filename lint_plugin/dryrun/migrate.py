"""Step 1 of a dry run: read the submit script and migrate its estimator code in memory.

The fixer is used only through `fix_source`. An estimator it leaves for a human does not stop the
other jobs of the file: it is returned as `Blocked`, and only a run that picks it fails.

`--target v2` migrates every v1 job to an azure-ai-ml command job (`fix_source(..., target="v2")`), so
a v1 script is dry-run the way its SDK v2 form would run; a v1 job the converter leaves for a human
(an estimator or a ScriptRunConfig still there) is `Blocked` the same way."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from .source import SubmitSource, read_submit
from .spec import DryRunError

ENV_STYLES = ("exact", "curated")
DEFAULT_ENV_STYLE = "exact"  # the environment the estimator had: what the cloud job runs today
TARGETS = ("scriptrunconfig", "v2")  # as `aml-migrate fix --target`
DEFAULT_TARGET = "scriptrunconfig"


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


def load_source(
    path: Path, env_style: str, writefiles: bool = False, target: str = DEFAULT_TARGET
) -> Migration:
    source = read_submit(path)
    if writefiles:
        source = source.with_writefiles()
    return migrate(source, env_style, target)


def estimator_lines(source: SubmitSource, v1_jobs: bool = False) -> list[tuple[str, int, int]]:
    """Deprecated estimator constructions in the text (with v1_jobs, ScriptRunConfigs too), as (class
    name, first and last line)."""
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
            qualified = module.qualified(node.func) or ""
            cls = lookup(qualified)
            if cls is not None and cls.kind is Kind.ESTIMATOR:
                found.append((cls.name, node.lineno, node.end_lineno or node.lineno))
            elif v1_jobs and qualified.startswith("azureml.") and qualified.endswith(".ScriptRunConfig"):
                found.append(("ScriptRunConfig", node.lineno, node.end_lineno or node.lineno))
    return found


def migrate(source: SubmitSource, env_style: str, target: str = DEFAULT_TARGET) -> Migration:
    v2 = target == "v2"
    if not estimator_lines(source, v1_jobs=v2):
        return Migration(source, [], [])
    try:
        from ..fix import fix_source
    except ImportError:
        where = ", ".join(f"{name} at {source.where(line)}" for name, line, _ in estimator_lines(source))
        raise DryRunError(
            f"{source.path} still uses estimators ({where}) and the fixer is not available "
            "in this install: run `aml-migrate fix` on it first"
        ) from None
    if v2:
        import inspect

        if "target" not in inspect.signature(fix_source).parameters:
            raise DryRunError("--target v2 needs the SDK v2 converter (`aml-migrate fix --target v2`), "
                              "which this install of aml-migrate does not have yet: dry-run the script "
                              "without --target")
        result = fix_source(source.text, env_style=env_style, target="v2")
    else:
        result = fix_source(source.text, env_style=env_style)
    migrated = source.migrated_to(result.source)
    blocked = []
    for name, first, last in estimator_lines(migrated, v1_jobs=v2):
        lines = (migrated.original_lines(first)[0], migrated.original_lines(last)[1])
        reasons = [item.reason for item in result.manual if lines[0] <= item.line <= lines[1]]
        reason = "; ".join(dict.fromkeys(reasons)) or "the fixer left it as it was"
        blocked.append(Blocked(name, lines, reason))
    summary = [f"{item.code} at {source.where(item.line)}: {item.summary}" for item in result.applied]
    if v2:
        summary.insert(0, "migrated to SDK v2 (--target v2)")
    return Migration(migrated, blocked, summary)
