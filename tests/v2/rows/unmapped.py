"""Row ``not expressible``: every v1 setting off its default that no other row maps."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from azureml.core import Environment, RunConfiguration
from azureml.core._serialization_utils import _serialize_to_dict

from . import Difference, registered


# Sections no row reads, and why they have no v2 meaning: v2 jobs always run in a container (useDocker,
# sharedVolumes); hdi is for HDInsight targets only; the distribution sections the communicator does
# not use are not read by the service (a ParallelTask communicator is its own "not expressible"); the
# environment's own docker.enabled/shmSize are superseded by the run configuration's docker section
# (ScriptRunConfig copies them there), and so are its docker arguments.
_NOT_READ = {"docker.useDocker", "docker.sharedVolumes", "hdi", "environment"}
_DISTRIBUTION_SECTIONS = {"mpi", "pytorch", "tensorflow", "paralleltask"}
_READ = {
    "script",
    "arguments",
    "target",
    "framework",
    "communicator",
    "maxRunDurationSeconds",
    "nodeCount",
    "docker.shmSize",
    "docker.arguments",
    "dataReferences",
    "data",
    "outputData",
    "environmentVariables",
    "command",
    "amlcompute.clusterMaxNodeCount",
}
_ENVIRONMENT_READ = {
    "name",
    "version",
    "environmentVariables",
    "python.userManagedDependencies",
    "python.condaDependencies",
    "docker.baseImage",
    "docker.baseImageRegistry.address",
    "docker.enabled",
    "docker.shmSize",
    "docker.arguments",
    "docker.sharedVolumes",
    "docker.baseDockerfile",
    "docker.buildContext",
}


def not_expressible(config: dict[str, Any], hyper: dict[str, Any] | None) -> list[Difference]:
    """Every v1 setting off its default that no row maps (spark, history, docker arguments, an
    interpreter path, HyperDrive's resume...): v2 cannot express it, so the fix must declare it."""
    defaults = _defaults()
    # the communicator's own section is the distribution row's (its node count repeats nodeCount)
    ignored = _NOT_READ | _DISTRIBUTION_SECTIONS
    found = [
        Difference("not expressible", f"v1 {path} = {value!r}", (path, path.split(".")[-1], _snake(path)), (value,))
        for path, value in _changed(config, defaults["run"], ignored | _READ)
    ]
    if not registered(config["environment"]):
        spark = config["environment"]["spark"]
        # SparkSection.precache_packages precaches spark.packages/repositories: with none, nothing
        skip = _ENVIRONMENT_READ | (
            {"spark.precachePackages"} if not spark["packages"] and not spark["repositories"] else set()
        )
        found += [
            Difference(
                "not expressible", f"v1 environment.{path} = {value!r}", (path, path.split(".")[-1]), (value,)
            )
            for path, value in _changed(config["environment"], defaults["environment"], skip)
        ]
    for key in ("resume_from", "resume_child_runs"):
        if hyper and hyper.get(key):
            found.append(Difference("not expressible", f"v1 HyperDrive {key}", (key,)))
    return found


def _changed(
    values: dict[str, Any], defaults: dict[str, Any], skip: set[str], prefix: str = ""
) -> Iterator[tuple[str, Any]]:
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


def _snake(path: str) -> str:
    """The Python name of a wire field (``sourceDirectoryDataStore`` -> ``source_directory_data_store``):
    RunConfiguration serialises each attribute under its camelCase name (``_field_to_info_dict``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", path.split(".")[-1]).lower()
