"""Stand-ins for everything in the SDK that would reach the service, as one set of patches over the real
SDK. One offline workspace per program, in which every name asked for exists:

``Workspace.from_config/get/Workspace(...)``; ``ws.datastores``, ``get_default_datastore``,
``Datastore(...)/get/get_default/register_azure_blob_container``; ``Dataset.get_by_name/get_by_id`` and
``ws.datasets[...]`` (registered FileDatasets, built by the SDK); ``dataset.register`` (version 1);
``Dataset.File/Tabular.from_*`` without validation and saved at submit under an id that follows from
their definition; ``ComputeTarget(...)``,
``AmlCompute(...)``, ``ComputeTarget.create`` and ``ws.compute_targets[...]`` (AmlCompute clusters);
``Environment.get`` and ``ws.environments[...]`` (:func:`curated_environment`); ``Experiment(...)`` and
``submit`` (the job is described, see ``jobs.py``, and a finished run returned); ``Pipeline`` (keeps
its steps: its graph needs the pipeline service); HyperDrive's snapshot upload.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import azureml.core
import azureml.core.experiment
import azureml.core.workspace
import azureml.pipeline.core
from azureml.core import Datastore, Environment, Experiment, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.data.abstract_dataset import AbstractDataset, _DatasetRegistration
from azureml.data.azure_storage_datastore import AzureBlobDatastore
from azureml.data.data_reference import DataReference
from azureml.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory
from azureml.train.estimator import MMLBaseEstimator  # noqa: AML102 - the original side is what we run
from azureml.train.hyperdrive import _search as hyperdrive_search

WORKSPACE_REGION = "westeurope"
# SDK_FACTS.md section 5: an AmlCompute target in one of these regions (``_NON_CACHED_REGIONS``) sends
# framework estimators down the full-build path, the path a string target takes.
FULL_BUILD_REGION = "chinaeast2"
# Environment.get's stand-in marks what it returns with this base image prefix.
CURATED_IMAGE_PREFIX = "offline-curated.invalid/"
# The default datastore of every offline workspace (the service's name for a new workspace's blob store).
DEFAULT_DATASTORE = "workspaceblobstore"


def curated_environment(name: str) -> Environment:
    """What ``Environment.get(ws, name)`` returns offline: Environment's defaults and an image that names
    it, which no rewrite builds by accident."""
    environment = Environment(name)
    environment.docker.base_image = f"{CURATED_IMAGE_PREFIX}{name.lower()}:offline"
    return environment


@dataclass
class Session:
    """What one program asked of the service. ``on_submit(config, workspace, tags, overrides, experiment)``
    is called at each submit, while the program runs."""

    region: str
    on_submit: Callable[[Any, Workspace, Any, dict[str, Any], str], None]
    estimators: list[Any] = field(default_factory=list)  # every estimator built, in order
    references: dict[str, Any] = field(default_factory=dict)  # str(reference) -> the reference itself
    datasets: dict[str, str] = field(default_factory=dict)  # saved id -> class (FileDataset, TabularDataset)


_sessions: list[Session] = []


def session() -> Session:
    assert _sessions, "an offline SDK object was used outside sdk_offline.execute()"
    return _sessions[-1]


class _OnDemand(dict):
    """A workspace collection in which every name asked for exists."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, name: str) -> Any:
        self[name] = value = self._make(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        return self[name]


class _ServiceContext:
    """The URLs HyperDrive writes into its payload."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def _get_experimentation_url(self) -> str:
        return "https://offline.invalid/execution"

    def _get_experiment_scope(self, experiment_name: str) -> str:
        return f"/offline/{self._workspace.name}/experiments/{experiment_name}"


class OfflineWorkspace(Workspace):
    """A Workspace (``isinstance`` checks pass) whose collections are offline, whatever its arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("00000000-0000-0000-0000-000000000000", "offline-rg", "offline-ws", auth=object(),
                         _location=session().region, _disable_service_check=True,
                         _workspace_id="11111111-1111-1111-1111-111111111111")
        self._datastores = _OnDemand(lambda name: AzureBlobDatastore(
            workspace=self, name=name, container_name=f"{name}-container", account_name="offlineaccount"))
        self._compute_targets = _OnDemand(lambda name: offline_compute(self, name))
        self._datasets = _OnDemand(lambda name: registered_dataset(self, name, 1))
        self._environments = _OnDemand(curated_environment)

    @property
    def datastores(self) -> dict[str, Any]:
        return self._datastores

    @property
    def compute_targets(self) -> dict[str, Any]:
        return self._compute_targets

    @property
    def datasets(self) -> dict[str, Any]:
        return self._datasets

    @property
    def environments(self) -> dict[str, Any]:
        return self._environments

    @property
    def service_context(self) -> Any:
        return _ServiceContext(self)

    def get_default_datastore(self) -> Any:
        return self._datastores[DEFAULT_DATASTORE]


def offline_compute(workspace: Workspace, name: str, vm_size: str = "STANDARD_NC6") -> AmlCompute:
    """An AmlCompute cluster in the workspace's region (SDK_FACTS.md intro: ``object.__new__``)."""
    compute = object.__new__(AmlCompute)
    compute.workspace, compute.name, compute.vm_size = workspace, name, vm_size
    compute.location = compute.cluster_location = workspace.location
    compute.type, compute.provisioning_state, compute.vm_priority = "AmlCompute", "Succeeded", "dedicated"
    compute.wait_for_completion = lambda *args, **kwargs: None
    return compute


def registered_dataset(workspace: Workspace, name: str, version: Any) -> Any:
    """A registered FileDataset, built by the SDK from a datastore path."""
    dataset = FileDatasetFactory.from_files(path=[(workspace.get_default_datastore(), f"datasets/{name}")],
                                            validate=False)
    number = 1 if version in (None, "latest") else int(version)
    dataset._registration = _DatasetRegistration(workspace, saved_id=_stable_id("saved", name, number),
                                                 registered_id=_stable_id("registered", name), name=name,
                                                 version=number)
    return dataset


def _stable_id(*parts: Any) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts))))


def _save(dataset: Any, workspace: Workspace) -> str:
    """An unregistered dataset is saved at submit; offline its id follows from its definition. Its class is
    recorded under the id: the job sends the id only, and a TabularDataset is consumed unlike a file one."""
    if not dataset._registration or not dataset._registration.saved_id:
        definition = hashlib.sha256(str(dataset._dataflow).encode()).hexdigest()[:16]
        dataset._registration = _DatasetRegistration(workspace, saved_id=_stable_id("saved", definition))
    session().datasets[dataset._registration.saved_id] = type(dataset).__name__
    return dataset._registration.saved_id


def _register(dataset: Any, workspace: Workspace, name: str, *args: Any, **kwargs: Any) -> Any:
    """``dataset.register(ws, name)``: version 1 of ``name``, ids as :func:`registered_dataset` gives them."""
    dataset._registration = _DatasetRegistration(workspace, saved_id=_stable_id("saved", name, 1),
                                                 registered_id=_stable_id("registered", name), name=name,
                                                 version=1)
    return dataset


class OfflineRun:
    """What ``submit`` returns: a finished run with nothing in it."""

    def __init__(self, config: Any) -> None:
        self.config, self.id = config, f"offline_run_{id(config):x}"

    def wait_for_completion(self, show_output: bool = False, **kwargs: Any) -> dict[str, str]:
        return {"runId": self.id, "status": "Completed"}

    def get_status(self) -> str:
        return "Completed"

    def get_portal_url(self) -> str:
        return f"https://offline.invalid/runs/{self.id}"

    def get_metrics(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {}

    def get_details(self) -> dict[str, Any]:
        return {"runId": self.id, "status": "Completed"}

    def get_best_run_by_primary_metric(self, *args: Any, **kwargs: Any) -> OfflineRun:
        return self


class OfflineExperiment(Experiment):
    """An Experiment (``isinstance`` checks pass) whose ``submit`` hands the job to the session."""

    def __init__(self, workspace: Workspace, name: str, *args: Any, **kwargs: Any) -> None:
        self._workspace, self._name = workspace, name

    def submit(self, config: Any, tags: dict[str, str] | None = None, **kwargs: Any) -> OfflineRun:
        session().on_submit(config, self.workspace, tags, kwargs, self._name)
        return OfflineRun(config)


class OfflinePipeline:
    """A Pipeline keeps its workspace and steps."""

    def __init__(self, workspace: Workspace, steps: list[Any], description: str | None = None,
                 **kwargs: Any) -> None:
        self.workspace, self.steps = workspace, list(steps)
        self.description, self.options = description, kwargs

    def validate(self) -> list[Any]:
        return []

    def submit(self, experiment_name: str, **kwargs: Any) -> OfflineRun:
        return OfflineExperiment(self.workspace, experiment_name).submit(self, **kwargs)


class _SnapshotsClient:
    """HyperDrive uploads the source directory; its payload then names the snapshot."""

    def __init__(self, service_context: Any) -> None:
        pass

    def create_snapshot(self, source_directory: str) -> str:
        return f"snapshot of {source_directory}"


@contextmanager
def stand_ins(current: Session) -> Iterator[None]:
    """The real SDK with its service calls replaced, for ``current``."""
    _sessions.append(current)
    try:
        with ExitStack() as stack:
            for patch in _patches(current):
                stack.enter_context(patch)
            yield
    finally:
        _sessions.pop()


def _environment_snapshots() -> list[Any]:
    """Each estimator class's own ``__init__`` records the environment it built, as
    ``_environment_when_built``: the outermost one returns last, so what stays is the environment once
    the estimator is built, before anything the program does to it afterwards."""
    def snapshotting(init: Callable[..., None]) -> Callable[..., None]:
        def built(self: MMLBaseEstimator, *args: Any, **kwargs: Any) -> None:
            init(self, *args, **kwargs)
            self._environment_when_built = Environment._serialize_to_dict(self._estimator_config.environment)
        return built

    classes, found = [MMLBaseEstimator], []
    while classes:
        cls = classes.pop()
        classes += cls.__subclasses__()
        if cls is not MMLBaseEstimator and "__init__" in vars(cls):
            found.append(mock.patch.object(cls, "__init__", snapshotting(vars(cls)["__init__"])))
    return found


def _patches(current: Session) -> list[Any]:
    estimator_init, reference_text = MMLBaseEstimator.__init__, DataReference.__str__

    def record_estimator(self: MMLBaseEstimator, *args: Any, **kwargs: Any) -> None:
        estimator_init(self, *args, **kwargs)
        current.estimators.append(self)

    def record_reference(self: DataReference) -> str:
        current.references[reference_text(self)] = self
        return reference_text(self)

    def compute_new(cls: type, workspace: Workspace | None = None, name: str | None = None) -> Any:
        return workspace.compute_targets[name] if workspace is not None and name else object.__new__(cls)

    def compute_create(workspace: Workspace, name: str, provisioning_configuration: Any) -> AmlCompute:
        vm_size = getattr(provisioning_configuration, "vm_size", None) or "STANDARD_NC6"
        workspace.compute_targets[name] = compute = offline_compute(workspace, name, vm_size)
        return compute

    def datastore_new(cls: type, workspace: Workspace, name: str | None = None) -> Any:
        return workspace.datastores[name] if name else workspace.get_default_datastore()

    def datastore(workspace: Workspace, datastore_name: str, *args: Any, **kwargs: Any) -> Any:
        return workspace.datastores[datastore_name]

    def workspace(*args: Any, **kwargs: Any) -> OfflineWorkspace:
        return OfflineWorkspace()

    return [
        *_environment_snapshots(),
        mock.patch.object(MMLBaseEstimator, "__init__", record_estimator),
        mock.patch.object(DataReference, "__str__", record_reference),
        mock.patch.object(Workspace, "from_config", staticmethod(workspace)),
        mock.patch.object(Workspace, "get", staticmethod(workspace)),
        mock.patch.object(azureml.core, "Workspace", OfflineWorkspace),
        mock.patch.object(azureml.core.workspace, "Workspace", OfflineWorkspace),
        mock.patch.object(ComputeTarget, "__new__", compute_new),
        mock.patch.object(ComputeTarget, "create", staticmethod(compute_create)),
        mock.patch.object(Datastore, "__new__", datastore_new),
        mock.patch.object(Datastore, "get", staticmethod(datastore)),
        mock.patch.object(Datastore, "get_default", staticmethod(lambda ws: ws.get_default_datastore())),
        mock.patch.object(Datastore, "register_azure_blob_container", staticmethod(datastore)),
        mock.patch.object(AbstractDataset, "_get_by_name", staticmethod(registered_dataset)),
        mock.patch.object(AbstractDataset, "_get_by_id", staticmethod(lambda ws, id: ws.datasets[id])),
        mock.patch.object(AbstractDataset, "_ensure_saved_internal", _save),
        mock.patch.object(AbstractDataset, "register", _register),
        mock.patch.object(FileDatasetFactory, "from_files", _unvalidated(FileDatasetFactory.from_files)),
        mock.patch.object(TabularDatasetFactory, "from_delimited_files",
                          _unvalidated(TabularDatasetFactory.from_delimited_files, infer_column_types=False)),
        mock.patch.object(TabularDatasetFactory, "from_parquet_files",
                          _unvalidated(TabularDatasetFactory.from_parquet_files)),
        mock.patch.object(Environment, "get", staticmethod(
            lambda workspace, name, version=None, label=None: curated_environment(name))),
        mock.patch.object(azureml.core, "Experiment", OfflineExperiment),
        mock.patch.object(azureml.core.experiment, "Experiment", OfflineExperiment),
        mock.patch.object(azureml.pipeline.core, "Pipeline", OfflinePipeline),
        mock.patch.object(hyperdrive_search, "SnapshotsClient", _SnapshotsClient),
    ]


def _unvalidated(factory: Callable[..., Any], **forced: Any) -> staticmethod:
    """A dataset factory that does not read the storage (validation, type inference)."""
    def build(*args: Any, **kwargs: Any) -> Any:
        return factory(*args, **{**kwargs, "validate": False, **forced})
    return staticmethod(build)
