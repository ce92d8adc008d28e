"""The real Azure ML SDK v1, run offline: programs execute under the SDK with stand-ins for every call
that would reach the service, and each job they define is described as the service would receive it.

What stands in for the service (one offline workspace per execution, where everything asked for exists):
``Workspace.from_config/get/Workspace(...)``; ``ws.datastores``, ``get_default_datastore``,
``Datastore.get/get_default/register_azure_blob_container``; ``Dataset.get_by_name/get_by_id`` and
``ws.datasets[...]`` (registered offline FileDatasets); ``ComputeTarget(...)``, ``AmlCompute(...)``,
``ComputeTarget.create`` and ``ws.compute_targets[...]`` (offline AmlCompute objects);
``Environment.get`` and ``ws.environments[...]`` (a recognisable stand-in, see :func:`curated_environment`);
``Experiment(...)``, ``submit`` and the returned run; ``Pipeline``; HyperDrive's snapshot upload.
Everything else is the SDK's own code, including estimator construction and submit-time behaviour.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

from azureml.core import Datastore, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core._serialization_utils import _serialize_to_dict
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.script_run_config import _update_args_and_io, get_run_config_from_script_run
from azureml.data.abstract_dataset import AbstractDataset, _DatasetRegistration
from azureml.data.abstract_datastore import AbstractDatastore
from azureml.data.azure_storage_datastore import AzureBlobDatastore
from azureml.data.data_reference import DataReference
from azureml.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory
from azureml.pipeline.core import PipelineData
from azureml.pipeline.core.builder import PipelineStep
from azureml.train.estimator import MMLBaseEstimator  # noqa: AML102 - the old side is what we describe
from azureml.train import _estimator_helper
from azureml.train.hyperdrive import HyperDriveConfig
from azureml.train.hyperdrive import _search as hyperdrive_search

WORKSPACE_REGION = "westeurope"
# SDK_FACTS.md section 5: an AmlCompute target in one of these regions (``_NON_CACHED_REGIONS``)
# takes the framework estimators' full-build path, exactly as a string target does.
FULL_BUILD_REGION = "chinaeast2"
# Environment.get's stand-in marks what it returns with this base image prefix.
CURATED_IMAGE_PREFIX = "offline-curated.invalid/"


def curated_environment(name: str) -> Environment:
    """What ``Environment.get(ws, name)`` returns offline: an Environment that no rewrite can build by
    accident (its image names it), otherwise Environment's defaults."""
    environment = Environment(name)
    environment.docker.base_image = f"{CURATED_IMAGE_PREFIX}{name.lower()}:offline"
    return environment


class _OnDemand(dict):
    """A workspace collection in which every name asked for exists."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, name: str) -> Any:
        self[name] = value = self._make(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        return self[name]


class _ServiceContext:
    """The URLs HyperDrive writes into its payload, offline."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def _get_experimentation_url(self) -> str:
        return "https://offline.invalid/execution"

    def _get_experiment_scope(self, experiment_name: str) -> str:
        return f"/offline/{self._workspace.name}/experiments/{experiment_name}"


class OfflineWorkspace(Workspace):
    """A Workspace (``isinstance`` checks pass) whose collections are offline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("00000000-0000-0000-0000-000000000000", "offline-rg", "offline-ws", auth=object(),
                         _location=_session().region, _disable_service_check=True,
                         _workspace_id="11111111-1111-1111-1111-111111111111")
        self._datastores = _OnDemand(lambda name: AzureBlobDatastore(
            workspace=self, name=name, container_name=f"{name}-container", account_name="offlineaccount"))
        self._compute_targets = _OnDemand(lambda name: offline_compute(self, name))
        self._datasets = _OnDemand(lambda name: registered_dataset(self, name, 1))
        self._environments = _OnDemand(_session().environment_get)

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
        return self._datastores["workspaceblobstore"]


def offline_compute(workspace: Workspace, name: str, vm_size: str = "STANDARD_NC6") -> AmlCompute:
    """An AmlCompute cluster in the workspace's region (SDK_FACTS.md intro: ``object.__new__``)."""
    compute = object.__new__(AmlCompute)
    compute.workspace, compute.name, compute.vm_size = workspace, name, vm_size
    compute.location = compute.cluster_location = workspace.location
    compute.type, compute.provisioning_state, compute.vm_priority = "AmlCompute", "Succeeded", "dedicated"
    compute.wait_for_completion = lambda *args, **kwargs: None
    return compute


def registered_dataset(workspace: Workspace, name: str, version: Any) -> Any:
    """A registered FileDataset (built by the SDK from a datastore path, without validation)."""
    dataset = FileDatasetFactory.from_files(path=[(workspace.get_default_datastore(), f"datasets/{name}")],
                                            validate=False)
    dataset._registration = _DatasetRegistration(workspace, saved_id=_stable_id("saved", name, version),
                                                 registered_id=_stable_id("registered", name), name=name,
                                                 version=1 if version in (None, "latest") else int(version))
    return dataset


def _stable_id(*parts: Any) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts))))


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


@dataclass
class Job:
    """One thing a program would send to the service: its description (JSON), the object it came from,
    and for each run configuration in the description (in :func:`run_configurations` order) the
    estimator that built it, if one did."""

    sent: dict[str, Any]
    source: Any
    estimators: list[Any]


class OfflineExperiment(Experiment):
    """An Experiment (``isinstance`` checks pass) whose ``submit`` records what it was given."""

    def __init__(self, workspace: Workspace, name: str, *args: Any, **kwargs: Any) -> None:
        self._workspace, self._name = workspace, name

    def submit(self, config: Any, tags: dict[str, str] | None = None, **kwargs: Any) -> OfflineRun:
        # described now: what is sent is the object as it is at submit time
        _session().add(f"submission {len(_session().jobs)}", config, self.workspace, kwargs)
        return OfflineRun(config)


class OfflinePipeline:
    """A Pipeline keeps its workspace and steps; building its graph needs the pipeline service."""

    def __init__(self, workspace: Workspace, steps: list[Any], description: str | None = None,
                 **kwargs: Any) -> None:
        self.workspace, self.steps, self.description, self.options = workspace, list(steps), description, kwargs

    def validate(self) -> list[Any]:
        return []

    def submit(self, experiment_name: str, **kwargs: Any) -> OfflineRun:
        return OfflineExperiment(self.workspace, experiment_name).submit(self, **kwargs)


@dataclass
class _Session:
    region: str
    jobs: dict[str, Job] = field(default_factory=dict)
    requested_environments: list[str] = field(default_factory=list)
    estimators: list[Any] = field(default_factory=list)
    references: dict[str, Any] = field(default_factory=dict)

    def add(self, key: str, config: Any, workspace: Workspace, overrides: dict[str, Any] | None = None) -> None:
        built_by = {id(e.run_config): e for e in self.estimators}
        if isinstance(config, HyperDriveConfig):
            estimators = [config.estimator]
        elif isinstance(config, OfflinePipeline):
            estimators = [built_by.get(id(getattr(step, "_runconfig", None))) for step in config.steps]
        else:
            estimators = [config if isinstance(config, MMLBaseEstimator)
                          else built_by.get(id(getattr(config, "_runconfig", None)))]
        self.jobs[key] = Job(describe(config, workspace, overrides), config, estimators)

    def environment_get(self, name: str) -> Environment:
        self.requested_environments.append(name)
        return curated_environment(name)


_current: list[_Session] = []


def _session() -> _Session:
    assert _current, "an offline SDK object was used outside sdk_offline.execute()"
    return _current[-1]


@dataclass
class Execution:
    """A program run offline: its module namespace, the Environment names it asked for, and its jobs:
    every submission (``submission N``, described when submitted) and every module-level name bound to a
    ScriptRunConfig, estimator, HyperDriveConfig, pipeline step or Pipeline (``name X``, described when
    the program ends) that no HyperDriveConfig or step consumes (those are compared through their
    consumer: an EstimatorStep rewrites its estimator's run configuration)."""

    namespace: dict[str, Any]
    requested_environments: list[str]
    jobs: dict[str, Job]
    references: dict[str, Any]  # str(reference) -> the reference's configuration, for every str() taken


def execute(source: str, filename: str, *, cwd: Path, full_build: bool = False) -> Execution:
    """Run ``source`` as a module under the real SDK, offline, in ``cwd``. An exception propagates.

    ``full_build``: every compute target is an AmlCompute in a region without cached framework images,
    so framework estimators take the full-build path a string target takes (SDK_FACTS.md section 5).
    """
    session = _Session(FULL_BUILD_REGION if full_build else WORKSPACE_REGION)
    namespace: dict[str, Any] = {"__name__": "__offline__", "__file__": filename}
    code = compile(source, filename, "exec")
    previous = os.getcwd()
    _current.append(session)
    try:
        with _stand_ins(session):
            os.chdir(cwd)
            exec(code, namespace)  # noqa: S102 - the project's own golden programs
            workspace = next((v for v in namespace.values() if isinstance(v, OfflineWorkspace)), None)
            workspace = workspace or OfflineWorkspace()
            consumed = _consumed(namespace.values())
            for name, value in namespace.items():
                if _is_job(value) and id(value) not in consumed:
                    session.add(f"name {name}", value, workspace)
    finally:
        os.chdir(previous)
        _current.pop()
    return Execution(namespace, session.requested_environments, session.jobs, session.references)


def _is_job(value: Any) -> bool:
    return isinstance(value, (MMLBaseEstimator, ScriptRunConfig, HyperDriveConfig, PipelineStep, OfflinePipeline))


def _consumed(values: Any) -> set[int]:
    """Configurations a HyperDriveConfig or a step holds (a step holds its estimator's run configuration)."""
    values = list(values)
    in_pipelines = [s for v in values if isinstance(v, OfflinePipeline) for s in v.steps]
    steps = [v for v in values if isinstance(v, PipelineStep)] + in_pipelines
    run_configs = {id(getattr(s, "_runconfig", None)) for s in steps}
    held = {id(v.estimator) for v in values if isinstance(v, HyperDriveConfig)}
    held |= {id(v.run_config) for v in values if isinstance(v, HyperDriveConfig)}
    held |= {id(s) for s in in_pipelines}
    held |= {id(v) for v in values if isinstance(v, (MMLBaseEstimator, ScriptRunConfig))
             and id(v.run_config) in run_configs}
    return held


@contextmanager
def _stand_ins(session: _Session) -> Iterator[None]:
    def workspace(*args: Any, **kwargs: Any) -> OfflineWorkspace:
        return OfflineWorkspace()

    def compute_new(cls: type, workspace: Workspace = None, name: str | None = None) -> Any:
        return workspace.compute_targets[name] if workspace is not None and name else object.__new__(cls)

    def compute_create(workspace: Workspace, name: str, provisioning_configuration: Any) -> AmlCompute:
        compute = offline_compute(workspace, name, getattr(provisioning_configuration, "vm_size", "STANDARD_NC6"))
        workspace.compute_targets[name] = compute
        return compute

    def datastore_new(cls: type, workspace: Workspace, name: str | None = None) -> Any:
        return workspace.datastores[name] if name else workspace.get_default_datastore()

    def register_blob(workspace: Workspace, datastore_name: str, *args: Any, **kwargs: Any) -> Any:
        return workspace.datastores[datastore_name]

    def save(dataset: Any, workspace: Workspace) -> str:
        # an unregistered dataset is saved at submit: its id follows from its definition
        if not dataset._registration or not dataset._registration.saved_id:
            definition = hashlib.sha256(str(dataset._dataflow).encode()).hexdigest()[:16]
            dataset._registration = _DatasetRegistration(workspace, saved_id=_stable_id("saved", definition))
        return dataset._registration.saved_id

    def without_validation(factory: Any, *, tabular: bool = False) -> Any:
        def build(*args: Any, **kwargs: Any) -> Any:
            kwargs["validate"] = False
            if tabular and "infer_column_types" in factory.__code__.co_varnames:
                kwargs["infer_column_types"] = False
            return factory(*args, **kwargs)
        return staticmethod(build)

    import azureml.core
    import azureml.core.experiment
    import azureml.pipeline.core

    estimator_init = MMLBaseEstimator.__init__
    reference_text = DataReference.__str__

    def record_reference(self: DataReference) -> str:
        text = reference_text(self)
        session.references[text] = to_json(_serialize_to_dict(self.to_config()))
        return text

    def record_estimator(self: MMLBaseEstimator, *args: Any, **kwargs: Any) -> None:
        estimator_init(self, *args, **kwargs)
        session.estimators.append(self)

    patches = [
        mock.patch.object(MMLBaseEstimator, "__init__", record_estimator),
        mock.patch.object(DataReference, "__str__", record_reference),
        mock.patch.object(Workspace, "from_config", staticmethod(workspace)),
        mock.patch.object(Workspace, "get", staticmethod(workspace)),
        mock.patch.object(azureml.core, "Workspace", OfflineWorkspace),
        mock.patch.object(azureml.core.workspace, "Workspace", OfflineWorkspace),
        mock.patch.object(ComputeTarget, "__new__", compute_new),
        mock.patch.object(ComputeTarget, "create", staticmethod(compute_create)),
        mock.patch.object(Datastore, "__new__", datastore_new),
        mock.patch.object(Datastore, "__init__", lambda self, *args, **kwargs: None),
        mock.patch.object(Datastore, "get", staticmethod(lambda ws, datastore_name: ws.datastores[datastore_name])),
        mock.patch.object(Datastore, "get_default", staticmethod(lambda ws: ws.get_default_datastore())),
        mock.patch.object(Datastore, "register_azure_blob_container", staticmethod(register_blob)),
        mock.patch.object(AbstractDataset, "_get_by_name",
                          staticmethod(lambda ws, name, version: registered_dataset(ws, name, version))),
        mock.patch.object(AbstractDataset, "_get_by_id", staticmethod(lambda ws, id: ws.datasets[id])),
        mock.patch.object(AbstractDataset, "_ensure_saved_internal", save),
        mock.patch.object(FileDatasetFactory, "from_files", without_validation(FileDatasetFactory.from_files)),
        mock.patch.object(TabularDatasetFactory, "from_delimited_files",
                          without_validation(TabularDatasetFactory.from_delimited_files, tabular=True)),
        mock.patch.object(TabularDatasetFactory, "from_parquet_files",
                          without_validation(TabularDatasetFactory.from_parquet_files)),
        mock.patch.object(Environment, "get", staticmethod(
            lambda workspace, name, version=None, label=None: session.environment_get(name))),
        mock.patch.object(azureml.core, "Experiment", OfflineExperiment),
        mock.patch.object(azureml.core.experiment, "Experiment", OfflineExperiment),
        mock.patch.object(azureml.pipeline.core, "Pipeline", OfflinePipeline),
        mock.patch.object(hyperdrive_search, "SnapshotsClient", _SnapshotsClient),
    ]
    with ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        yield


class _SnapshotsClient:
    """HyperDrive uploads the source directory; the payload then names its snapshot."""

    def __init__(self, service_context: Any) -> None:
        pass

    def create_snapshot(self, source_directory: str) -> str:
        return f"snapshot of {source_directory}"


# --- what the service would receive ----------------------------------------------------------------

def describe(config: Any, workspace: Workspace, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """What submitting ``config`` sends, as JSON: a ScriptRunConfig or estimator (``source_directory``
    and ``run_config``), a HyperDriveConfig (its payload; the trials' ``run_config``), a pipeline step
    or a Pipeline (its steps). Raises for anything else."""
    _session()  # the stand-ins must be in place: describing runs the SDK's submit code
    if isinstance(config, MMLBaseEstimator):
        return _estimator_submission(config, workspace, overrides or {})
    if overrides:
        raise TypeError(f"{type(config).__name__} takes no submit overrides: {sorted(overrides)}")
    if isinstance(config, ScriptRunConfig):
        return {"source_directory": config.source_directory, "run_config": _run_configuration(config, workspace)}
    if isinstance(config, HyperDriveConfig):
        return _hyperdrive(config, workspace)
    if isinstance(config, PipelineStep):
        return {"step": _step(config)}
    if isinstance(config, OfflinePipeline):
        return {"pipeline": {"description": config.description, "options": to_json(config.options)},
                "steps": [{"step": _step(step)} for step in config.steps]}
    raise TypeError(f"no description of what a {type(config).__name__} submits")


def _estimator_submission(estimator: MMLBaseEstimator, workspace: Workspace,
                          overrides: dict[str, Any]) -> dict[str, Any]:
    """The SDK's own estimator submit (submit-time overrides, the multi-node source directory store of
    SDK_FACTS.md section 9), stopped where it hands its ScriptRunConfig to ``Experiment.submit``."""
    described: list[dict[str, Any]] = []

    def fit(self: MMLBaseEstimator, workspace: Workspace, experiment_name: str) -> OfflineRun:
        config = self._get_script_run_config()
        described.append({"source_directory": config.source_directory,
                          "run_config": _run_configuration(config, workspace)})
        return OfflineRun(config)

    with mock.patch.object(MMLBaseEstimator, "_fit", fit):
        _estimator_helper._estimator_submit_method(estimator, workspace, "offline", **overrides)
    return described[0]


def _run_configuration(config: ScriptRunConfig, workspace: Workspace) -> dict[str, Any]:
    """``script_run_config.submit`` up to the service call: the RunConfiguration with the script and
    arguments copied in, datasets in the arguments registered as inputs (``_update_args_and_io``)."""
    run_config = get_run_config_from_script_run(config)
    _update_args_and_io(workspace, run_config)
    return to_json(_serialize_to_dict(run_config))


def _hyperdrive(config: HyperDriveConfig, workspace: Workspace) -> dict[str, Any]:
    """``_create_experiment_dto``: the HyperDrive payload, trial run configuration included."""
    config = copy.copy(config)  # the SDK caches the platform config on the object
    config._platform_config = None
    payload = to_json(hyperdrive_search._create_experiment_dto(config, workspace, "offline").serialize())
    definition = payload["platform_config"]["Definition"]
    return {"hyperdrive": payload, "source_directory": definition.pop("SnapshotId", None),
            "run_config": definition.pop("Overrides")}


_STEP_FIELDS = ("name", "_script_name", "_source_directory", "_arguments", "_compute_target", "_allow_reuse",
                "_version", "_inputs", "_outputs", "_params", "_runconfig_pipeline_params", "_amlcompute_params")


def _step(step: PipelineStep) -> dict[str, Any]:
    fields = {name.lstrip("_"): to_json(getattr(step, name, None)) for name in _STEP_FIELDS}
    runconfig = getattr(step, "_runconfig", None)
    fields["run_config"] = None if runconfig is None else to_json(_serialize_to_dict(runconfig))
    return fields


def run_configurations(sent: Any) -> Iterator[dict[str, Any] | None]:
    """Every run configuration in a description (None for a step without one), depth first in key order:
    the order of ``Job.estimators``."""
    if isinstance(sent, dict):
        for key, value in sent.items():
            if key == "run_config":
                yield value
            else:
                yield from run_configurations(value)
    elif isinstance(sent, list):
        for value in sent:
            yield from run_configurations(value)


def to_json(value: Any) -> Any:
    """Plain JSON; SDK objects by what identifies them. An object with no known description keeps its
    type and ``str`` (never equal to a plain string, so an unconverted object shows as a difference)."""
    return json.loads(json.dumps(value, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, ComputeTarget):
        return {"<ComputeTarget>": value.name}
    if isinstance(value, PipelineData):
        return {"<PipelineData>": value.name, "datastore": getattr(value.datastore, "name", None),
                "output_mode": value._output_mode, "path_on_compute": value._output_path_on_compute}
    if isinstance(value, DataReference):
        return {"<reference>": value.data_reference_name, "config": to_json(_serialize_to_dict(value.to_config()))}
    if isinstance(value, AbstractDatastore):  # mounted at its root under its own name (SDK_FACTS.md section 13)
        reference = value._get_data_reference()
        return {"<reference>": reference.data_reference_name, "datastore": value.name,
                "config": to_json(_serialize_to_dict(reference.to_config()))}
    if hasattr(value, "_serialize_to_dict"):
        return value._serialize_to_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return {"<object>": type(value).__name__, "str": str(value)}


