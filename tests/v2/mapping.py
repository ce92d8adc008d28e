"""Does a v2 program run the jobs its v1 original ran? Each job the v1 program defines (``sdk_offline``:
what the v1 SDK sends) is paired by key (``name X`` / ``submission N``) with the v2 program's job
(``sdk_offline.v2``: what azure-ai-ml sends), and every row of docs/v2-mapping.md is checked: the v1
value is turned into the v2 value the row's rule says, and compared with what v2 sends.

A difference is accepted only when the fix summary declares it: a declared change line that names the
field (one of ``ROWS[row]`` or ``Difference.names``: for an input, its name) and one of the values that
differ (``Difference.values``), so a declaration of one change cannot excuse another in the same field.
Things v2 cannot express are differences too, so they must be declared, never dropped silently. The only normalisations are the
ones the packages justify, each commented with its source.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fix.equivalence import Original, _canonical, _diff, _registered_references, expected_run_configuration
from sdk_offline import CURATED_IMAGE_PREFIX, Execution, Job, run_configurations
from sdk_offline.v2 import V2Execution, V2Job

from azure.ai.ml.constants._common import COMMON_RUNTIME_ENV_VAR, LOCAL_COMPUTE_PROPERTY
from azureml.core import Environment, RunConfiguration
from azureml.core._serialization_utils import _serialize_to_dict

# Row -> the field names (v1 and v2) a declared change names to accept a difference in that row. The
# rows of docs/v2-mapping.md; tests/v2/test_mapping_doc.py keeps the two in step.
ROWS: dict[str, tuple[str, ...]] = {
    "code": ("source_directory", "code"),
    "command": ("arguments", "command"),
    "compute": ("compute", "target"),
    "environment reference": ("environment",),
    "image": ("image",),
    "conda": ("conda",),
    "pip": ("pip",),
    "python version": ("python version", "python="),
    "user_managed_dependencies": ("user_managed",),
    "environment_variables": ("environment_variables", "environment variable"),
    "shm_size": ("shm_size",),
    "docker arguments": ("docker_args", "docker arguments", "docker.arguments"),
    "instance_count": ("node_count", "instance_count"),
    "distribution": ("distribution", "process_count", "worker_count", "parameter_server"),
    "communication_backend": ("communication_backend",),
    "timeout": ("timeout", "max_run_duration"),
    "inputs": (),  # named per difference: the input
    "path_on_compute": ("path_on_compute",),
    "sweep": ("hyperdrive", "sweep"),
    "sweep sampling": ("sampling",),
    "sweep search space": ("search_space", "parameter_space", "hyperparameter"),
    "sweep objective": ("primary_metric", "goal"),
    "sweep policy": ("policy", "early_termination"),
    "sweep limits": ("max_total", "max_concurrent", "max_duration", "limits"),
    "experiment": ("experiment",),
    "not expressible": (),  # named per difference: the v1 setting
}


@dataclass(frozen=True)
class Difference:
    row: str
    text: str
    names: tuple[str, ...] = ()  # besides the row's own
    values: tuple[Any, ...] = ()  # what differs (a value, an element of a list); None/empty: nothing

    def accepted_by(self, declared: Sequence[str]) -> bool:
        names = [n.lower() for n in (*ROWS[self.row], *self.names) if n]
        values = [v.lower() for v in _texts(self.values)]
        return any(any(n in change.lower() for n in names) and (not values or any(v in change.lower() for v in values))
                   for change in declared)

    def __str__(self) -> str:
        return f"{self.row}: {self.text}"


def _texts(values: Any) -> list[str]:
    """Each value as the text a declaration would quote: list and dict elements one by one."""
    if isinstance(values, dict):
        return [t for key, value in values.items() for t in (str(key), *_texts(value))]
    if isinstance(values, (list, tuple, set)):
        return [t for value in values for t in _texts(value)]
    return [] if values is None or values == "" else [str(values)]


def _differing(expected: list[Any], actual: list[Any]) -> list[Any]:
    """The elements of one list not in the other, both ways."""
    return [v for v in expected if v not in actual] + [v for v in actual if v not in expected]


def mapping_differences(original: Original, v2: V2Execution) -> list[str]:
    """Every undeclared difference between the v1 program's jobs and the v2 program's, one line each.
    Where a v1 estimator took a prebuilt framework image and the fix declares giving it up, its
    full-build job is the one the v2 job must match (as the v1 equivalence does, tests/fix)."""
    found = []
    for key, old in original.as_written.jobs.items():
        new = v2.jobs.get(key)
        if new is None:
            found.append(f"{key}: the v2 program defines no such job (it has {sorted(v2.jobs)})")
            continue
        if isinstance(new, Job):  # left as v1 code (a manual fix): it must still send what it sent
            found += [f"{key}: left as v1, {line}" for line in _diff(_canonical(old.sent), _canonical(new.sent), "")]
            continue
        if new.sent is None:
            found.append(f"{key}: the SDK cannot make a job of it: {new.error}")
            continue
        lines = undeclared(job_differences(old, new, original.as_written), original.declared)
        full = original.full_build.jobs.get(key)
        if lines and full is not None and _declares_prebuilt_image(old, original.declared):
            lines = undeclared(job_differences(full, new, original.full_build), original.declared)
        found += [f"{key}: {line}" for line in lines]
    extra = [k for k in v2.jobs if k.startswith("submission") and k not in original.as_written.jobs]
    return found + [f"{key}: the v1 program submits no such job" for key in extra]


def undeclared(differences: list[Difference], declared: Sequence[str]) -> list[str]:
    return [str(d) for d in differences if not d.accepted_by(declared)]


def _declares_prebuilt_image(old: Job, declared: Sequence[str]) -> bool:
    images = [rc["environment"]["docker"]["baseImage"] for rc in run_configurations(old.sent)
              if rc and rc["environment"]["docker"]["baseImageRegistry"]["address"]]
    return any(image in change for image in images for change in declared)


# ----------------------------------------------------------------------------------------------------
# One job


def job_differences(old: Job, new: V2Job, execution: Execution) -> list[Difference]:
    """Every row, for one v1 job and its v2 counterpart."""
    configs = list(run_configurations(old.sent))
    if len(configs) != 1 or configs[0] is None or "step" in old.sent or "steps" in old.sent:
        return [Difference("not expressible", "a pipeline or step: no command-job row maps it (manual)",
                           ("pipeline",))]
    config = _v1_run_configuration(old, configs[0], execution)
    view = V2View(new)
    hyper = old.sent.get("hyperdrive")
    found: list[Difference] = []
    if bool(hyper) != view.is_sweep:
        found.append(Difference("sweep", f"v1 is {'a HyperDrive run' if hyper else 'one run'}, "
                                         f"v2 is {'a sweep' if view.is_sweep else 'one command job'}"))
        hyper = hyper if view.is_sweep else None
    names, command = _command(config, view, _flags(hyper))
    found += command
    found += _code(old, view) + _compute(config, view) + _environment(config, view)
    found += _resources(config, view) + _timeout(config, view)
    found += _data(config, view, names, execution.datasets)
    found += _sweep(hyper, view) if hyper else []
    found += _not_expressible(config, hyper)
    if old.experiment is not None and old.experiment != new.experiment:
        found.append(Difference("experiment", f"v1 submits to {old.experiment!r}, v2 to {new.experiment!r}",
                                values=(old.experiment, new.experiment)))
    return found


def _v1_run_configuration(old: Job, config: dict[str, Any], execution: Execution) -> dict[str, Any]:
    """The run configuration as the new v1 API sends the same setting (tests/fix/equivalence.py):
    an estimator's spellings normalised, a ScriptRunConfig's DataReference arguments registered."""
    config = copy.deepcopy(config)
    estimator = old.estimators[0] if old.estimators else None
    if estimator is None:
        _registered_references(config, execution.references)
    else:
        expected_run_configuration(config, copy.deepcopy(config), estimator)
    return config


class V2View:
    """The parts of a v2 job the rows read: for a sweep, its trial's command and settings."""

    def __init__(self, new: V2Job) -> None:
        rest, job = new.sent["rest"], new.sent["job"]
        self.rest, self.job = rest, job
        self.is_sweep = rest.get("jobType") == "Sweep"
        self.trial_rest = rest.get("trial") or {} if self.is_sweep else rest
        self.trial_job = job.get("trial") or {} if self.is_sweep else job
        self.inputs: dict[str, Any] = rest.get("inputs") or {}
        self.outputs: dict[str, Any] = rest.get("outputs") or {}
        self.search_space: dict[str, Any] = rest.get("searchSpace") or {}
        # CommandJob._to_rest_object: a "local" compute is sent as no compute id and an IsLocal property
        properties = (rest.get("resources") or {}).get("properties") or {}
        self.compute = "local" if (properties.get(LOCAL_COMPUTE_PROPERTY) or {}).get(LOCAL_COMPUTE_PROPERTY) \
            else rest.get("computeId")


# ----------------------------------------------------------------------------------------------------
# code, command, compute


def _code(old: Job, view: V2View) -> list[Difference]:
    # HyperDrive sends the snapshot of the source directory (the offline stand-in names it)
    v1 = str(old.sent.get("source_directory") or ".").removeprefix("snapshot of ")
    v2 = view.trial_rest.get("codeId")
    if v2 is None or os.path.normpath(v1) != os.path.normpath(str(v2)):  # the same folder
        return [Difference("code", f"v1 source_directory {v1!r}, v2 code {v2!r}", values=(v1, v2))]
    return []


def _compute(config: dict[str, Any], view: V2View) -> list[Difference]:
    if config["target"] != view.compute:
        return [Difference("compute", f"v1 target {config['target']!r}, v2 compute {view.compute!r}",
                           values=(config["target"], view.compute))]
    return []


_DATA_IN_ARGUMENT = re.compile(r"\$AZUREML_DATAREFERENCE_(\w+)|DatasetConsumptionConfig:(\w+)")
_V2_PLACEHOLDER = re.compile(r"\$\{\{(inputs|outputs|search_space)\.(\w+)\}\}")
_MARK = re.compile("\x00([a-z]+):([^\x00]*)\x00")
# Names the v1 SDK makes up (SDK_FACTS.md section 7): datastore.path() names its reference uuid4().hex,
# as_mount() without as_named_input names the input input__<8 hex>. A v2 program must choose its own.
_RANDOM_NAME = re.compile(r"[0-9a-f]{32}|input__[0-9a-f]{8}")


def _mark(kind: str, name: str) -> str:
    return f"\x00{kind}:{name}\x00"


def _flags(hyper: dict[str, Any] | None) -> dict[str, str]:
    """Each HyperDrive parameter's command-line flag -> its v2 input name (``--batch-size`` ->
    ``batch_size``)."""
    space = (hyper or {}).get("generator_config", {}).get("parameter_space", {})
    return {flag: flag.lstrip("-").replace("-", "_") for flag in space}


def _argument_text(argument: Any) -> str:
    """What the v1 SDK puts on the command line for one argument: ``str()`` of it (an object the JSON
    form could not name keeps its ``str``, sdk_offline.jobs.to_json)."""
    if isinstance(argument, dict) and "str" in argument:
        return argument["str"]
    return str(argument)


def _v1_command(config: dict[str, Any], flags: dict[str, str]) -> list[str]:
    """``python`` + script + arguments, each data reference/dataset marked where it stands, each tuned
    hyperparameter's value marked (appended when the arguments do not have its flag: HyperDrive passes
    every parameter as ``--flag value`` after the script's arguments)."""
    tokens = [_argument_text(a) for a in config["arguments"]]
    tokens = [_DATA_IN_ARGUMENT.sub(lambda m: _mark("data", m[1] or m[2]), t) for t in tokens]
    for flag, name in flags.items():
        if flag in tokens[:-1]:
            tokens[tokens.index(flag) + 1] = _mark("hp", name)
        elif any(t.startswith(f"{flag}=") for t in tokens):
            index = next(i for i, t in enumerate(tokens) if t.startswith(f"{flag}="))
            tokens[index] = f"{flag}={_mark('hp', name)}"
        else:
            tokens += [flag, _mark("hp", name)]
    return ["python", str(config["script"]), *tokens]


def _v2_command(view: V2View) -> list[str]:
    """The v2 command as the shell splits it, each placeholder marked: a data input/output by name, a
    swept input as a hyperparameter, a literal input by the value the REST form substitutes."""
    def placeholder(match: re.Match[str]) -> str:
        kind, name = match[1], match[2]
        if kind == "search_space" or name in view.search_space:
            return _mark("hp", name)
        value = view.inputs.get(name) or {}
        if kind == "inputs" and value.get("jobInputType") == "literal":
            return str(value.get("value"))
        return _mark("data", name)

    return [_V2_PLACEHOLDER.sub(placeholder, token) for token in shlex.split(view.trial_rest.get("command", ""))]


def _command(config: dict[str, Any], view: V2View, flags: dict[str, str]) -> tuple[dict[str, str], list[Difference]]:
    """The command row, and the v1 -> v2 name of each data input the command pairs by position."""
    if config.get("command"):
        return {}, [Difference("command", "v1 runs a command, not a script: not in the table", ("command",))]
    expected = _v1_command(config, flags)
    try:
        actual = _v2_command(view)
    except ValueError as error:  # shlex: unbalanced quotes
        return {}, [Difference("command", f"v2 command does not split as a shell would: {error}")]
    names: dict[str, str] = {}
    if len(expected) == len(actual):
        mismatched = [(e, a) for e, a in zip(expected, actual) if not _same_token(e, a, names)]
    else:
        mismatched = [(expected, actual)]
    if mismatched:
        shown = " | ".join(f"{_show(e)} != {_show(a)}" for e, a in mismatched)
        return names, [Difference("command", f"v1 {_show(expected)}, v2 {_show(actual)} ({shown})",
                                  values=tuple(_show(t) for t in _differing(expected, actual)))]
    return names, []


def _same_token(expected: str, actual: str, names: dict[str, str]) -> bool:
    """The same text around the same kinds of placeholder; data placeholders pair v1 and v2 names,
    consistently, and a name the v1 program chose must be kept (the table's NAME rule)."""
    e_parts, a_parts = _MARK.split(expected), _MARK.split(actual)
    if len(e_parts) != len(a_parts):
        return False
    for i in range(0, len(e_parts), 3):
        if e_parts[i] != a_parts[i]:
            return False
        if i + 2 < len(e_parts):
            (e_kind, e_name), (a_kind, a_name) = e_parts[i + 1:i + 3], a_parts[i + 1:i + 3]
            if e_kind != a_kind or (e_kind == "hp" and e_name != a_name):
                return False
            if e_kind == "data":
                if names.setdefault(e_name, a_name) != a_name or list(names.values()).count(a_name) > 1:
                    return False
                if not _RANDOM_NAME.fullmatch(e_name) and e_name != a_name:
                    return False
    return True


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return _MARK.sub(lambda m: f"<{m[1]} {m[2]}>", text.replace("\\u0000", "\x00"))


# ----------------------------------------------------------------------------------------------------
# environment


def _environment(config: dict[str, Any], view: V2View) -> list[Difference]:
    v1 = config["environment"]
    v2 = view.trial_job.get("environment")
    registered_v1 = _registered(v1)
    reference = _v2_reference(v2)
    if registered_v1 or reference:
        return _environment_reference(v1["name"] if registered_v1 else None, reference)
    if not isinstance(v2, dict):
        return [Difference("environment reference", f"v2 environment {v2!r} is neither built nor named")]
    found = _image(v1, v2) + _conda(v1, v2)
    return found


def _registered(environment: dict[str, Any]) -> bool:
    """An environment the v1 program fetched by name (sdk_offline.service marks Environment.get's)."""
    return str(environment["docker"]["baseImage"]).startswith(CURATED_IMAGE_PREFIX)


def _v2_reference(v2: Any) -> str | None:
    """The environment name a v2 job refers to: ``azureml:NAME@latest``, ``azureml:NAME:VERSION``, a
    registry path, or an Environment from ``ml_client.environments.get`` (sdk_offline.v2 marks it)."""
    if isinstance(v2, str):
        match = re.fullmatch(r"azureml://registries/[^/]+/environments/([^/]+)(?:/.*)?", v2) \
            or re.fullmatch(r"(?:azureml:)?([^:@/]+)(?:[:@].*)?", v2)
        return match[1] if match else v2
    if isinstance(v2, dict) and str(v2.get("image", "")).startswith(CURATED_IMAGE_PREFIX):
        return v2["name"]
    return None


def _environment_reference(v1_name: str | None, v2_name: str | None) -> list[Difference]:
    """A v1 environment fetched by name (Environment.get: curated or the workspace's) is the v2 one of
    the same name; anything else (a curated v2 environment for a built v1 one, another name, a built v2
    environment for a named one) is a change the fix declares, naming the v2 environment."""
    if v1_name is not None and v2_name is not None and v1_name.lower() == v2_name.lower():
        return []
    v1 = f"the registered environment {v1_name!r}" if v1_name else "an environment it builds"
    v2 = f"the environment {v2_name!r}" if v2_name else "an environment it builds"
    return [Difference("environment reference", f"v1 uses {v1}, v2 uses {v2}", values=(v2_name or v1_name,))]


def _image(v1: dict[str, Any], v2: dict[str, Any]) -> list[Difference]:
    docker = v1["docker"]
    if docker["baseDockerfile"] or docker["buildContext"]:
        return [Difference("image", "v1 builds its image from a Dockerfile: not in the table",
                           ("dockerfile", "build"))]
    # a private registry's image is pulled as address/image (azureml.core.environment.DockerSection)
    address = docker["baseImageRegistry"]["address"]
    expected = f"{address}/{docker['baseImage']}" if address else docker["baseImage"]
    if v2.get("image") != expected:
        return [Difference("image", f"v1 image {expected!r}, v2 {v2.get('image')!r}", values=(expected, v2.get("image")))]
    return []


def _conda(v1: dict[str, Any], v2: dict[str, Any]) -> list[Difference]:
    conda = v2.get("conda_file")
    if v1["python"]["userManagedDependencies"]:
        if conda:
            return [Difference("user_managed_dependencies", "v1 user-managed (no conda), v2 has a conda_file")]
        return []
    if not isinstance(conda, dict):
        return [Difference("conda", f"v1 conda dependencies, v2 conda_file {conda!r}")]
    expected, actual = _conda_parts(v1["python"]["condaDependencies"]), _conda_parts(conda)
    return [Difference(row, f"v1 {expected[row]!r}, v2 {actual[row]!r}",
                       values=tuple(_differing(_texts(expected[row]), _texts(actual[row]))))
            for row in ("conda", "python version", "pip") if expected[row] != actual[row]]


def _conda_parts(conda: dict[str, Any]) -> dict[str, Any]:
    """Channels and conda packages (row ``conda``), the python spec (``python version``), pip packages
    (``pip``), each in its order. The environment's name is a label."""
    dependencies = conda.get("dependencies") or []
    packages = [d for d in dependencies if isinstance(d, str)]
    python = [p for p in packages if re.match(r"python\s*(?:[=<>!~]|$)", p)]
    pip = [p for d in dependencies if isinstance(d, dict) for p in d.get("pip", [])]
    return {"conda": {"channels": conda.get("channels") or [], "packages": [p for p in packages if p not in python]},
            "python version": python, "pip": pip}


# ----------------------------------------------------------------------------------------------------
# resources: environment variables, shm, instance count, distribution, timeout


def _resources(config: dict[str, Any], view: V2View) -> list[Difference]:
    found = []
    resources = view.trial_rest.get("resources") or {}
    # v1 sends the environment's variables and the run configuration's; v2 environments have none. A
    # registered environment's own are the service's (offline: Environment()'s defaults), not compared.
    environment = {} if _registered(config["environment"]) else config["environment"]["environmentVariables"]
    expected_variables = {**(environment or {}), **(config["environmentVariables"] or {})}
    variables = dict(view.trial_rest.get("environmentVariables") or {})
    if view.compute == "local":  # JobOperations.create_or_update adds it to every local job
        variables.pop(COMMON_RUNTIME_ENV_VAR, None)
    if expected_variables != variables:
        changed = {k for k in {**expected_variables, **variables} if expected_variables.get(k) != variables.get(k)}
        found.append(Difference("environment_variables", f"v1 {expected_variables}, v2 {variables}",
                                values=tuple(sorted(changed))))
    # DockerConfiguration: "If not set, the default azureml.core.environment._DEFAULT_SHM_SIZE is used"
    shm = config["docker"]["shmSize"] or _default_shm_size()
    if resources.get("shmSize") != shm:
        found.append(Difference("shm_size", f"v1 {shm!r}, v2 {resources.get('shmSize')!r}",
                                values=(shm, resources.get("shmSize"))))
    found += _docker_arguments(config["docker"]["arguments"] or [], resources)
    instances = resources.get("instanceCount", 1)  # v2 omits it for one instance
    if config["nodeCount"] != instances:
        found.append(Difference("instance_count", f"v1 node_count {config['nodeCount']}, v2 {instances}",
                                values=(config["nodeCount"], instances)))
    return found + _distribution(config, view.trial_rest.get("distribution"))


def _docker_arguments(v1: list[str], resources: dict[str, Any]) -> list[Difference]:
    """JobResourceConfiguration._to_rest_object: a list is sent as dockerArgsList, a string as dockerArgs
    (the docker run command line: compared as the shell splits it)."""
    v2 = resources.get("dockerArgsList")
    if v2 is None and resources.get("dockerArgs") is not None:
        v2 = shlex.split(resources["dockerArgs"])
    if list(v1) != (v2 or []):
        return [Difference("docker arguments", f"v1 {v1}, v2 {v2}", values=tuple(_differing(list(v1), v2 or [])))]
    return []


def _default_shm_size() -> str:
    from azureml.core.environment import _DEFAULT_SHM_SIZE

    return _DEFAULT_SHM_SIZE


# The framework each communicator goes with (runconfig.py: MpiConfiguration and Python, PyTorchConfiguration
# and PyTorch, TensorflowConfiguration and TensorFlow; estimator spellings are normalised first).
_FRAMEWORKS = {"None": "Python", "IntelMpi": "Python", "gloo": "PyTorch", "nccl": "PyTorch",
               "ParameterServer": "TensorFlow"}


def _distribution(config: dict[str, Any], v2: dict[str, Any] | None) -> list[Difference]:
    communicator, nodes = config["communicator"], config["nodeCount"]
    found = []
    if config["framework"] not in ("Python", _FRAMEWORKS.get(communicator)):
        found.append(Difference("not expressible", f"v1 framework {config['framework']!r}", ("framework",),
                                (config["framework"],)))
    if communicator == "IntelMpi":
        expected = {"distributionType": "Mpi", "processCountPerInstance": config["mpi"]["processCountPerNode"]}
    elif communicator in ("gloo", "nccl"):
        # PyTorchConfiguration: process_count "By default the value will be set to the node_count"
        total = config["pytorch"]["processCount"] or nodes
        expected = {"distributionType": "PyTorch", "processCountPerInstance": total // nodes}
        backend = config["pytorch"]["communicationBackend"]
        found.append(Difference("communication_backend", f"v1 backend {backend!r} (and communicator): v2 has no field",
                                values=(backend,)))
        if total % nodes:
            found.append(Difference("distribution", f"v1 {total} processes on {nodes} nodes: not per node",
                                    values=(total,)))
    elif communicator == "ParameterServer":
        expected = {"distributionType": "TensorFlow", "workerCount": config["tensorflow"]["workerCount"],
                    "parameterServerCount": config["tensorflow"]["parameterServerCount"]}
    elif communicator == "None":
        expected = None
    else:
        return found + [Difference("not expressible", f"v1 communicator {communicator!r}", ("communicator",),
                                   (communicator,))]
    if expected != v2:
        values = _differing(_texts(expected), _texts(v2)) if expected and v2 else _texts(expected or v2)
        found.append(Difference("distribution", f"v1 {communicator} -> {expected}, v2 {v2}", values=tuple(values)))
    return found


def _timeout(config: dict[str, Any], view: V2View) -> list[Difference]:
    """A command job's limits.timeout; a sweep's trials' limits.trial_timeout (a sweep's trial is a
    component: it keeps no limits of its own)."""
    limits = view.job.get("limits") or {}
    v2 = limits.get("trial_timeout" if view.is_sweep else "timeout")
    if config["maxRunDurationSeconds"] != v2:
        where = "sweep trial_timeout" if view.is_sweep else "timeout"
        return [Difference("timeout", f"v1 max_run_duration_seconds {config['maxRunDurationSeconds']}, "
                                      f"v2 {where} {v2}", values=(config["maxRunDurationSeconds"], v2))]
    return []


# ----------------------------------------------------------------------------------------------------
# data


_MODES = {"mount": "ReadOnlyMount", "download": "Download", "upload": "Upload", "direct": "Direct"}


def _data(config: dict[str, Any], view: V2View, names: dict[str, str], kinds: dict[str, str]) -> list[Difference]:
    """Every v1 data reference and dataset input against the v2 input (or output, for an upload) the
    command pairs it with, or, off the command line, the one of the same name, or, for a name the v1
    SDK made up, one that describes the same data."""
    found: list[Difference] = []
    expected: dict[str, dict[str, Any]] = {}
    for name, reference in (config["dataReferences"] or {}).items():
        expected[name] = _reference(name, reference, found)
    for name, consumed in (config["data"] or {}).items():
        expected[name] = _dataset(name, consumed, kinds, found)
    for name, value in (config.get("outputData") or {}).items():
        found.append(Difference("not expressible", f"v1 output dataset {name!r}: not in the table",
                                ("output", "outputData"), (name,)))
    actual = {name: _v2_data(value, "jobInputType") for name, value in view.inputs.items()
              if value.get("jobInputType") != "literal" and name not in view.search_space}
    actual.update({name: _v2_data(value, "jobOutputType") for name, value in view.outputs.items()})
    pairs = dict(names)
    for name in expected:
        if name not in pairs and name in actual and name not in pairs.values():
            pairs[name] = name
    for name, description in expected.items():
        if name not in pairs and _RANDOM_NAME.fullmatch(name):
            free = [n for n, d in actual.items() if n not in pairs.values() and d == description]
            if free:
                pairs[name] = free[0]
    for name, description in expected.items():
        v2_name = pairs.get(name)
        if v2_name not in actual:
            found.append(Difference("inputs", f"v1 {name!r} {description} has no v2 input or output", (name,),
                                    tuple(description.values())))
        elif actual[v2_name] != description:
            values = _differing(list(description.values()), list(actual[v2_name].values()))
            found.append(Difference("inputs", f"v1 {name!r} {description}, v2 {v2_name!r} {actual[v2_name]}",
                                    (name, v2_name), tuple(values)))
    for v2_name in sorted(set(actual) - set(pairs.values())):
        found.append(Difference("inputs", f"v2 {v2_name!r} {actual[v2_name]} is no v1 input", (v2_name,),
                                tuple(actual[v2_name].values())))
    return found


def _reference(name: str, reference: dict[str, Any], found: list[Difference]) -> dict[str, Any]:
    if reference.get("pathOnCompute"):
        found.append(Difference("path_on_compute", f"v1 {name!r} at {reference['pathOnCompute']!r}", (name,),
                                (reference["pathOnCompute"],)))
    if reference.get("overwrite"):
        found.append(Difference("not expressible", f"v1 {name!r} overwrite=True", ("overwrite",), (name,)))
    path = reference.get("pathOnDataStore") or ""
    uri = f"azureml://datastores/{reference['dataStoreName']}/paths/{path}"
    return {"type": "uri_folder", "uri": _uri(uri), "mode": _MODES.get(reference["mode"], reference["mode"])}


def _dataset(name: str, consumed: dict[str, Any], kinds: dict[str, str], found: list[Difference]) -> dict[str, Any]:
    dataset = consumed["dataLocation"].get("dataset") or {}
    if consumed.get("pathOnCompute"):
        found.append(Difference("path_on_compute", f"v1 {name!r} at {consumed['pathOnCompute']!r}", (name,),
                                (consumed["pathOnCompute"],)))
    if not dataset.get("name"):
        found.append(Difference("inputs", f"v1 {name!r}: a dataset with no registered name (manual)", (name,)))
    kind = "mltable" if kinds.get(dataset.get("id")) == "TabularDataset" else "uri_folder"
    uri = f"azureml:{dataset.get('name')}:{dataset.get('version')}"
    return {"type": kind, "uri": uri, "mode": _MODES.get(consumed["mechanism"], consumed["mechanism"])}


def _v2_data(value: dict[str, Any], type_key: str) -> dict[str, Any]:
    return {"type": value.get(type_key), "uri": _uri(str(value.get("uri"))), "mode": value.get("mode")}


def _uri(uri: str) -> str:
    """A folder URI with or without its trailing slash is the same folder. ``azureml:NAME@latest`` is
    the version the offline registry returns for a name without one (sdk_offline.service: version 1)."""
    if uri.startswith("azureml://"):
        return uri.rstrip("/")
    return re.sub(r"^(azureml:[^:@]+)@latest$", r"\1:1", uri)


# ----------------------------------------------------------------------------------------------------
# sweep


_SAMPLING = {"RANDOM": "Random", "GRID": "Grid", "BayesianOptimization": "Bayesian"}
_POLICY_KEYS = {"evaluation_interval": "evaluationInterval", "delay_evaluation": "delayEvaluation",
                "slack_factor": "slackFactor", "slack_amount": "slackAmount",
                "truncation_percentage": "truncationPercentage"}


def _sweep(hyper: dict[str, Any], view: V2View) -> list[Difference]:
    generator, found = hyper["generator_config"], []
    sampling = {"samplingAlgorithmType": _SAMPLING.get(generator["name"], generator["name"]),
                **(generator.get("properties") or {})}
    if sampling != view.rest.get("samplingAlgorithm"):
        found.append(Difference("sweep sampling", f"v1 {sampling}, v2 {view.rest.get('samplingAlgorithm')}",
                                values=tuple(_differing(_texts(sampling), _texts(view.rest.get("samplingAlgorithm"))))))
    # the v1 parameter expressions and the v2 REST search space share one wire form ["uniform", [a, b]]
    space = {_flags(hyper)[flag]: value for flag, value in generator["parameter_space"].items()}
    if space != view.search_space:
        changed = {k for k in {**space, **view.search_space} if space.get(k) != view.search_space.get(k)}
        found.append(Difference("sweep search space", f"v1 {space}, v2 {view.search_space}", values=tuple(sorted(changed))))
    metric = hyper["primary_metric_config"]
    objective = {"primaryMetric": metric["name"], "goal": str(metric["goal"]).lower()}
    if objective != view.rest.get("objective"):
        found.append(Difference("sweep objective", f"v1 {objective}, v2 {view.rest.get('objective')}",
                                values=tuple(_differing(_texts(objective), _texts(view.rest.get("objective"))))))
    found += _policy(hyper.get("policy_config") or {}, view.rest.get("earlyTermination"))
    limits = {"max_total_trials": hyper.get("max_total_jobs"), "max_concurrent_trials": hyper.get("max_concurrent_jobs"),
              "timeout": hyper["max_duration_minutes"] * 60 if hyper.get("max_duration_minutes") else None}
    actual = view.job.get("limits") or {}
    mismatched = {k: (v, actual.get(k)) for k, v in limits.items() if v != actual.get(k)}
    if mismatched:
        found.append(Difference("sweep limits", f"v1 -> v2 expected/sent: {mismatched}", values=tuple(mismatched)))
    return found


def _policy(policy: dict[str, Any], v2: dict[str, Any] | None) -> list[Difference]:
    name, properties = policy.get("name", "Default"), dict(policy.get("properties") or {})
    if name == "Default":  # NoTerminationPolicy
        return [] if not v2 else [Difference("sweep policy", f"v1 no early termination, v2 {v2}",
                                             values=(v2.get("policyType"),))]
    found = []
    if properties.pop("exclude_finished_jobs", False):
        found.append(Difference("not expressible", "v1 TruncationSelectionPolicy exclude_finished_jobs=True",
                                ("exclude_finished_jobs",)))
    expected = {"policyType": name, **{_POLICY_KEYS.get(k, k): v for k, v in properties.items()}}
    # the v2 REST form also sends the fields the policy leaves unset, as 0 (BanditPolicy's other slack)
    actual = {k: v for k, v in (v2 or {}).items() if k in expected or v}
    if expected != actual:
        found.append(Difference("sweep policy", f"v1 {expected}, v2 {v2}", values=(name,)))
    return found


# ----------------------------------------------------------------------------------------------------
# what no row maps


# Sections no row reads, and why they have no v2 meaning: v2 jobs always run in a container (useDocker,
# sharedVolumes); hdi is for HDInsight targets only; the distribution sections the communicator does
# not use are not read by the service (a ParallelTask communicator is its own "not expressible"); the
# environment's own docker.enabled/shmSize are superseded by the run configuration's docker section
# (ScriptRunConfig copies them there), and so are its docker arguments.
_NOT_READ = {"docker.useDocker", "docker.sharedVolumes", "hdi", "environment"}
_DISTRIBUTION_SECTIONS = {"mpi", "pytorch", "tensorflow", "paralleltask"}
_READ = {"script", "arguments", "target", "framework", "communicator", "maxRunDurationSeconds", "nodeCount",
         "docker.shmSize", "docker.arguments", "dataReferences", "data", "outputData", "environmentVariables", "command",
         "amlcompute.clusterMaxNodeCount"}
_ENVIRONMENT_READ = {"name", "version", "environmentVariables", "python.userManagedDependencies",
                     "python.condaDependencies", "docker.baseImage", "docker.baseImageRegistry.address",
                     "docker.enabled", "docker.shmSize", "docker.arguments", "docker.sharedVolumes",
                     "docker.baseDockerfile", "docker.buildContext"}


def _not_expressible(config: dict[str, Any], hyper: dict[str, Any] | None) -> list[Difference]:
    """Every v1 setting off its default that no row maps (spark, history, docker arguments, an
    interpreter path, HyperDrive's resume...): v2 cannot express it, so the fix must declare it."""
    defaults = _defaults()
    # the communicator's own section is the distribution row's (its node count repeats nodeCount)
    ignored = _NOT_READ | _DISTRIBUTION_SECTIONS
    found = [Difference("not expressible", f"v1 {path} = {value!r}", (path, path.split(".")[-1]), (value,))
             for path, value in _changed(config, defaults["run"], ignored | _READ)]
    if not _registered(config["environment"]):
        spark = config["environment"]["spark"]
        # SparkSection.precache_packages precaches spark.packages/repositories: with none, nothing
        skip = _ENVIRONMENT_READ | ({"spark.precachePackages"} if not spark["packages"] and not spark["repositories"]
                                    else set())
        found += [Difference("not expressible", f"v1 environment.{path} = {value!r}", (path, path.split(".")[-1]),
                             (value,))
                  for path, value in _changed(config["environment"], defaults["environment"], skip)]
    for key in ("resume_from", "resume_child_runs"):
        if hyper and hyper.get(key):
            found.append(Difference("not expressible", f"v1 HyperDrive {key}", (key,)))
    return found


def _changed(values: dict[str, Any], defaults: dict[str, Any], skip: set[str], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in values.items():
        path = f"{prefix}{key}"
        if path in skip:
            continue
        default = defaults.get(key)
        if isinstance(value, dict) and isinstance(default, dict):
            yield from _changed(value, default, skip, f"{path}.")
        elif value != default:
            yield path, value


@lru_cache(maxsize=1)
def _defaults() -> dict[str, dict[str, Any]]:
    """What a RunConfiguration and an Environment send when nothing is set (the installed v1 SDK)."""
    environment = json.loads(json.dumps(Environment._serialize_to_dict(Environment("default"))))
    return {"run": json.loads(json.dumps(_serialize_to_dict(RunConfiguration()))), "environment": environment}
