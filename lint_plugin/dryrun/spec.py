"""The run spec: everything a dry run needs, resolved statically from the submit script or captured
from the SDK's own serialised run configuration (`--capture`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class DryRunError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


@dataclass
class DataInput:
    """A DataReference, dataset or SDK v2 data input; mounted read-only from a local folder."""

    key: str  # stable id used for the mount point (input_1, input_2, ...)
    kind: str  # "reference" or "dataset" (SDK v1), "input" (an SDK v2 `Input`)
    line: int
    name: str | None = None  # data_reference_name / named input / v2 input name, when the code gives one
    flag: str | None = None  # the argument flag that carries it, without dashes
    dataset: str | None = None  # the registered dataset name (Dataset.get_by_name)
    datastore: str | None = None
    path_on_datastore: str | None = None
    mode: str = "mount"
    # SDK v2 only: the asset type (uri_folder, uri_file, mltable, ...), the path as the code gives it,
    # and the local file or folder it names (None for a remote one, which needs --data).
    asset_type: str | None = None
    uri: str | None = None
    local_path: str | None = None

    @property
    def aliases(self) -> list[str]:
        """Every name `--data NAME=PATH` accepts for this input."""
        names = [self.key]
        for alias in (self.name, self.dataset, self.flag):
            if alias and alias not in names:
                names.append(alias)
        return names


@dataclass
class DataOutput:
    """An SDK v2 `Output`: a writable folder in the run folder, kept like outputs/."""

    key: str  # output_1, output_2, ...
    name: str
    line: int
    asset_type: str = "uri_folder"
    mode: str | None = None


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
    origin: str = ""  # where the job names it (`submit.py line 12`), for messages about it


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
    # SDK v2 command jobs: "v2"; their outputs, a command run by the shell instead of `python
    # script` (text and InputArg segments, substituted as the service does), the shared memory
    # size, the name of the time limit, and the one trial a sweep becomes.
    sdk: str = "v1"
    outputs: list[DataOutput] = field(default_factory=list)
    shell_command: list[Any] | None = None
    shm_size: str | None = None
    time_limit_name: str = "max_run_duration_seconds"
    sweep: dict[str, Any] | None = None
    location: str = ""  # the job's place for messages: `submit.py line 12`, `submit.ipynb cell 3 line 2`

    @property
    def where(self) -> str:
        return self.location or f"{self.submit_path} line {self.job_line}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["inputs"] = [dict(asdict(item), aliases=item.aliases) for item in self.inputs]
        return data


@dataclass(frozen=True)
class InputArg:
    """An argument that is a data input (or a v2 output); replaced with its mount path."""

    key: str
    prefix: str = ""
    suffix: str = ""
