"""A ``fix --target v2`` output run offline up to the submission: azure-ai-ml's real ``command``, ``Input``,
``Environment``, sweeps and distributions, with ``MLClient`` and ``DefaultAzureCredential`` replaced by
a fake that records every job given to ``jobs.create_or_update`` (and what is left of SDK v1 in a module,
the jobs that stayed manual, under ``sdk_offline``'s stand-ins). No network.

A job handed to the fake is held to what the service would take: azure-ai-ml's own validation, its REST
form built, and the fields the REST schema types (counts are integers, sizes and environment variables
strings, inputs of a known type and mode) checked, since azure-ai-ml sends ``instance_count='2'`` as is.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from sdk_offline import execute

from .golden_runs import program

_INPUT_TYPES = {"uri_folder", "uri_file", "mltable", "literal", "custom_model", "mlflow_model", "triton_model"}
_MODES = {"ReadOnlyMount", "Download", "Direct", "EvalMount", "EvalDownload", "ReadWriteMount", "Upload"}
# REST fields (camelCase paths under ``properties``) and the type the service schema gives them.
_TYPED = {("resources", "instanceCount"): int, ("resources", "shmSize"): str,
          ("distribution", "processCountPerInstance"): int, ("distribution", "workerCount"): int,
          ("distribution", "parameterServerCount"): int, ("limits", "timeout"): str, ("command",): str,
          ("codeId",): str, ("computeId",): str, ("experimentName",): str,
          ("limits", "maxTotalTrials"): int, ("limits", "maxConcurrentTrials"): int}


class RejectedJob(AssertionError):
    """A job the service would not take."""


@dataclass
class Submitted:
    job: Any
    experiment_name: str | None
    rest: dict[str, Any]


@dataclass
class FakeJobs:
    submitted: list[Submitted] = field(default_factory=list)

    def create_or_update(self, job: Any, *, experiment_name: str | None = None, **kwargs: Any) -> Any:
        rest = checked(job)
        self.submitted.append(Submitted(job, experiment_name, rest))
        name = f"job_{len(self.submitted)}"
        return SimpleNamespace(name=name, studio_url=f"https://ml.azure.com/runs/{name}", status="Completed")

    def stream(self, name: str) -> None:
        assert name.startswith("job_"), name

    def get(self, name: str) -> Any:
        return SimpleNamespace(name=name, status="Completed")

    def begin_cancel(self, name: str) -> None:
        assert name.startswith("job_"), name


class FakeDatastores:
    def get_default(self) -> Any:
        return SimpleNamespace(name="workspaceblobstore")

    def get(self, name: str) -> Any:
        return SimpleNamespace(name=name)


class FakeMLClient:
    """``MLClient``: remembers how it was made; its ``jobs`` record what they are given."""

    clients: list[FakeMLClient] = []

    def __init__(self, credential: Any, subscription_id: str | None = None, resource_group_name: str | None = None,
                 workspace_name: str | None = None, **kwargs: Any) -> None:
        assert isinstance(credential, FakeCredential), credential
        self.workspace = (subscription_id, resource_group_name, workspace_name)
        self.jobs = FakeJobs()
        self.datastores = FakeDatastores()
        FakeMLClient.clients.append(self)

    @classmethod
    def from_config(cls, credential: Any, *, path: str | None = None, file_name: str | None = None,
                    **kwargs: Any) -> FakeMLClient:
        return cls(credential, "subscription", "resource-group", "workspace")


class FakeCredential:
    pass


def checked(job: Any) -> dict[str, Any]:
    """The job's REST form, once azure-ai-ml validated it and its typed fields hold their types."""
    result = job._validate()
    if not result.passed:
        raise RejectedJob(f"azure-ai-ml rejects the job: {result.error_messages}")
    node = job._to_job() if hasattr(job, "_to_job") else job
    rest = node._to_rest_object().as_dict()
    properties = rest["properties"]
    jobs = [properties, properties.get("trial") or {}]
    for part in jobs:
        for path, kind in _TYPED.items():
            value: Any = part
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None and not isinstance(value, kind) or kind is int and isinstance(value, bool):
                raise RejectedJob(f"{'.'.join(path)} is {value!r}, not {kind.__name__}")
        for name, value in (part.get("environmentVariables") or {}).items():
            if not isinstance(value, str):
                raise RejectedJob(f"environment variable {name} is {value!r}, not a string")
    for name, data in (properties.get("inputs") or {}).items():
        if data.get("jobInputType") not in _INPUT_TYPES or data.get("mode") not in (None, *_MODES):
            raise RejectedJob(f"input {name}: {data}")
    return rest


def run_v2(path: Path, text: str, project: Path) -> tuple[dict[str, Any], list[Submitted]]:
    """Run a v2 output (``text``, of the golden file ``path``) offline, in a copy of ``project`` where
    every code folder the jobs name exists (azure-ai-ml checks): its namespace and what it submitted.
    Every azure-ai-ml job it binds at module level is checked too, submitted or not."""
    from azure.ai.ml.entities import Command
    from azure.ai.ml.entities._builders.sweep import Sweep

    source = program(path, text)
    FakeMLClient.clients = []
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        cwd = Path(folder) / "project"
        shutil.copytree(project, cwd)
        for code in _code_folders(source):
            (cwd / code).mkdir(parents=True, exist_ok=True)
        stack.enter_context(mock.patch("azure.ai.ml.MLClient", FakeMLClient))
        stack.enter_context(mock.patch("azure.identity.DefaultAzureCredential", FakeCredential))
        execution = execute(source, str(path), cwd=cwd)
        for value in execution.namespace.values():
            if isinstance(value, (Command, Sweep)):
                checked(value)
        return execution.namespace, [job for client in FakeMLClient.clients for job in client.jobs.submitted]


def _code_folders(source: str) -> set[str]:
    """The code folders the source's ``command(code='...')`` calls name."""
    return {keyword.value.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
            for keyword in node.keywords if keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
            and isinstance(keyword.value.value, str)}
