"""SDK v2 jobs in a submit script: which there are, and the run spec of the chosen one, statically.

A v2 job is what `ml_client.jobs.create_or_update(X)` (or `ml_client.create_or_update(X)`) submits,
however X was built (in a function, as a sweep of a command), or a `command(...)` built at module
level. The chosen job is evaluated with the static evaluator, the statements that change it later
(`job.environment_variables["A"] = ...`, `job.resources.instance_count = 2`, `sweep.set_limits(...)`)
applied in order, and its description handed to `v2_job.run_spec`."""

from __future__ import annotations

import ast
from typing import Any

from .evaluate import Module, Obj, Unresolved
from .source import SubmitSource
from .spec import DryRunError, RunSpec
from .v2_job import V2Context, environment_name, run_spec
from .v2_values import describe, plain

JOB_KINDS = {"v2command", "v2sweep"}
_FIELDS = {"code", "command", "inputs", "outputs", "environment", "environment_variables", "instance_count",
           "distribution", "shm_size", "timeout", "experiment_name", "compute", "display_name"}
# `job.resources.shm_size = ...` and friends: the description field each dotted attribute sets.
_DOTTED = {"resources.instance_count": "instance_count", "resources.shm_size": "shm_size",
           "limits.timeout": "timeout", "distribution.process_count_per_instance": None}


def is_command(module: Module, node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    qualified = module.qualified(node.func) or ""
    return qualified.startswith("azure.ai.ml.") and qualified.rsplit(".", 1)[-1] == "command"


def submissions(module: Module) -> list[tuple[ast.Call, ast.AST]]:
    """`X.jobs.create_or_update(JOB)` calls, and `client.create_or_update(JOB)` of a command job."""
    found = []
    for node in ast.walk(module.tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "create_or_update"):
            continue
        target = Module.arg_node(node, 0, "job") or Module.arg_node(node, 0, "entity")
        if target is None:
            continue
        receiver = node.func.value
        if (isinstance(receiver, ast.Attribute) and receiver.attr == "jobs") or (
                _evaluates_to(module, receiver, {"mlclient"}) and _evaluates_to(module, target, JOB_KINDS)):
            found.append((node, target))
    return found


def _evaluates_to(module: Module, node: ast.AST, kinds: set[str]) -> bool:
    try:
        value = module.eval(node)
    except (Unresolved, DryRunError):
        return False
    return isinstance(value, Obj) and value.kind in kinds


def module_level_commands(module: Module) -> list[ast.Call]:
    """`command(...)` calls outside any function or class (those inside are jobs only when called)."""
    nested: set[int] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            nested.update(id(inner) for inner in ast.walk(node) if inner is not node)
    return [node for node in ast.walk(module.tree) if is_command(module, node) and id(node) not in nested]


def imports_v2(module: Module) -> int | None:
    """The line of the first azure.ai.ml import, if any."""
    lines = [node.lineno for node in ast.walk(module.tree)
             if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("azure.ai.ml"))
             or (isinstance(node, ast.Import)
                 and any(alias.name.startswith("azure.ai.ml") for alias in node.names))]
    return min(lines) if lines else None


class V2Extractor:
    """The run spec of one v2 job, every unresolvable name collected before failing."""

    def __init__(self, module: Module, source: SubmitSource, target: ast.AST, var: str | None, line: int,
                 overrides: dict[str, Any]) -> None:
        self.module = module
        self.source = source
        self.target = target
        self.var = var
        self.line = line
        self.overrides = overrides
        self.unresolved: dict[str, tuple[int, str]] = {}

    @property
    def where(self) -> str:
        return f"{self.source.path} {self.source.where(self.line)}"

    def _missing(self, exc: Unresolved) -> None:
        self.unresolved.setdefault(exc.name, (exc.line, exc.reason))

    def spec(self) -> RunSpec:
        try:
            job = self.module.eval(self.target)
        except Unresolved as exc:
            self._missing(exc)
            raise self._unresolvable() from None
        if not isinstance(job, Obj) or job.kind not in JOB_KINDS:
            raise DryRunError(f"{self.where}: {ast.unparse(self.target)} is not an azure.ai.ml command job "
                              "(nor a sweep of one): only those can be dry-run")
        try:
            description = self._description(job)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:  # a value of the wrong kind
            raise DryRunError(f"{self.where}: the command job does not read as a command job should "
                              f"({type(exc).__name__}: {exc})") from None
        context = V2Context(
            submit_path=str(self.source.path),
            job_line=self.source.original_lines(self.line)[0],
            where=self.where,
            local_path=lambda path: self.source.path.resolve().parent / path,
            environments=self._registered_environments(description.get("environment")),
            overrides=self.overrides,
        )
        spec = run_spec(description, context, list(self.module.notes))
        spec.job_name = self.var
        return spec

    def _description(self, job: Obj) -> dict[str, Any]:
        """The job as plain data, once later statements are applied; every unresolvable name reported."""
        trial = job.attrs["trial"] if job.kind == "v2sweep" else job
        self._apply_later(trial, {trial.var, self.var if job is trial else None})
        if job is not trial:
            self._apply_later(job, {job.var, self.var})
        for exc in trial.attrs.get("unresolved", []):
            self._missing(exc)
        description: dict[str, Any] = {}
        try:
            description = describe(job)
        except Unresolved as exc:
            self._missing(exc)
        if self.unresolved:
            raise self._unresolvable()
        self._submission_settings(description)
        return description

    def _unresolvable(self) -> DryRunError:
        listing = ", ".join(
            f"{name} ({self.source.where(line)}{': ' + ' '.join(reason.split()) if reason else ''})"
            for name, (line, reason) in self.unresolved.items())
        return DryRunError(f"{self.source.path}: cannot resolve statically: {listing}; supply each with "
                           "--set NAME=VALUE, or run the script itself with --capture")

    # --- what later statements do to the job ---------------------------------------------------
    def _apply_later(self, job: Obj, names: set[str | None]) -> None:
        changes: list[tuple[int, Any]] = []
        for name in filter(None, names):
            for dotted in [*_FIELDS, *_DOTTED]:
                for line, value in self.module.attr_sets.get(f"{name}.{dotted}", []):
                    if line > job.line:
                        changes.append((line, ("set", dotted, value)))
            for line, key, value in self.module.item_sets.get(f"{name}.environment_variables", []):
                if line > job.line:
                    changes.append((line, ("item", key, value)))
            for line, call in self.module.calls_on(name, job.line):
                changes.append((line, ("call", call, None)))
        for _, (action, first, second) in sorted(changes, key=lambda change: change[0]):
            try:
                self._apply(job, action, first, second)
            except Unresolved as exc:
                self._missing(exc)

    def _apply(self, job: Obj, action: str, first: Any, second: Any) -> None:
        attrs = job.attrs
        if action == "call":
            if isinstance(first.func, ast.Attribute) and (job.kind, first.func.attr) in {
                    ("v2command", "set_limits"), ("v2command", "set_resources"), ("v2sweep", "set_limits"),
                    ("v2sweep", "set_resources")}:
                self.module.apply(job, first)
            return
        value = self.module.eval(second)
        if action == "item":
            attrs["environment_variables"] = {**(attrs.get("environment_variables") or {}),
                                              self.module.eval(first): value}
        elif first == "distribution.process_count_per_instance":
            distribution = attrs.get("distribution")
            if isinstance(distribution, Obj):
                distribution.attrs["process_count_per_instance"] = value
        elif first in {"resources", "limits"} and isinstance(value, Obj):
            attrs.update(value.attrs)
        elif first in _DOTTED:
            attrs[_DOTTED[first]] = value
        elif job.kind == "v2command" or first in {"experiment_name", "compute", "display_name"}:
            attrs[first] = value

    # --- what the submission and the rest of the script add ----------------------------------------
    def _submission_settings(self, description: dict[str, Any]) -> None:
        """`create_or_update(job, experiment_name=..., compute=...)` overrides the job's own."""
        for call, target in submissions(self.module):
            if target is self.target or (self.var and isinstance(target, ast.Name) and target.id == self.var):
                for name in ("experiment_name", "compute"):
                    found = Module.arg_node(call, None, name)
                    if found is not None:
                        try:
                            description[name] = self.module.eval(found)
                        except Unresolved:
                            pass  # the job's own value stays; neither changes how the job runs here

    def _registered_environments(self, reference: Any) -> dict[str, dict[str, Any]]:
        """Environments the script builds and registers (`ml_client.environments.create_or_update(env)`),
        by name: a job that names one (`"my-env:1"`) gets what the script put in it."""
        name = environment_name(reference) if isinstance(reference, str) else None
        if name is None:
            return {}
        for node in ast.walk(self.module.tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "create_or_update" and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "environments" and node.args):
                try:
                    env = self.module.eval(node.args[0])
                except Unresolved:
                    continue
                if isinstance(env, Obj) and env.kind == "v2env" and env.attrs.get("name") == name:
                    return {name: plain(env)}
        return {}
