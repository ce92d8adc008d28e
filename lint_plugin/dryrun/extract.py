"""Find the job in a submit script and extract its run spec statically."""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..sdk.names import Kind, lookup
from .evaluate import Context, Module, Obj, Unresolved
from .migrate import Blocked, Migration, load_source
from .packages import CondaSpec
from .source import SubmitSource, project_root
from .spec import DataInput, Distributed, DryRunError, EnvironmentSpec, InputArg, RunSpec

# ScriptRunConfig(source_directory, script, arguments, run_config, _telemetry_values, compute_target,
#                 environment, distributed_job_config, resume_from, max_run_duration_seconds, command)
_SRC_POSITIONS = {
    "source_directory": 0,
    "script": 1,
    "arguments": 2,
    "run_config": 3,
    "environment": 6,
    "distributed_job_config": 7,
    "max_run_duration_seconds": 9,
    "command": 10,
}
SRC_DEFAULT_MAX_RUN_SECONDS = 2592000
_PLACEHOLDER = re.compile(r"\$AZUREML_DATAREFERENCE_(\w+)")


@dataclass
class Job:
    call: ast.Call
    var: str | None
    line: int
    blocked: Blocked | None = None  # an estimator the fixer left as it was
    target: ast.AST | None = None  # SDK v2: the expression that is the job (see v2_extract.py)


def find_jobs(module: Module, migration: Migration) -> list[Job]:
    jobs: list[Job] = _v2_jobs(module)
    targets = {
        id(node.value): node.targets[0].id
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        if _is_class(module, node, "ScriptRunConfig"):  # blocked: left by the converter of --target v2
            jobs.append(Job(node, targets.get(id(node)), node.lineno, migration.blocked_at(node.lineno)))
        else:
            cls = lookup(module.qualified(node.func))
            if cls is not None and cls.kind is Kind.ESTIMATOR:
                jobs.append(Job(node, targets.get(id(node)), node.lineno, migration.blocked_at(node.lineno)))
    return sorted(jobs, key=lambda job: job.line)


def _v2_jobs(module: Module) -> list[Job]:
    """What `create_or_update` submits, and the module's `command(...)` jobs it does not cover."""
    from .v2_extract import module_level_commands, submissions

    jobs: list[Job] = []
    covered: set[int] = set()
    bound = {id(node.value): node.targets[0].id for node in ast.walk(module.tree)
             if isinstance(node, ast.Assign) and len(node.targets) == 1
             and isinstance(node.targets[0], ast.Name)}
    commands = {id(call): call for call in module_level_commands(module)}
    for call, target in submissions(module):
        covered.update(id(node) for node in ast.walk(target))
        var = target.id if isinstance(target, ast.Name) else None
        found = module.binding(var, call.lineno) if var else None
        if found is not None and id(found[1]) in commands:  # `job = command(...)` ... submit(job)
            continue
        jobs.append(Job(call, var, call.lineno, target=target))
    for key, call in commands.items():
        if key not in covered:
            jobs.append(Job(call, bound.get(key), call.lineno, target=call))
    return jobs


def _is_class(module: Module, node: ast.Call, name: str) -> bool:
    qualified = module.qualified(node.func)
    return qualified is not None and qualified.rsplit(".", 1)[-1] == name and qualified.startswith("azureml.")


def _submitted(module: Module) -> set[str]:
    """Names passed to `experiment.submit(X)`, `HyperDriveConfig(run_config=X / estimator=X)` or
    (SDK v2) `ml_client.jobs.create_or_update(X)`."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "submit":
            candidates: list[ast.AST | None] = [Module.arg_node(node, 0, "config")]
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "create_or_update":
            candidates = [Module.arg_node(node, 0, "job")]  # SDK v2
        elif _is_class(module, node, "HyperDriveConfig"):
            candidates = [Module.arg_node(node, 8, "run_config"), Module.arg_node(node, 0, "estimator")]
        else:
            continue
        names.update(candidate.id for candidate in candidates if isinstance(candidate, ast.Name))
    return names


class JobChoice:
    """Which job a dry run is about: `--job NAME|LINE` (original lines), else the one submitted."""

    def __init__(self, module: Module, source: SubmitSource) -> None:
        self.module = module
        self.source = source

    def describe(self, job: Job) -> str:
        label = f"{job.var or '?'} ({self.source.where(job.line)})"
        return f"{label} [not migrated]" if job.blocked else label

    def lines_of(self, job: Job) -> set[int]:
        lines: set[int] = set()
        for line in range(job.call.lineno, (job.call.end_lineno or job.call.lineno) + 1):
            first, last = self.source.original_lines(line)
            lines.update(range(first, last + 1))
        return lines

    def select(self, jobs: list[Job], choice: str | None) -> Job:
        if not jobs:
            raise DryRunError(self._no_job())
        listing = ", ".join(self.describe(job) for job in jobs)
        if choice:
            line = int(choice) if choice.isdigit() else None
            chosen = [job for job in jobs if job.var == choice or line in self.lines_of(job)]
            if len(chosen) != 1:
                raise DryRunError(
                    f"{self.source.path}: --job {choice} matches {len(chosen)} of the jobs: {listing}")
            return self._runnable(chosen[0], jobs)
        if len(jobs) == 1:
            return self._runnable(jobs[0], jobs)
        submitted = [job for job in jobs if job.var in _submitted(self.module)]
        if len(submitted) == 1:
            return self._runnable(submitted[0], jobs)
        raise DryRunError(f"{self.source.path}: several jobs ({listing}); choose one with --job NAME|LINE")

    def _no_job(self) -> str:
        from .v2_extract import imports_v2

        line = imports_v2(self.module)
        if line is None:
            return (f"{self.source.path}: no job found (no ScriptRunConfig, estimator or azure.ai.ml "
                    "command job)")
        return (f"{self.source.path} {self.source.where(line)}: imports azure.ai.ml but builds no "
                "command(...) job that it submits or keeps at module level: nothing to dry-run")

    def _runnable(self, job: Job, jobs: list[Job]) -> Job:
        if job.blocked is None:
            return job
        first, last = job.blocked.lines
        lines = f"line {first}" if first == last else f"lines {first}-{last}"
        others = [self.describe(other) for other in jobs if other is not job and other.blocked is None]
        hint = f"; the other jobs can be dry-run: {', '.join(others)} (--job NAME|LINE)" if others else ""
        where = lines if self.source.notebook is None else self.source.where(job.line)
        raise DryRunError(
            f"{self.source.path}: {job.blocked.name} at {where} cannot be dry-run: the fixer leaves it "
            f"for a human ({job.blocked.reason}){hint}"
        )


class Extractor:
    """Builds the RunSpec of one job, collecting every unresolvable name before failing."""

    def __init__(self, module: Module, source: SubmitSource, job: Job) -> None:
        self.module = module
        self.source = source
        self.job = job
        self.unresolved: dict[str, tuple[int, str]] = {}
        self.notes: list[str] = []

    def field(self, position_name: str, default: Any = None) -> Any:
        node = Module.arg_node(self.job.call, _SRC_POSITIONS[position_name], position_name)
        return default if node is None else self.value(node, default)

    def value(self, node: ast.AST, default: Any = None) -> Any:
        try:
            return self.module.eval(node)
        except Unresolved as exc:
            self.missing(exc)
            return default

    def missing(self, exc: Unresolved) -> None:
        self.unresolved.setdefault(exc.name, (exc.line, exc.reason))

    def config_value(self, attribute: str) -> tuple[Any, bool]:
        """`src.run_config.<attribute> = ...` (or on the run_config= object) after the job is built."""
        for prefix in self._config_prefixes():
            found = self.module.attribute(f"{prefix}.{attribute}", self.job.line)
            if found is not None:
                return self.value(found[1]), True
        return None, False

    def config_items(self, attribute: str) -> dict[Any, Any]:
        """`src.run_config.<attribute>[KEY] = VALUE` statements."""
        items: dict[Any, Any] = {}
        for prefix in self._config_prefixes():
            for line, key, value in self.module.item_sets.get(f"{prefix}.{attribute}", []):
                if line >= self.job.line:
                    items[self.value(key)] = self.value(value)
        return items

    def _config_prefixes(self) -> list[str]:
        prefixes = [f"{self.job.var}.run_config"] if self.job.var else []
        run_config = Module.arg_node(self.job.call, 3, "run_config")
        if isinstance(run_config, ast.Name):
            prefixes.append(run_config.id)
        return prefixes

    def spec(self) -> RunSpec:
        if Module.arg_node(self.job.call, 10, "command") is not None:
            raise DryRunError(
                f"{self.source.path} {self.source.where(self.job.line)}: ScriptRunConfig(command=...) "
                "is not supported by dry-run yet; use script= and arguments="
            )
        source_directory = self.field("source_directory", ".")
        script = self.field("script")
        self._config_inputs()
        arguments = self._arguments()
        environment = self._environment()
        variables = self._variables(environment)
        distributed = self._distributed()
        max_run = self._max_run()
        experiment = self._experiment()
        if self.unresolved:
            raise DryRunError(f"{self.source.path}: cannot resolve statically: {self._unresolved()}; "
                              "supply each with --set NAME=VALUE, or run the script itself with --capture")
        if not script:
            raise DryRunError(
                f"{self.source.path} {self.source.where(self.job.line)}: ScriptRunConfig has no script="
            )
        attach_flags(arguments, self.module.inputs)
        return RunSpec(
            submit_path=str(self.source.path),
            job_name=self.job.var,
            job_line=self.source.original_lines(self.job.line)[0],
            location=f"{self.source.path} {self.source.where(self.job.line)}",
            source_directory=str(source_directory),
            script=str(script),
            arguments=arguments,
            environment=environment,
            inputs=self.module.inputs,
            environment_variables=variables,
            distributed=distributed,
            max_run_duration_seconds=max_run,
            experiment_name=experiment,
            notes=[*self.notes, *self.module.notes],
        )

    def _unresolved(self) -> str:
        return ", ".join(
            f"{name} ({self.source.where(line)}{': ' + _one_line(reason) if reason else ''})"
            for name, (line, reason) in self.unresolved.items()
        )

    def _arguments(self) -> list[Any]:
        node = Module.arg_node(self.job.call, 2, "arguments")
        if node is None:
            return []
        elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) else None
        arguments = []
        if elements is None:
            value = self.value(node, [])
            arguments = [self.module.as_argument(item) for item in value] if isinstance(value, list) else []
        for element in elements or []:
            try:
                arguments.append(self.module.as_argument(self.module.eval(element)))
            except Unresolved as exc:
                self.missing(exc)
        return [placeholder_argument(item, self.module.inputs) for item in arguments]

    def _environment(self) -> EnvironmentSpec | None:
        value, found = self.config_value("environment")
        if not found:
            value = self.field("environment")
        if value is None:
            self.notes.append("no environment= given: the service would use its default CPU image")
            return None
        if not isinstance(value, Obj) or value.kind != "env":
            self.unresolved.setdefault("environment", (self.job.line, ""))
            return None
        return EnvironmentBuilder(self, value).build()

    def _variables(self, environment: EnvironmentSpec | None) -> dict[str, str]:
        variables = dict(environment.variables) if environment else {}
        value, found = self.config_value("environment_variables")
        if found and isinstance(value, dict):
            variables.update(value)
        variables.update(self.config_items("environment_variables"))
        return {str(key): str(item) for key, item in variables.items()}

    def _distributed(self) -> Distributed | None:
        ignored = [f"{prefix}.{name}" for prefix in self._config_prefixes()
                   for name in ("node_count", "mpi", "pytorch", "tensorflow", "communicator", "framework")
                   if self.module.attribute(f"{prefix}.{name}", 0) is not None]
        if ignored:
            self.notes.append(f"{', '.join(ignored)} set on the RunConfiguration: not simulated; "
                              "dry-run reads distributed_job_config only")
        value = self.field("distributed_job_config")
        if not isinstance(value, Obj) or value.kind != "distributed":
            return None
        attrs = dict(value.attrs)
        if value.var:
            for name in list(attrs):
                found = self.module.attribute(f"{value.var}.{name}", value.line)
                if found is not None:
                    attrs[name] = self.value(found[1])
        try:
            return distributed_layout(attrs)
        except (TypeError, ValueError):   # a count that is not a number (or was unresolvable)
            self.unresolved.setdefault(ast.unparse(value.node), (value.line, ""))
            return None

    def _max_run(self) -> int | None:
        value, found = self.config_value("max_run_duration_seconds")
        if not found:
            value = self.field("max_run_duration_seconds", SRC_DEFAULT_MAX_RUN_SECONDS)
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            self.unresolved.setdefault("max_run_duration_seconds", (self.job.line, ""))
            return None

    def _config_inputs(self) -> None:
        """Inputs registered only in run_config.data_references / .data are mounted too."""
        for attribute in ("data_references", "data"):
            value, _ = self.config_value(attribute)
            values = list(value.values()) if isinstance(value, dict) else []
            values += self.config_items(attribute).values()
            for item in values:
                if isinstance(item, Obj) and item.kind in {"dataset", "named_dataset"}:
                    self.module.as_argument(item)   # a dataset consumed without an argument

    def _experiment(self) -> str:
        for node in ast.walk(self.module.tree):
            if isinstance(node, ast.Call) and _is_class(self.module, node, "Experiment"):
                try:
                    name = self.module.eval(node).attrs.get("name")
                except Unresolved:
                    continue
                if isinstance(name, str):
                    return name
        return "dry-run"


class EnvironmentBuilder:
    """An environment as the job would get it: its constructor's contents, then what later statements
    set on it (`env.docker.base_image = ...`) and do to its dependencies, in statement order."""

    def __init__(self, extractor: Extractor, env: Obj) -> None:
        self.extractor = extractor
        self.env = env
        self.module = extractor.module

    def set_value(self, dotted: str) -> tuple[Any, int | None]:
        """The last `env.<dotted> = VALUE` after the environment was made, and its line."""
        if not self.env.var:
            return None, None
        found = self.module.attribute(f"{self.env.var}.{dotted}", self.env.line)
        return (self.extractor.value(found[1]), found[0]) if found else (None, None)

    def build(self) -> EnvironmentSpec:
        attrs = self.env.attrs
        spec = EnvironmentSpec(name=attrs.get("name"), curated=attrs.get("curated"), line=self.env.line)
        base_image, line = self.set_value("docker.base_image")
        spec.base_image = base_image if line else attrs.get("base_image")
        spec.registry, _ = self.set_value("docker.base_image_registry.address")
        _, dockerfile = self.set_value("docker.base_dockerfile")
        if dockerfile:
            raise DryRunError(
                f"environment {spec.name!r} is built from a Dockerfile "
                f"({self.extractor.source.where(dockerfile)}); build it yourself and pass --image"
            )
        user_managed, _ = self.set_value("python.user_managed_dependencies")
        spec.user_managed = bool(user_managed)
        conda = self._conda()
        spec.pip, spec.conda = list(conda.pip or []), conda.conda_packages
        variables, line = self.set_value("environment_variables")
        spec.variables = dict(variables) if line and isinstance(variables, dict) else dict(attrs["variables"])
        if self.env.var:
            for _, key, value in self.module.item_sets.get(f"{self.env.var}.environment_variables", []):
                spec.variables[self.extractor.value(key)] = self.extractor.value(value)
        spec.variables = {str(key): str(value) for key, value in spec.variables.items()}
        return spec

    def _conda(self) -> CondaSpec:
        """The environment's dependencies, with every later method call applied in statement order:
        on `env.python.conda_dependencies` after the last assignment to it, and on the variable
        holding the assigned CondaDependencies after it was made."""
        own = f"{self.env.var}.python.conda_dependencies" if self.env.var else None
        assigned, line = self.set_value("python.conda_dependencies")
        if line and not isinstance(assigned, Obj):
            return CondaSpec()  # unresolvable: already reported by name
        own_deps = {"conda": copy.deepcopy(self.env.attrs["conda"])}
        deps = assigned if line else Obj("conda", self.env.node, own_deps)
        calls = self.module.calls_on(own, line or self.env.line) if own else []
        if deps.var and deps is assigned:
            calls += self.module.calls_on(deps.var, deps.line)
        for _, call in sorted(calls, key=lambda entry: entry[0]):
            try:
                self.module.apply(deps, call)
            except Unresolved as exc:
                self.extractor.missing(exc)
        return deps.attrs["conda"]


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def distributed_layout(attrs: dict[str, Any]) -> Distributed:
    kind = attrs["type"]
    if kind == "mpi":
        return Distributed(
            "mpi",
            node_count=int(attrs["node_count"]),
            process_count_per_node=int(attrs["process_count_per_node"]),
        )
    if kind == "pytorch":
        nodes = int(attrs["node_count"])
        total = attrs.get("process_count")
        per_node = max(1, int(total) // nodes) if total else 1
        return Distributed(
            "pytorch",
            node_count=nodes,
            process_count_per_node=per_node,
            backend=str(attrs["communication_backend"]).lower(),
        )
    workers, servers = int(attrs["worker_count"]), int(attrs["parameter_server_count"])
    return Distributed(
        "tensorflow", node_count=workers + servers, worker_count=workers, parameter_server_count=servers
    )


def placeholder_argument(item: Any, inputs: list[DataInput]) -> Any:
    """`"$AZUREML_DATAREFERENCE_x"` written literally in an argument refers to input x."""
    if not isinstance(item, str):
        return item
    match = _PLACEHOLDER.search(item)
    if not match:
        return item
    for data in inputs:
        if match.group(1) in (data.name, data.key):
            return InputArg(data.key, item[0:match.start()], item[match.end():])
    return item


def attach_flags(arguments: list[Any], inputs: list[DataInput]) -> None:
    by_key = {item.key: item for item in inputs}
    for previous, current in zip([None, *arguments], arguments):
        if (isinstance(current, InputArg) and current.key in by_key and isinstance(previous, str)
                and previous.startswith("-")):
            data = by_key[current.key]
            data.flag = data.flag or previous.lstrip("-")


def load_spec(
    path: Path,
    job: str | None,
    overrides: dict[str, Any],
    env_style: str = "exact",
    script_args: list[str] | None = None,
    target: str = "scriptrunconfig",
) -> RunSpec:
    migration = load_source(path, env_style, target=target)
    source = migration.source
    try:
        tree = ast.parse(source.text, filename=str(source.path))
    except SyntaxError as exc:
        raise DryRunError(
            f"{source.path}: syntax error at {source.where(exc.lineno or 0)}: {exc.msg}"
        ) from None
    context = Context(
        base_dir=path.resolve().parent,
        file=None if source.notebook is not None else path.resolve(),
        argv=[str(path), *(script_args or [])],
        overrides=overrides,
        tree=project_root(path),
    )
    module = Module(tree, context)
    chosen = JobChoice(module, source).select(find_jobs(module, migration), job)
    if chosen.target is not None:
        from .v2_extract import V2Extractor

        spec = V2Extractor(module, source, chosen.target, chosen.var, chosen.line, overrides).spec()
    else:
        spec = Extractor(module, source, chosen).spec()
    if source.migrated:
        spec.notes.append("estimator code was migrated in memory (nothing written): "
                          + "; ".join(migration.summary))
    return spec
