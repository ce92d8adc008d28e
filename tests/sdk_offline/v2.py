"""The real Azure ML SDK v2 (``azure-ai-ml``), run offline: a v2 program executes with recording stand-ins
for what would reach the service (``MLClient``, its ``from_config``, the ``azure.identity`` credentials,
and the client's operations a submit script uses), and each ``command(...)`` or sweep job it defines is
described as the SDK serialises it. Everything else is the SDK's own code: building the job, the local
validation ``ml_client.jobs.create_or_update`` runs before its first service call, and the REST form it
would send. Nothing here needs a network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import azure.ai.ml
import azure.identity
from azure.ai.ml.entities._validation import PathAwareSchemaValidatableMixin
from azure.ai.ml.constants._common import COMMON_RUNTIME_ENV_VAR, LOCAL_COMPUTE_TARGET
from azure.ai.ml.entities import AmlCompute, AzureBlobDatastore, CommandJob, Data, Datastore, Environment
from azure.ai.ml.sweep import SweepJob
from azure.ai.ml.entities._builders import BaseNode, Command, Sweep
from azure.ai.ml.operations._job_operations import to_rest_job_object

from . import Execution, Job, execute
from .service import CURATED_IMAGE_PREFIX, DEFAULT_DATASTORE

JOB_TYPES = (Command, Sweep, CommandJob, SweepJob)
_CREDENTIALS = (
    "DefaultAzureCredential",
    "AzureCliCredential",
    "InteractiveBrowserCredential",
    "ManagedIdentityCredential",
    "ClientSecretCredential",
    "DeviceCodeCredential",
)
# The one validation error that is not the job's: the golden and pair folders do not ship the code folders
# the jobs name (the v1 side never reads them either: its snapshot upload is a stand-in).
_MISSING_CODE = "Can't find directory or file"


@dataclass
class V2Job:
    """One job as the SDK serialises it: ``sent["job"]`` its YAML/dict form (``_to_dict()``: environment,
    limits in seconds), ``sent["rest"]`` the REST properties ``create_or_update`` sends (command, code,
    compute, inputs with their wire modes, distribution, resources, sweep settings); the object itself;
    and the experiment it was submitted to (None: not submitted). A module-level job the SDK cannot turn
    into a job (a command whose sweep binds its inputs) has no ``sent``, and the SDK's reason."""

    sent: dict[str, Any] | None
    source: Any
    experiment: str | None = None
    error: str | None = None


@dataclass
class V2Execution:
    """A v2 program run offline: its jobs (``name X`` for every module-level name bound to a command or
    sweep job, ``submission N`` for each ``jobs.create_or_update``, described when submitted), what it
    asked of the client (``calls``: operation and first argument, in order), and the run of the same
    program under the v1 stand-ins (``v1``: its namespace, and the v1 code it kept, for what a fix
    left manual). A job the program left as v1 code is a v1 ``Job`` in ``jobs``, in the same order."""

    jobs: dict[str, V2Job | Job] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)
    v1: Execution | None = None


def describe(job: Any, experiment: str | None = None) -> V2Job:
    """``job`` serialised without a network: a builder node (``command(...)``, ``.sweep(...)``) as the job
    ``create_or_update`` turns it into."""
    entity = job._to_job() if isinstance(job, BaseNode) else job
    rest = to_rest_job_object(entity).as_dict()["properties"]
    return V2Job({"job": _json(entity._to_dict()), "rest": _json(rest)}, job, experiment)


def _described_if_it_can_be(job: Any) -> V2Job:
    try:
        return describe(job)
    except Exception as error:  # noqa: BLE001 - the SDK's reason is the result; submitting would raise it
        return V2Job(None, job, error=f"{type(error).__name__}: {error}")


def validate(job: Any) -> None:
    """What ``create_or_update`` checks locally before it calls the service (``JobOperations._validate``:
    the job's schema validation, for the job types that have one); raises as it would."""
    if not isinstance(job, PathAwareSchemaValidatableMixin):
        return
    result = job._validate(raise_error=False)
    errors = {
        path: message
        for path, message in result.error_messages.items()
        if not (path.split(".")[-1] == "code" and _MISSING_CODE in message)
    }
    if errors:
        raise ValueError(f"the SDK rejects the {type(job).__name__} job: {errors}")


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class OfflineCredential:
    """Any azure.identity credential: built, never asked for a token."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        raise AssertionError("an offline v2 program asked for a token: it would have called the service")


class OfflineJobHandle:
    """What ``create_or_update`` returns: the submitted job, named, with a studio URL."""

    def __init__(self, job: Any, name: str) -> None:
        self._job, self.name, self.status = job, name, "Completed"
        self.studio_url = f"https://offline.invalid/jobs/{name}"

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._job, attribute)


class _Jobs:
    def __init__(self, client: OfflineMLClient) -> None:
        self._client = client
        self._submitted: dict[str, OfflineJobHandle] = {}

    def create_or_update(
        self,
        job: Any,
        *,
        description: str | None = None,
        compute: str | None = None,
        tags: dict[str, str] | None = None,
        experiment_name: str | None = None,
        skip_validation: bool = False,
        **kwargs: Any,
    ) -> OfflineJobHandle:
        # the SDK's own order: the overrides are set on the job, then it is validated, then serialised
        job = job._to_job() if isinstance(job, BaseNode) and not isinstance(job, Command) else job
        for attribute, value in (
            ("description", description),
            ("compute", compute),
            ("tags", tags),
            ("experiment_name", experiment_name),
        ):
            if value is not None:
                setattr(job, attribute, value)
        if job.compute == LOCAL_COMPUTE_TARGET:  # the SDK's own addition for a local job
            job.environment_variables[COMMON_RUNTIME_ENV_VAR] = "true"
        if not skip_validation:
            validate(job)
        self._client.record("jobs.create_or_update", job)
        jobs = self._client.execution.jobs
        # described now (JSON): what is sent is the job as it is at submit time
        jobs[f"submission {sum(k.startswith('submission') for k in jobs)}"] = describe(
            job, experiment_name or getattr(job, "experiment_name", None)
        )
        handle = OfflineJobHandle(job, f"offline_job_{len(self._submitted)}")
        self._submitted[handle.name] = handle
        return handle

    def stream(self, name: str) -> None:
        self._client.record("jobs.stream", name)
        if name not in self._submitted:
            raise KeyError(f"jobs.stream({name!r}): no job of that name was submitted")

    def get(self, name: str) -> OfflineJobHandle:
        self._client.record("jobs.get", name)
        return self._submitted[name]

    def download(self, name: str, *args: Any, **kwargs: Any) -> None:
        self._client.record("jobs.download", name)


def _blob_datastore(name: str) -> Datastore:
    """A workspace blob datastore as ``DatastoreOperations.get`` returns it (no secrets)."""
    return AzureBlobDatastore(name=name, account_name="offline", container_name=f"azureml-{name}")


class _Assets:
    """``environments`` / ``data`` / ``compute`` / ``datastores``: every name asked for exists."""

    def __init__(self, client: OfflineMLClient, kind: str) -> None:
        self._client, self._kind = client, kind

    def get(
        self, name: str | None = None, version: str | None = None, label: str | None = None, **kwargs: Any
    ) -> Any:
        self._client.record(f"{self._kind}.get", name)
        if self._kind == "environments":  # marked like the v1 side's Environment.get (sdk_offline.service)
            return Environment(
                name=name, version=version or "1", image=f"{CURATED_IMAGE_PREFIX}{name.lower()}:offline"
            )
        if self._kind == "data":
            return Data(
                name=name,
                version=version or "1",
                type="uri_folder",
                path=f"azureml://datastores/workspaceblobstore/paths/datasets/{name}",
            )
        if self._kind == "compute":
            return AmlCompute(name=name, size="STANDARD_NC6")
        if self._kind == "datastores":
            return _blob_datastore(name)
        return mock.Mock(name=name)

    def get_default(self, *, include_secrets: bool = False) -> Datastore:
        """``DatastoreOperations.get_default`` (datastores only): the workspace's default datastore, named
        as the v1 stand-in's ``ws.get_default_datastore()`` (sdk_offline.service)."""
        if self._kind != "datastores":
            raise AttributeError(f"'{self._kind}' operations have no get_default")
        self._client.record("datastores.get_default", None)
        return _blob_datastore(DEFAULT_DATASTORE)

    def create_or_update(self, asset: Any, **kwargs: Any) -> Any:
        self._client.record(f"{self._kind}.create_or_update", asset)
        return asset

    begin_create_or_update = create_or_update


class OfflineMLClient:
    """``MLClient(credential, subscription_id, resource_group_name, workspace_name)`` and
    ``MLClient.from_config(credential)``, recording what the program asks."""

    current: V2Execution | None = None

    def __init__(
        self,
        credential: Any = None,
        subscription_id: str | None = None,
        resource_group_name: str | None = None,
        workspace_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if credential is None:
            raise ValueError("credential can not be None")  # the SDK's own check
        assert OfflineMLClient.current is not None, "an offline MLClient was built outside execute_v2()"
        self.execution = OfflineMLClient.current
        self.subscription_id, self.resource_group_name = subscription_id, resource_group_name
        self.workspace_name = workspace_name or "offline-ws"
        self.jobs = _Jobs(self)
        self.environments, self.data = _Assets(self, "environments"), _Assets(self, "data")
        self.compute, self.datastores = _Assets(self, "compute"), _Assets(self, "datastores")

    @classmethod
    def from_config(
        cls, credential: Any = None, *, path: Any = None, file_name: Any = None, **kwargs: Any
    ) -> OfflineMLClient:
        return cls(credential)

    def record(self, operation: str, argument: Any) -> None:
        self.execution.calls.append((operation, argument))


@contextmanager
def _stand_ins(execution: V2Execution) -> Iterator[None]:
    OfflineMLClient.current = execution
    try:
        with ExitStack() as stack:
            stack.enter_context(mock.patch.object(azure.ai.ml, "MLClient", OfflineMLClient))
            for name in _CREDENTIALS:
                stack.enter_context(mock.patch.object(azure.identity, name, OfflineCredential))
            yield
    finally:
        OfflineMLClient.current = None


def execute_v2(source: str, filename: str, *, cwd: Path) -> V2Execution:
    """Run ``source`` as a module under azure-ai-ml, offline, in ``cwd``, with the v1 stand-ins too (a
    migrated module keeps the v1 code a fix left manual). An exception propagates."""
    execution = V2Execution()

    def within(jobs: dict[str, Any]) -> Any:
        execution.jobs = jobs  # one dict: v1 and v2 submissions numbered in the order they happen
        return _stand_ins(execution)

    execution.v1 = execute(source, filename, cwd=cwd, within=within)
    for name, value in list(execution.v1.namespace.items()):
        if isinstance(value, JOB_TYPES):
            execution.jobs[f"name {name}"] = _described_if_it_can_be(value)
    return execution
