"""A captured submission -> the run spec: the SDK's serialised run configuration, read field by field.

The record comes from code the user runs in a sandbox, so every field is checked for its type; a
record that does not fit is one clear error, never a traceback."""

from __future__ import annotations

import os
import re
from typing import Any

from .capture import Capture
from .extract import attach_flags, placeholder_argument
from .packages import CondaSpec
from .spec import DataInput, Distributed, DryRunError, EnvironmentSpec, InputArg, RunSpec
from .sweep import centre

_DATASET_ARGUMENT = re.compile(r"^DatasetConsumptionConfig:(\w+)$")  # the SDK's _DATASET_ARGUMENT_TEMPLATE
_SUPPORTED = {"script_run", "hyperdrive", "estimator", "v2"}


def several(capture: Capture) -> DryRunError:
    listing = "; ".join(describe(record, capture) for record in capture.submissions)
    return DryRunError(f"{capture.source.path} submitted {len(capture.submissions)} jobs ({listing}); "
                       "choose one with --job N")


def describe(record: dict[str, Any], capture: Capture) -> str:
    line = record.get("line")
    where = capture.source.where(line) if isinstance(line, int) else "?"
    if isinstance(record.get("job"), dict):  # SDK v2: what it runs
        command = " ".join(str(record["job"].get("command") or "?").split())
        what = command if len(command) <= 40 else command[:37] + "..."
    else:
        config = record.get("run_config")
        what = config.get("script") if isinstance(config, dict) else None
    return f"{record.get('index')}: {record.get('type')} of {what or '?'} ({where})"


def listing(capture: Capture) -> dict[str, Any]:
    """What `--plan` shows when the script submitted several jobs and none was chosen."""
    return {"capture": {"sandbox": capture.sandbox, "notes": capture.notes,
                        "submissions": [describe(record, capture) for record in capture.submissions]},
            "run_spec": None}


def choose(capture: Capture, job: str | None) -> dict[str, Any] | None:
    """The submission to run: `--job N` (the N-th), else the only one that can be dry-run; None when
    there are several to choose from."""
    listing = "; ".join(describe(record, capture) for record in capture.submissions)
    if job is not None:
        if not job.isdigit() or not 1 <= int(job) <= len(capture.submissions):
            raise DryRunError(f"--job {job}: with --capture, give the number of a submission ({listing})")
        return _runnable(capture.submissions[int(job) - 1], capture)
    runnable = [record for record in capture.submissions if record.get("kind") in _SUPPORTED]
    if len(capture.submissions) == 1 or len(runnable) == 1:
        return _runnable(runnable[0] if runnable else capture.submissions[0], capture)
    return None


def _runnable(record: dict[str, Any], capture: Capture) -> dict[str, Any]:
    kind = record.get("kind")
    if kind == "failed":
        raise DryRunError(f"submission {describe(record, capture)} could not be recorded: "
                          f"{record.get('error')}")
    if kind not in _SUPPORTED:
        raise DryRunError(f"submission {describe(record, capture)}: a {record.get('type')} cannot be dry-run "
                          "(only ScriptRunConfig, HyperDriveConfig, estimators and azure-ai-ml command jobs "
                          "and their sweeps can)")
    return record


def spec_from(record: dict[str, Any], capture: Capture, overrides: dict[str, Any]) -> RunSpec:
    try:
        return _spec(record, capture, overrides)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise DryRunError(f"submission {record.get('index')}: its run configuration does not read as "
                          f"expected ({type(exc).__name__}: {exc})") from None


def _spec(record: dict[str, Any], capture: Capture, overrides: dict[str, Any]) -> RunSpec:
    if record["kind"] == "v2":
        return _v2_spec(record, capture, overrides)
    config = _mapping(record["run_config"])
    line = record.get("line") if isinstance(record.get("line"), int) else 0
    notes = [*capture.notes, *[f"{item}" for item in record.get("problems", [])]]
    inputs = _inputs(config, record, line)
    arguments = [_argument(item, inputs, notes) for item in _list(config.get("arguments"))]
    hyperparameters: dict[str, Any] = {}
    if record["kind"] == "hyperdrive":
        hyperparameters = trial_point(_mapping(record["hyperdrive"]).get("space") or {}, overrides)
        for flag, value in hyperparameters.items():
            arguments += [flag, str(value)]
        notes.append("HyperDrive sweep: the dry run is one trial, with "
                     + " ".join(f"{k} {v}" for k, v in hyperparameters.items()))
    elif overrides:
        raise DryRunError("--set has no effect with --capture unless the job is a HyperDrive sweep (it then "
                          "picks hyperparameters); give the submit script's own arguments after --")
    if record["kind"] == "estimator":
        notes.append("an estimator the fixer left as it was: captured the way the SDK converts it "
                     f"({'; '.join(capture.blocked)})")
    attach_flags(arguments, inputs)
    environment = _environment(config, record, line)
    variables = dict(environment.variables) if environment else {}
    variables.update({str(k): str(v) for k, v in _mapping(config.get("environmentVariables") or {}).items()})
    source_directory, snapshot = capture.host_paths(str(record["source_directory"]), "source directory")
    return RunSpec(
        submit_path=str(capture.source.path),
        job_name=f"submission {record['index']}",
        job_line=capture.source.original_lines(line)[0] if line else 0,
        location=f"{capture.source.path} {capture.source.where(line)}" if line else "",
        source_directory=str(source_directory),
        script=str(config["script"]),
        arguments=arguments,
        environment=environment,
        inputs=inputs,
        environment_variables=variables,
        distributed=distributed(config),
        max_run_duration_seconds=_optional_int(config.get("maxRunDurationSeconds")),
        experiment_name=str(record.get("experiment") or "dry-run"),
        notes=notes,
        snapshot_from=str(snapshot),
        capture={
            "sandbox": capture.sandbox,
            "submissions": [describe(item, capture) for item in capture.submissions],
            "chosen": record["index"],
            "hyperparameters": hyperparameters,
            "compute_target": config.get("target"),
            "run_config": config,  # as the SDK serialised it
        },
    )


def _v2_spec(record: dict[str, Any], capture: Capture, overrides: dict[str, Any]) -> RunSpec:
    """An azure-ai-ml job as its description (v2_job.py); its paths are the sandbox's."""
    from .v2_job import V2Context, run_spec

    job = _mapping(record["job"])
    space = _mapping((job.get("sweep") or {}).get("search_space") or {})
    unknown = [name for name in overrides if name not in space]
    if unknown:
        raise DryRunError(f"--set {', '.join(unknown)}: not a hyperparameter of the sweep "
                          f"({', '.join(space) or 'none'}); with --capture, give the submit script's own "
                          "arguments after --")
    line = record.get("line") if isinstance(record.get("line"), int) else 0
    context = V2Context(
        submit_path=str(capture.source.path),
        job_line=capture.source.original_lines(line)[0] if line else 0,
        where=f"{capture.source.path} {capture.source.where(line)}" if line else str(capture.source.path),
        local_path=lambda path: capture.host_paths(os.path.join(str(job.get("base_path")), path),
                                                   "local input")[1],
        environments={str(name): value for name, value in _mapping(record.get("environments") or {}).items()
                      if isinstance(value, dict)},
        overrides=overrides,
    )
    spec = run_spec(job, context, [*capture.notes, *[str(item) for item in record.get("problems", [])]])
    if job.get("code"):
        source_directory, snapshot = capture.host_paths(str(job["code"]), "code folder")
        spec.source_directory, spec.snapshot_from = str(source_directory), str(snapshot)
    spec.job_name = f"submission {record['index']}"
    spec.experiment_name = str(record.get("experiment") or job.get("experiment_name") or "dry-run")
    spec.capture = {
        "sandbox": capture.sandbox,
        "submissions": [describe(item, capture) for item in capture.submissions],
        "chosen": record["index"],
        "hyperparameters": (spec.sweep or {}).get("trial", {}),
        "compute_target": job.get("compute"),
        "job": job,  # as recorded from the objects the script built
    }
    return spec


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _inputs(config: dict[str, Any], record: dict[str, Any], line: int) -> list[DataInput]:
    inputs: list[DataInput] = []

    def add(**fields: Any) -> None:
        inputs.append(DataInput(key=f"input_{len(inputs) + 1}", line=line, **fields))

    for name, reference in _mapping(config.get("dataReferences") or {}).items():
        reference = _mapping(reference)
        add(kind="reference", name=str(name), datastore=reference.get("dataStoreName"),
            path_on_datastore=reference.get("pathOnDataStore"), mode=str(reference.get("mode") or "mount"))
    described = _mapping(record.get("datasets") or {})
    for name, data in _mapping(config.get("data") or {}).items():
        dataset = _mapping(_mapping(_mapping(data).get("dataLocation") or {}).get("dataset") or {})
        registered = _mapping(described.get(name) or {}).get("registered_name") or dataset.get("name")
        add(kind="dataset", name=str(name), dataset=registered, mode=str(data.get("mechanism") or "direct"))
    return inputs


def _argument(item: Any, inputs: list[DataInput], notes: list[str]) -> Any:
    if not isinstance(item, str):
        if isinstance(item, (dict, list)):
            raise TypeError(f"argument {item!r} is not a value")
        return str(item)
    match = _DATASET_ARGUMENT.match(item)
    if match:
        datasets = [data for data in inputs if data.kind == "dataset" and data.name == match.group(1)]
        found = datasets[0] if datasets else None
        if found is not None:
            return InputArg(found.key)
    resolved = placeholder_argument(item, inputs)
    if resolved == item and "$AZUREML_DATAREFERENCE_" in item:
        notes.append(f"argument {item!r} names a data reference that run_config.data_references does not "
                     "register: the cloud job gets it as text, and so does the dry run")
    return resolved


def _environment(config: dict[str, Any], record: dict[str, Any], line: int) -> EnvironmentSpec | None:
    env = config.get("environment")
    if env is None:
        return None
    env = _mapping(env)
    docker = _mapping(env.get("docker") or {})
    python = _mapping(env.get("python") or {})
    if docker.get("baseDockerfile"):
        raise DryRunError(f"environment {env.get('name')!r} is built from a Dockerfile; build it yourself "
                          "and pass --image")
    dependencies = _mapping(python.get("condaDependencies") or {}).get("dependencies")
    conda = CondaSpec.from_dependencies(_list(dependencies))
    return EnvironmentSpec(
        name=env.get("name"),
        curated=record.get("curated") if isinstance(record.get("curated"), str) else None,
        base_image=docker.get("baseImage"),
        registry=_mapping(docker.get("baseImageRegistry") or {}).get("address"),
        pip=list(conda.pip or []),
        conda=conda.conda_packages,
        user_managed=bool(python.get("userManagedDependencies")),
        variables={str(k): str(v) for k, v in _mapping(env.get("environmentVariables") or {}).items()},
        line=line,
    )


def distributed(config: dict[str, Any]) -> Distributed | None:
    """The layout the SDK wrote: `communicator` says MPI or parameter servers, `framework` PyTorch."""
    communicator = str(config.get("communicator") or "None")
    framework = str(config.get("framework") or "Python")
    if framework == "PyTorch":
        torch = _mapping(config.get("pytorch") or {})
        nodes = int(torch.get("nodeCount") or config.get("nodeCount") or 1)
        total = torch.get("processCount")
        return Distributed("pytorch", node_count=nodes, process_count_per_node=max(1, int(total) // nodes)
                           if total else 1, backend=str(torch.get("communicationBackend") or "nccl").lower())
    if framework == "TensorFlow" and communicator == "ParameterServer":
        tensorflow = _mapping(config.get("tensorflow") or {})
        workers, servers = int(tensorflow["workerCount"]), int(tensorflow["parameterServerCount"])
        return Distributed("tensorflow", node_count=workers + servers, worker_count=workers,
                           parameter_server_count=servers)
    if communicator.lower().endswith("mpi"):
        mpi = _mapping(config.get("mpi") or {})
        return Distributed("mpi", node_count=int(config.get("nodeCount") or mpi.get("nodeCount") or 1),
                           process_count_per_node=int(mpi.get("processCountPerNode") or 1))
    return None


def trial_point(space: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """One point of a HyperDrive search space, as `--flag value` pairs for the trial's command line:
    the first choice, the middle of a range (`--set NAME=VALUE` picks another). Parameters without
    dashes are passed as `--name`."""
    flags = {name: name if name.startswith("-") else f"--{name}" for name in space}
    unknown = [name for name in overrides if name not in space and name not in flags.values()
               and f"--{name.lstrip('-')}" not in flags.values()]
    if unknown:
        raise DryRunError(f"--set {', '.join(unknown)}: not a hyperparameter of the sweep "
                          f"({', '.join(space) or 'none'})")
    point = {}
    for name, distribution in space.items():
        flag = flags[name]
        given = [value for key, value in overrides.items() if f"--{key.lstrip('-')}" == flag]
        point[flag] = given[0] if given else centre(name, distribution)
    return point
