"""Find the job in a submit script and extract its run spec statically."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..sdk.names import Kind
from .evaluate import Module, Obj, Unresolved
from .source import SubmitSource
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


def find_jobs(module: Module) -> list[Job]:
    jobs: list[Job] = []
    targets = {
        id(node.value): node.targets[0].id
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and _is_class(module, node, "ScriptRunConfig"):
            jobs.append(Job(node, targets.get(id(node)), node.lineno))
    return sorted(jobs, key=lambda job: job.line)


def estimator_calls(module: Module) -> list[tuple[str, int]]:
    """Deprecated estimator constructions, as (class name, line)."""
    from ..sdk.names import lookup

    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            cls = lookup(module.qualified(node.func))
            if cls is not None and cls.kind is Kind.ESTIMATOR:
                found.append((cls.name, node.lineno))
    return found


def _is_class(module: Module, node: ast.Call, name: str) -> bool:
    qualified = module.qualified(node.func)
    return qualified is not None and qualified.rsplit(".", 1)[-1] == name and qualified.startswith("azureml.")


def _submitted(module: Module) -> set[str]:
    """Names passed to `experiment.submit(X)` or `HyperDriveConfig(run_config=X)`."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "submit":
            candidate: ast.AST | None = Module.arg_node(node, 0, "config")
        elif _is_class(module, node, "HyperDriveConfig"):
            candidate = Module.arg_node(node, 8, "run_config")
        else:
            continue
        if isinstance(candidate, ast.Name):
            names.add(candidate.id)
    return names


def select_job(module: Module, source: SubmitSource, choice: str | None) -> Job:
    jobs = find_jobs(module)
    if not jobs:
        raise DryRunError(f"{source.path}: no ScriptRunConfig found")
    listing = ", ".join(f"{job.var or '?'} ({source.where(job.line)})" for job in jobs)
    if choice:
        chosen = [job for job in jobs if job.var == choice or str(job.line) == choice]
        if len(chosen) != 1:
            raise DryRunError(f"{source.path}: --job {choice} matches {len(chosen)} of the jobs: {listing}")
        return chosen[0]
    if len(jobs) == 1:
        return jobs[0]
    submitted = [job for job in jobs if job.var in _submitted(module)]
    if len(submitted) == 1:
        return submitted[0]
    raise DryRunError(f"{source.path}: several ScriptRunConfigs ({listing}); choose one with --job NAME|LINE")


class Extractor:
    """Builds the RunSpec of one job, collecting every unresolvable name before failing."""

    def __init__(self, module: Module, source: SubmitSource, job: Job) -> None:
        self.module = module
        self.source = source
        self.job = job
        self.unresolved: dict[str, int] = {}
        self.notes: list[str] = []

    def field(self, position_name: str, default: Any = None) -> Any:
        node = Module.arg_node(self.job.call, _SRC_POSITIONS[position_name], position_name)
        return default if node is None else self.value(node, default)

    def value(self, node: ast.AST, default: Any = None) -> Any:
        try:
            return self.module.eval(node)
        except Unresolved as exc:
            self.unresolved.setdefault(exc.name, exc.line)
            return default

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
            names = ", ".join(f"{name} ({self.source.where(line)})" for name, line in self.unresolved.items())
            raise DryRunError(
                f"{self.source.path}: cannot resolve statically: {names}; supply each with --set NAME=VALUE"
            )
        if not script:
            raise DryRunError(
                f"{self.source.path} {self.source.where(self.job.line)}: ScriptRunConfig has no script="
            )
        _attach_flags(arguments, self.module.inputs)
        return RunSpec(
            submit_path=str(self.source.path),
            job_name=self.job.var,
            job_line=self.job.line,
            source_directory=str(source_directory),
            script=str(script),
            arguments=arguments,
            environment=environment,
            inputs=self.module.inputs,
            environment_variables=variables,
            distributed=distributed,
            max_run_duration_seconds=max_run,
            experiment_name=experiment,
            notes=self.notes,
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
                self.unresolved.setdefault(exc.name, exc.line)
        return [_placeholder_argument(item, self.module.inputs) for item in arguments]

    def _environment(self) -> EnvironmentSpec | None:
        value, found = self.config_value("environment")
        if not found:
            value = self.field("environment")
        if value is None:
            self.notes.append("no environment= given: the service would use its default CPU image")
            return None
        if not isinstance(value, Obj) or value.kind != "env":
            self.unresolved.setdefault("environment", self.job.line)
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
            return _distributed(attrs)
        except (TypeError, ValueError):   # a count that is not a number (or was unresolvable)
            self.unresolved.setdefault(ast.unparse(value.node), value.line)
            return None

    def _max_run(self) -> int | None:
        value, found = self.config_value("max_run_duration_seconds")
        if not found:
            value = self.field("max_run_duration_seconds", SRC_DEFAULT_MAX_RUN_SECONDS)
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            self.unresolved.setdefault("max_run_duration_seconds", self.job.line)
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
    def __init__(self, extractor: Extractor, env: Obj) -> None:
        self.extractor = extractor
        self.env = env
        self.module = extractor.module

    def set_value(self, dotted: str) -> tuple[Any, bool]:
        if not self.env.var:
            return None, False
        found = self.module.attribute(f"{self.env.var}.{dotted}", self.env.line)
        return (self.extractor.value(found[1]), True) if found else (None, False)

    def build(self) -> EnvironmentSpec:
        attrs = self.env.attrs
        spec = EnvironmentSpec(
            name=attrs.get("name"), curated=attrs.get("curated"), line=self.env.line
        )
        base_image, _ = self.set_value("docker.base_image")
        spec.base_image = base_image
        spec.registry, _ = self.set_value("docker.base_image_registry.address")
        dockerfile, has_dockerfile = self.set_value("docker.base_dockerfile")
        if has_dockerfile:
            raise DryRunError(
                f"environment {spec.name!r} is built from a Dockerfile "
                f"({self.extractor.source.where(spec.line)}); build it yourself and pass --image"
            )
        user_managed, _ = self.set_value("python.user_managed_dependencies")
        spec.user_managed = bool(user_managed)
        self._packages(spec)
        variables, found = self.set_value("environment_variables")
        if found and isinstance(variables, dict):
            spec.variables.update({str(k): str(v) for k, v in variables.items()})
        if self.env.var:
            for line, key, value in self.module.item_sets.get(f"{self.env.var}.environment_variables", []):
                spec.variables[str(self.extractor.value(key))] = str(self.extractor.value(value))
        return spec

    def _packages(self, spec: EnvironmentSpec) -> None:
        base = Path(self.extractor.source.path).parent
        if self.env.attrs.get("pip_file"):
            spec.pip.extend(read_requirements(base / str(self.env.attrs["pip_file"])))
        if self.env.attrs.get("conda_file"):
            conda, pip = read_conda_file(base / str(self.env.attrs["conda_file"]))
            spec.conda.extend(conda)
            spec.pip.extend(pip)
        conda_obj, found = self.set_value("python.conda_dependencies")
        if found and not isinstance(conda_obj, Obj):
            return  # unresolvable: already reported by name
        if not found:
            # Packages added to the environment's own dependencies (`env.python.conda_dependencies.add_...`).
            conda_obj = Obj("conda", self.env.node, {"pip": [], "conda": []})
        receivers = [f"{self.env.var}.python.conda_dependencies"] if self.env.var else []
        receivers += [conda_obj.var] if conda_obj.var else []
        for receiver in receivers:
            for line, call in self.module.method_calls.get(receiver, []):
                if line > conda_obj.line:
                    try:
                        self.module.apply(conda_obj, call)
                    except Unresolved as exc:
                        self.extractor.unresolved.setdefault(exc.name, exc.line)
        spec.pip.extend(str(item) for item in conda_obj.attrs["pip"])
        spec.conda.extend(str(item) for item in conda_obj.attrs["conda"])


def read_requirements(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DryRunError(f"cannot read pip requirements {path}: {exc.strerror}") from None
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def read_conda_file(path: Path) -> tuple[list[str], list[str]]:
    """The conda and pip packages of a conda environment YAML (only the `dependencies:` list)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DryRunError(f"cannot read conda specification {path}: {exc.strerror}") from None
    conda: list[str] = []
    pip: list[str] = []
    section: list[str] | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not raw.startswith((" ", "-")):
            section = conda if line.strip() == "dependencies:" else None
            continue
        item = line.strip()
        if section is None or not item.startswith("-"):
            continue
        item = item[1:].strip()
        if item == "pip:":
            section = pip
        elif item:
            (pip if section is pip and raw.startswith("    ") else conda).append(item.strip("'\""))
    return conda, pip


def _distributed(attrs: dict[str, Any]) -> Distributed:
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
            backend=str(attrs["communication_backend"]),
        )
    workers, servers = int(attrs["worker_count"]), int(attrs["parameter_server_count"])
    return Distributed(
        "tensorflow", node_count=workers + servers, worker_count=workers, parameter_server_count=servers
    )


def _placeholder_argument(item: Any, inputs: list[DataInput]) -> Any:
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


def _attach_flags(arguments: list[Any], inputs: list[DataInput]) -> None:
    by_key = {item.key: item for item in inputs}
    for previous, current in zip([None, *arguments], arguments):
        if isinstance(current, InputArg) and isinstance(previous, str) and previous.startswith("-"):
            data = by_key[current.key]
            data.flag = data.flag or previous.lstrip("-")


def extract(source: SubmitSource, job_choice: str | None, overrides: dict[str, Any]) -> RunSpec:
    try:
        tree = ast.parse(source.text, filename=str(source.path))
    except SyntaxError as exc:
        raise DryRunError(
            f"{source.path}: syntax error at {source.where(exc.lineno or 0)}: {exc.msg}"
        ) from None
    module = Module(tree, overrides, source.path.resolve().parent)
    job = select_job(module, source, job_choice)
    return Extractor(module, source, job).spec()
