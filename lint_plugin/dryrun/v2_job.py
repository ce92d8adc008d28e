"""An SDK v2 command job (azure-ai-ml `command(...)`, or one trial of its `.sweep(...)`) -> the run spec.

Both modes describe the job the same way, as plain data close to what `job._to_dict()` shows: the
static resolver from the script's text (`v2_values.describe`), capture mode from the real objects the
script built (payload `_aml_dryrun_capture/v2recorder.py`). This module reads that description:

    {"code": "src", "command": "python train.py --lr ${{inputs.lr}} --data ${{inputs.data}}",
     "inputs": {"lr": 0.1, "data": {"type": "uri_folder", "path": "azureml:...", "mode": "ro_mount"}},
     "outputs": {"model": {"type": "uri_folder"}}, "environment": "azureml:NAME@latest" or
     {"image": ..., "conda_file": {...}, "build": None, "name": ...}, "environment_variables": {...},
     "instance_count": 2, "distribution": {"type": "mpi", "process_count_per_instance": 2},
     "shm_size": "2g", "timeout": 3600, "experiment_name": ..., "compute": ...,
     "sweep": None or {"search_space": {"lr": {"type": "choice", "values": [...]}}, "limits": {...}, ...}}

The command runs as the service runs it: `${{inputs.NAME}}` and `${{outputs.NAME}}` replaced in its
text (a literal input by its value, a data input or output by its mount path), `$[[...]]` kept only
when every input it names has a value. `python SCRIPT ARGS` (nothing the shell would interpret) is run
like a v1 script; any other command is run by the shell as it is."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..sdk.frameworks import ENVIRONMENTS, SCENARIO_PYTHON
from .packages import CondaSpec
from .spec import DataInput, DataOutput, Distributed, DryRunError, EnvironmentSpec, InputArg, RunSpec
from .sweep import centre, from_v2

LITERAL_TYPES = {"integer", "number", "string", "boolean"}
_FOLDER_OUTPUTS = {"uri_folder", "mlflow_model", "custom_model", "triton_model", "mltable"}
DEFAULT_SHM_SIZE = "2g"  # the service's default for a command job (azure-ai-ml JobResourceConfiguration)
_REMOTE = ("azureml:", "http://", "https://", "wasbs://", "wasb://", "abfss://", "abfs://", "adl://", "s3://",
           "gs://")
_PLACEHOLDER = re.compile(r"\$\{\{\s*(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_OPTIONAL = re.compile(r"\$\[\[(.*?)\]\]", re.DOTALL)
_SENTINEL = re.compile("\ue000(\\d+)\ue001")
_SHELL_CHARACTERS = set("$`*?[]~;&|<>(){}!#\\\n")
_PYTHON = re.compile(r"python(3(\.\d+)?)?")
_ENVIRONMENT_IN_PATH = re.compile(r"/environments/([^/]+)")
_ENVIRONMENT_NAME = re.compile(r"^(?:azureml:)?([^:@/]+)(?:[:@].*)?$")


@dataclass
class V2Context:
    """What the description alone does not say: where the job is, and where its local paths are."""

    submit_path: str
    job_line: int  # a line of the user's file, for messages and the spec
    where: str  # `submit.py line 12`
    local_path: Callable[[str], Path]  # a local path as the job names it -> the path on this machine
    environments: dict[str, dict[str, Any]] = field(default_factory=dict)  # registered by the script
    overrides: dict[str, Any] = field(default_factory=dict)  # --set NAME=VALUE: sweep hyperparameters


def run_spec(description: dict[str, Any], context: V2Context, notes: list[str]) -> RunSpec:
    from .extract import attach_flags

    try:
        spec = _Job(description, context, notes).spec()
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:  # a value of the wrong kind
        raise DryRunError(f"{context.where}: the command job does not read as a command job should "
                          f"({type(exc).__name__}: {exc})") from None
    attach_flags(spec.arguments, spec.inputs)  # `--data data-dir=...` for `--data-dir ${{inputs.x}}` too
    return spec


def is_remote(path: str) -> bool:
    return path.startswith((*_REMOTE, "/subscriptions/"))


class _Job:
    def __init__(self, description: dict[str, Any], context: V2Context, notes: list[str]) -> None:
        self.job = description
        self.context = context
        self.notes = notes
        self.inputs: list[DataInput] = []
        self.outputs: list[DataOutput] = []
        self.values: dict[str, Any] = {}  # literal inputs, by name
        self.markers: dict[str, InputArg] = {}  # "inputs.NAME" / "outputs.NAME" -> its mount path

    def fail(self, message: str) -> DryRunError:
        return DryRunError(f"{self.context.where}: {message}")

    def spec(self) -> RunSpec:
        sweep = self._sweep()
        self._inputs(sweep["trial"] if sweep else {})
        self._outputs()
        script, arguments, shell = self._command()
        code = self.job.get("code")
        limit, limit_name = self._time_limit(sweep)
        return RunSpec(
            submit_path=self.context.submit_path,
            job_name=self.job.get("name"),
            job_line=self.context.job_line,
            location=self.context.where,
            source_directory="" if code is None else str(code),
            script=script,
            arguments=arguments,
            environment=self._environment(),
            inputs=self.inputs,
            environment_variables={str(key): str(value)
                                   for key, value in (self.job.get("environment_variables") or {}).items()},
            distributed=self._distributed(),
            max_run_duration_seconds=limit,
            experiment_name=str(self.job.get("experiment_name") or "dry-run"),
            notes=self.notes,
            sdk="v2",
            outputs=self.outputs,
            shell_command=shell,
            shm_size=str(self.job.get("shm_size") or DEFAULT_SHM_SIZE),
            time_limit_name=limit_name,
            sweep=sweep,
        )

    # --- inputs and outputs --------------------------------------------------------------------
    def _inputs(self, trial: dict[str, Any]) -> None:
        self.values.update(trial)  # a sweep's hyperparameters: the trial's values
        for name, value in (self.job.get("inputs") or {}).items():
            if name in trial:
                continue
            if isinstance(value, dict) and (value.get("type") or "uri_folder") in LITERAL_TYPES:
                if value.get("default") is not None:  # Input(type="integer", default=3)
                    self.values[name] = value["default"]
            elif isinstance(value, dict):
                self._data_input(str(name), value)
            elif value is not None:
                self.values[name] = value

    def _data_input(self, name: str, value: dict[str, Any]) -> None:
        path = value.get("path")
        asset_type = str(value.get("type") or "uri_folder")
        local = None
        if path is not None and not is_remote(str(path)):
            local = self.context.local_path(str(path))
            if not local.exists():
                raise self.fail(f"input {name!r}: local path {path} does not exist ({local})")
            if asset_type == "uri_file" and not local.is_file():
                raise self.fail(f"input {name!r} is a uri_file but {local} is not a file")
        mode = str(value.get("mode") or "ro_mount")
        if mode == "direct":
            self.notes.append(f"input {name!r} has mode direct: the cloud job gets its URI, the dry run "
                              "the mount path of its local folder")
        item = DataInput(key=f"input_{len(self.inputs) + 1}", kind="input", line=self.context.job_line,
                         name=name, mode=mode, asset_type=asset_type,
                         uri=None if path is None else str(path),
                         local_path=None if local is None else str(local))
        self.inputs.append(item)
        self.markers[f"inputs.{name}"] = InputArg(item.key)

    def _outputs(self) -> None:
        for name, value in (self.job.get("outputs") or {}).items():
            value = value if isinstance(value, dict) else {}
            item = DataOutput(key=f"output_{len(self.outputs) + 1}", name=str(name),
                              line=self.context.job_line, asset_type=str(value.get("type") or "uri_folder"),
                              mode=value.get("mode"))
            if item.asset_type not in _FOLDER_OUTPUTS:
                self.notes.append(f"output {name!r} is a {item.asset_type}: the dry run gives it a folder")
            self.outputs.append(item)
            self.markers[f"outputs.{name}"] = InputArg(item.key)

    # --- the command ---------------------------------------------------------------------------
    def _command(self) -> tuple[str, list[Any], list[Any] | None]:
        """(script, arguments, None) for `python SCRIPT ARGS`; ("", [], segments) for a shell command."""
        text = self.job.get("command")
        if not isinstance(text, str) or not text.strip():
            raise self.fail("the command job has no command=")
        text = _OPTIONAL.sub(lambda match: self._optional(match.group(1)), text)
        parts: list[Any] = []
        last = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append(text[last:match.start()])
            parts.append(self._placeholder(match.group(1), match.group(2)))
            last = match.end()
        parts.append(text[last:])
        python = self._python_form(parts)
        if python is not None:
            return python[0], python[1], None
        return "", [], _merge(parts)

    def _optional(self, inner: str) -> str:
        """`$[[--x ${{inputs.x}}]]`: kept when every input it names has a value, as the service does."""
        for kind, name in _PLACEHOLDER.findall(inner):
            if kind == "inputs" and name not in self.values and f"inputs.{name}" not in self.markers:
                return ""
        return inner

    def _placeholder(self, kind: str, name: str) -> Any:
        if kind == "inputs" and name in self.values:
            return str(self.values[name])  # how the dry run renders v1 arguments too: str(value)
        marker = self.markers.get(f"{kind}.{name}")
        if marker is None:
            known = sorted({key for key in self.markers if key.startswith(kind)} |
                           ({f"inputs.{key}" for key in self.values} if kind == "inputs" else set()))
            raise self.fail(f"the command uses ${{{{{kind}.{name}}}}} but the job has no {kind[:-1]} "
                            f"{name!r} with a value ({', '.join(known) or 'none'})")
        return marker

    def _python_form(self, parts: list[Any]) -> tuple[str, list[Any]] | None:
        """`python SCRIPT ARGS` when nothing in it needs a shell; else None."""
        markers = [part for part in parts if isinstance(part, InputArg)]
        text = "".join(part if isinstance(part, str) else f"\ue000{markers.index(part)}\ue001"
                       for part in parts)
        if _SHELL_CHARACTERS & set(_SENTINEL.sub("", text)):
            return None
        try:
            tokens = shlex.split(text)
        except ValueError:
            return None  # unbalanced quotes: the shell says what it makes of them
        if len(tokens) < 2 or not _PYTHON.fullmatch(tokens[0]) or not tokens[1].endswith(".py") \
                or _SENTINEL.search(tokens[1]):
            return None
        arguments: list[Any] = []
        for token in tokens[2:]:
            found = list(_SENTINEL.finditer(token))
            if len(found) > 1:
                return None
            if not found:
                arguments.append(token)
                continue
            marker = markers[int(found[0].group(1))]
            arguments.append(InputArg(marker.key, token[:found[0].start()], token[found[0].end():]))
        return tokens[1], arguments

    # --- environment, layout, limits -------------------------------------------------------------
    def _environment(self) -> EnvironmentSpec | None:
        env = self.job.get("environment")
        if env is None:
            self.notes.append("the command job has no environment=: azure-ai-ml refuses to submit it; the "
                              "dry run uses the v1 SDK's default CPU image")
            return None
        if isinstance(env, str):
            name = environment_name(env)
            if name is None:
                raise self.fail(f"environment {env!r}: not an environment reference this dry run can read")
            registered = self.context.environments.get(name)
            if registered is None:
                return self._curated(name)
            env = registered
        label = env.get("name") or "(inline)"
        if env.get("build"):
            raise self.fail(f"environment {label} is built from a Docker build context; build it yourself "
                            "and pass --image")
        if not env.get("image"):
            raise self.fail(f"environment {label} has no image= (azure-ai-ml needs one)")
        conda_file = env.get("conda_file")
        conda = CondaSpec()
        if conda_file is not None:
            dependencies = conda_file.get("dependencies") if isinstance(conda_file, dict) else None
            if not isinstance(dependencies, list):
                raise self.fail("the environment's conda_file has no dependencies list")
            conda = CondaSpec.from_dependencies(dependencies)
        return EnvironmentSpec(name=env.get("name"), base_image=str(env["image"]), pip=list(conda.pip or []),
                               conda=conda.conda_packages, line=self.context.job_line,
                               origin=self.context.where)

    def _curated(self, name: str) -> EnvironmentSpec:
        """A named environment: a curated one has the image and packages the v1 dry run knows for the
        same name; any other is known only by a pin in the project config (or --image)."""
        spec = EnvironmentSpec(name=name, curated=name, line=self.context.job_line, origin=self.context.where)
        known = next((item for item in ENVIRONMENTS if item.curated == name), None)
        if known is not None:
            spec.base_image, spec.pip, spec.conda = known.base_image, list(known.pip), [SCENARIO_PYTHON]
        return spec

    def _distributed(self) -> Distributed | None:
        count = int(self.job.get("instance_count") or 1)
        distribution = self.job.get("distribution")
        if not distribution:
            if count > 1:
                self.notes.append(f"instance_count={count} without a distribution: the service starts the "
                                  "command on every node; the dry run starts it once")
            return None
        kind = str(distribution.get("type") or "").lower()
        per_node = int(distribution.get("process_count_per_instance") or 1)
        if kind == "mpi":
            return Distributed("mpi", node_count=count, process_count_per_node=per_node)
        if kind == "pytorch":
            return Distributed("pytorch", node_count=count, process_count_per_node=per_node)
        if kind == "tensorflow":
            workers = int(distribution.get("worker_count") or count)
            servers = int(distribution.get("parameter_server_count") or 0)
            return Distributed("tensorflow", node_count=workers + servers, worker_count=workers,
                               parameter_server_count=servers)
        raise self.fail(f"a {kind or 'untyped'} distribution cannot be dry-run (MPI, PyTorch and TensorFlow "
                        "can)")

    def _time_limit(self, sweep: dict[str, Any] | None) -> tuple[int | None, str]:
        if sweep is None:
            timeout = self.job.get("timeout")
            return (int(timeout) if timeout else None), "timeout"
        limits = sweep.get("limits") or {}
        given = [(int(limits[name]), f"sweep {name}") for name in ("trial_timeout", "timeout")
                 if limits.get(name)]
        return min(given) if given else (None, "timeout")

    # --- sweep -----------------------------------------------------------------------------------
    def _sweep(self) -> dict[str, Any] | None:
        sweep = self.job.get("sweep")
        if not sweep:
            return None
        space = sweep.get("search_space") or {}
        trial = {name: self.context.overrides[name] if name in self.context.overrides
                 else centre(name, from_v2(name, distribution)) for name, distribution in space.items()}
        values = ", ".join(f"{name}={value}" for name, value in trial.items())
        self.notes.append("sweep: the dry run is one trial, with " + (values or "no hyperparameters")
                          + " (the first value of each choice, the middle of each range; others with "
                          "--set NAME=VALUE)")
        return {**sweep, "trial": trial}


def _merge(parts: list[Any]) -> list[Any]:
    """Adjacent text parts as one string, the markers between them."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


def environment_name(reference: str) -> str | None:
    """The environment a job names: `azureml:NAME@latest`, `NAME:3`, `azureml://registries/R/environments/
    NAME/labels/latest`, an ARM id, ..."""
    found = _ENVIRONMENT_IN_PATH.search(reference)
    if found and reference.startswith(("azureml://", "/subscriptions/")):
        return found.group(1)
    found = _ENVIRONMENT_NAME.match(reference)
    return found.group(1) if found else None
