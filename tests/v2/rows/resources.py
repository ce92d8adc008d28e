"""Rows ``environment_variables``, ``shm_size``, ``docker arguments``, ``instance_count``,
``distribution``, ``communication_backend`` and ``timeout``."""

from __future__ import annotations

import shlex
from typing import Any

from azure.ai.ml.constants._common import COMMON_RUNTIME_ENV_VAR

from . import Difference, V2View, differing, registered, texts


def resources_differences(config: dict[str, Any], view: V2View) -> list[Difference]:
    found = []
    resources = view.trial_rest.get("resources") or {}
    # v1 sends the environment's variables and the run configuration's; v2 environments have none. A
    # registered environment's own are the service's (offline: Environment()'s defaults), not compared.
    environment = {} if registered(config["environment"]) else config["environment"]["environmentVariables"]
    expected_variables = {**(environment or {}), **(config["environmentVariables"] or {})}
    variables = dict(view.trial_rest.get("environmentVariables") or {})
    if view.compute == "local":  # JobOperations.create_or_update adds it to every local job
        variables.pop(COMMON_RUNTIME_ENV_VAR, None)
    # one difference per variable: declaring one (the EXAMPLE_ENV_VAR placeholder) excuses no other
    for key in sorted({**expected_variables, **variables}):
        if expected_variables.get(key) != variables.get(key):
            found.append(
                Difference(
                    "environment_variables",
                    f"{key}: v1 {expected_variables.get(key)!r}, v2 {variables.get(key)!r}",
                    values=(key,),
                )
            )
    # DockerConfiguration: "If not set, the default azureml.core.environment._DEFAULT_SHM_SIZE is used"
    shm = config["docker"]["shmSize"] or _default_shm_size()
    if resources.get("shmSize") != shm:
        found.append(
            Difference(
                "shm_size",
                f"v1 {shm!r}, v2 {resources.get('shmSize')!r}",
                values=(shm, resources.get("shmSize")),
            )
        )
    found += _docker_arguments(config["docker"]["arguments"] or [], resources)
    instances = resources.get("instanceCount", 1)  # v2 omits it for one instance
    if config["nodeCount"] != instances:
        found.append(
            Difference(
                "instance_count",
                f"v1 node_count {config['nodeCount']}, v2 {instances}",
                values=(config["nodeCount"], instances),
            )
        )
    return found + _distribution(config, view.trial_rest.get("distribution"))


def _docker_arguments(v1: list[str], resources: dict[str, Any]) -> list[Difference]:
    """JobResourceConfiguration._to_rest_object: a list is sent as dockerArgsList, a string as dockerArgs
    (the docker run command line: compared as the shell splits it)."""
    v2 = resources.get("dockerArgsList")
    if v2 is None and resources.get("dockerArgs") is not None:
        v2 = shlex.split(resources["dockerArgs"])
    if list(v1) != (v2 or []):
        return [
            Difference("docker arguments", f"v1 {v1}, v2 {v2}", values=tuple(differing(list(v1), v2 or [])))
        ]
    return []


def _default_shm_size() -> str:
    from azureml.core.environment import _DEFAULT_SHM_SIZE

    return _DEFAULT_SHM_SIZE


# The framework each communicator goes with (runconfig.py: MpiConfiguration and Python, PyTorchConfiguration
# and PyTorch, TensorflowConfiguration and TensorFlow; estimator spellings are normalised first).
_FRAMEWORKS = {
    "None": "Python",
    "IntelMpi": "Python",
    "gloo": "PyTorch",
    "nccl": "PyTorch",
    "ParameterServer": "TensorFlow",
}


def _distribution(config: dict[str, Any], v2: dict[str, Any] | None) -> list[Difference]:
    communicator, nodes = config["communicator"], config["nodeCount"]
    found = []
    if config["framework"] not in ("Python", _FRAMEWORKS.get(communicator)):
        found.append(
            Difference(
                "not expressible",
                f"v1 framework {config['framework']!r}",
                ("framework",),
                (config["framework"],),
            )
        )
    if communicator == "IntelMpi":
        expected = {
            "distributionType": "Mpi",
            "processCountPerInstance": config["mpi"]["processCountPerNode"],
        }
    elif communicator in ("gloo", "nccl"):
        # PyTorchConfiguration: process_count "By default the value will be set to the node_count"
        total = config["pytorch"]["processCount"] or nodes
        expected = {"distributionType": "PyTorch", "processCountPerInstance": total // nodes}
        backend = config["pytorch"]["communicationBackend"]
        found.append(
            Difference(
                "communication_backend",
                f"v1 backend {backend!r} (and communicator): v2 has no field",
                values=(backend,),
            )
        )
        if total % nodes:
            found.append(
                Difference(
                    "distribution", f"v1 {total} processes on {nodes} nodes: not per node", values=(total,)
                )
            )
    elif communicator == "ParameterServer":
        expected = {
            "distributionType": "TensorFlow",
            "workerCount": config["tensorflow"]["workerCount"],
            "parameterServerCount": config["tensorflow"]["parameterServerCount"],
        }
    elif communicator == "None":
        expected = None
    else:
        return found + [
            Difference(
                "not expressible", f"v1 communicator {communicator!r}", ("communicator",), (communicator,)
            )
        ]
    if expected != v2:
        values = differing(texts(expected), texts(v2)) if expected and v2 else texts(expected or v2)
        found.append(
            Difference("distribution", f"v1 {communicator} -> {expected}, v2 {v2}", values=tuple(values))
        )
    return found


def timeout_differences(config: dict[str, Any], view: V2View) -> list[Difference]:
    """A command job's limits.timeout; a sweep's trials' limits.trial_timeout (a sweep's trial is a
    component: it keeps no limits of its own)."""
    limits = view.job.get("limits") or {}
    v2 = limits.get("trial_timeout" if view.is_sweep else "timeout")
    if config["maxRunDurationSeconds"] != v2:
        where = "sweep trial_timeout" if view.is_sweep else "timeout"
        return [
            Difference(
                "timeout",
                f"v1 max_run_duration_seconds {config['maxRunDurationSeconds']}, v2 {where} {v2}",
                values=(config["maxRunDurationSeconds"], v2),
            )
        ]
    return []
