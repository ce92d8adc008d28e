"""The run spec: everything a dry run needs, resolved statically from the submit script or captured
from the SDK's own serialised run configuration (`--capture`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class DryRunError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


@dataclass
class DataInput:
    """A DataReference or dataset input; mounted read-only from a local folder."""

    key: str  # stable id used for the mount point (input_1, input_2, ...)
    kind: str  # "reference" or "dataset"
    line: int
    name: str | None = None  # data_reference_name / named input, when the code gives one
    flag: str | None = None  # the argument flag that carries it, without dashes
    dataset: str | None = None  # the registered dataset name (Dataset.get_by_name)
    datastore: str | None = None
    path_on_datastore: str | None = None
    mode: str = "mount"

    @property
    def aliases(self) -> list[str]:
        """Every name `--data NAME=PATH` accepts for this input."""
        names = [self.key]
        for alias in (self.name, self.dataset, self.flag):
            if alias and alias not in names:
                names.append(alias)
        return names


@dataclass
class EnvironmentSpec:
    """Where the image comes from: a curated name, or a custom base image plus packages."""

    name: str | None = None
    curated: str | None = None  # the curated environment it is (or was cloned from)
    base_image: str | None = None
    registry: str | None = None  # docker.base_image_registry.address
    pip: list[str] = field(default_factory=list)
    conda: list[str] = field(default_factory=list)
    user_managed: bool = False
    variables: dict[str, str] = field(default_factory=dict)
    line: int = 0


@dataclass
class Distributed:
    """Distributed layout; kind is "mpi", "pytorch" or "tensorflow"."""

    kind: str
    node_count: int = 1
    process_count_per_node: int = 1
    worker_count: int = 0
    parameter_server_count: int = 0
    backend: str | None = None


@dataclass
class RunSpec:
    submit_path: str
    job_name: str | None
    job_line: int
    source_directory: str
    script: str
    arguments: list[Any]  # str, or DataInput-key markers resolved later
    environment: EnvironmentSpec | None
    inputs: list[DataInput]
    environment_variables: dict[str, str]
    distributed: Distributed | None
    max_run_duration_seconds: int | None
    experiment_name: str = "dry-run"
    notes: list[str] = field(default_factory=list)
    # --capture: the folder the snapshot is taken from (the sandbox's copy of source_directory, with
    # whatever the submit script wrote into it), and what was captured (sandbox, submissions).
    snapshot_from: str | None = None
    capture: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["inputs"] = [dict(asdict(item), aliases=item.aliases) for item in self.inputs]
        return data


@dataclass(frozen=True)
class InputArg:
    """An argument that is a data input; replaced with the input's mount path."""

    key: str
    prefix: str = ""
    suffix: str = ""
