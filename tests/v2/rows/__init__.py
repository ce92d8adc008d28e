"""The rows of docs/v2-mapping.md: what each checks lives in the module of its kind (command,
environment, resources, data, sweep, unmapped); here, what they share: the row names, a difference and
whether a declaration accepts it, and the view of a v2 job the rows read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sdk_offline import CURATED_IMAGE_PREFIX
from sdk_offline.v2 import V2Job

from azure.ai.ml.constants._common import LOCAL_COMPUTE_PROPERTY


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
        values = [v.lower() for v in texts(self.values)]
        return any(
            any(n in change.lower() for n in names)
            and (not values or any(v in change.lower() for v in values))
            for change in declared
        )

    def __str__(self) -> str:
        return f"{self.row}: {self.text}"


def texts(values: Any) -> list[str]:
    """Each value as the text a declaration would quote: list and dict elements one by one."""
    if isinstance(values, dict):
        return [t for key, value in values.items() for t in (str(key), *texts(value))]
    if isinstance(values, (list, tuple, set)):
        return [t for value in values for t in texts(value)]
    return [] if values is None or values == "" else [str(values)]


def differing(expected: list[Any], actual: list[Any]) -> list[Any]:
    """The elements of one list not in the other, both ways."""
    return [v for v in expected if v not in actual] + [v for v in actual if v not in expected]


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
        self.compute = (
            "local"
            if (properties.get(LOCAL_COMPUTE_PROPERTY) or {}).get(LOCAL_COMPUTE_PROPERTY)
            else rest.get("computeId")
        )


def registered(environment: dict[str, Any]) -> bool:
    """An environment the v1 program fetched by name (sdk_offline.service marks Environment.get's)."""
    return str(environment["docker"]["baseImage"]).startswith(CURATED_IMAGE_PREFIX)


# Names the v1 SDK makes up (SDK_FACTS.md section 7): datastore.path() names its reference uuid4().hex,
# as_mount() without as_named_input names the input input__<8 hex>. A v2 program must choose its own.
RANDOM_NAME = re.compile(r"[0-9a-f]{32}|input__[0-9a-f]{8}")


def sdk_named(config: dict[str, Any]) -> set[str]:
    """The data names in a v1 run configuration that the SDK chose, not the program: the made-up ones
    (RANDOM_NAME) and a DataReference named after its datastore (DataReference.__init__: "elif not
    self.data_reference_name: self.data_reference_name = self.datastore.name", what ``ds.as_mount()``
    gets). A v2 program may name those inputs as it likes."""
    references = config.get("dataReferences") or {}
    named_by_store = {name for name, reference in references.items() if name == reference.get("dataStoreName")}
    made_up = {name for name in [*references, *(config.get("data") or {})] if RANDOM_NAME.fullmatch(name)}
    return named_by_store | made_up
