"""What the service receives when a job is submitted, as JSON, computed by the SDK's own submit code
stopped just before the service call."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

from azureml.core import ScriptRunConfig, Workspace
from azureml.core._serialization_utils import _serialize_to_dict
from azureml.core.compute import ComputeTarget
from azureml.core.script_run_config import _update_args_and_io, get_run_config_from_script_run
from azureml.data.abstract_datastore import AbstractDatastore
from azureml.data.data_reference import DataReference
from azureml.pipeline.core import PipelineData
from azureml.pipeline.core.builder import PipelineStep
from azureml.train import _estimator_helper
from azureml.train.estimator import MMLBaseEstimator  # noqa: AML102 - the original side is what we describe
from azureml.train.hyperdrive import HyperDriveConfig
from azureml.train.hyperdrive import _search as hyperdrive_search

from .service import OfflinePipeline, OfflineRun, session


@dataclass
class Job:
    """One thing a program sends: what is sent (JSON), the object it came from, for each run
    configuration in ``sent`` (in :func:`run_configurations` order) the estimator that built it, if any,
    and the experiment it was submitted to (None: not submitted)."""

    sent: dict[str, Any]
    source: Any
    estimators: list[Any]
    experiment: str | None = None


def is_job(value: Any) -> bool:
    return isinstance(value, (MMLBaseEstimator, ScriptRunConfig, HyperDriveConfig, PipelineStep,
                              OfflinePipeline))


def job(config: Any, workspace: Workspace, tags: Any = None, overrides: dict[str, Any] | None = None,
        experiment: str | None = None) -> Job:
    sent = describe(config, workspace, overrides or {})
    if tags:
        sent["tags"] = to_json(tags)
    return Job(sent, config, _estimators(config), experiment)


def _estimators(config: Any) -> list[Any]:
    built_by = {id(e.run_config): e for e in session().estimators}
    if isinstance(config, HyperDriveConfig):
        return [config.estimator]
    if isinstance(config, OfflinePipeline):
        return [built_by.get(id(getattr(step, "_runconfig", None))) for step in config.steps]
    if isinstance(config, MMLBaseEstimator):
        return [config]
    return [built_by.get(id(getattr(config, "_runconfig", None)))]  # a step holds its estimator's


def describe(config: Any, workspace: Workspace, overrides: dict[str, Any]) -> dict[str, Any]:
    """What submitting ``config`` sends: a ScriptRunConfig or estimator (``source_directory`` and
    ``run_config``), a HyperDriveConfig (its payload; the trials' ``run_config``), a pipeline step or a
    Pipeline (its steps). Raises for anything else, as the service would not take it."""
    if isinstance(config, MMLBaseEstimator):
        return _estimator_submission(config, workspace, overrides)
    if overrides:
        raise TypeError(f"{type(config).__name__} takes no submit overrides: {sorted(overrides)}")
    if isinstance(config, ScriptRunConfig):
        return {"source_directory": config.source_directory,
                "run_config": _run_configuration(config, workspace)}
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

    # the concrete class's: LightGBM overrides _fit (it copies its own script into the working directory)
    with mock.patch.object(type(estimator), "_fit", fit):
        _estimator_helper._estimator_submit_method(estimator, workspace, "offline", **overrides)
    return described[0]


def _run_configuration(config: ScriptRunConfig, workspace: Workspace) -> dict[str, Any]:
    """``script_run_config.submit`` up to the service call: the RunConfiguration with the script and
    arguments copied in, datasets in the arguments registered as inputs (``_update_args_and_io``)."""
    run_config = get_run_config_from_script_run(config)
    _update_args_and_io(workspace, run_config)
    return to_json(_serialize_to_dict(run_config))


def _hyperdrive(config: HyperDriveConfig, workspace: Workspace) -> dict[str, Any]:
    """``_create_experiment_dto``: the HyperDrive payload, the trials' run configuration included."""
    config = copy.copy(config)
    config._platform_config = None  # the SDK caches it on the object
    payload = to_json(hyperdrive_search._create_experiment_dto(config, workspace, "offline").serialize())
    definition = payload["platform_config"]["Definition"]
    return {"hyperdrive": payload, "source_directory": definition.pop("SnapshotId", None),
            "run_config": definition.pop("Overrides")}


_STEP_FIELDS = ("name", "_script_name", "_source_directory", "_arguments", "_compute_target",
                "_allow_reuse", "_version", "_inputs", "_outputs", "_params", "_runconfig_pipeline_params",
                "_amlcompute_params")


def _step(step: PipelineStep) -> dict[str, Any]:
    """A step's own parameters and the run configuration it serialises into its node."""
    fields = {name.lstrip("_"): to_json(getattr(step, name, None)) for name in _STEP_FIELDS}
    runconfig = getattr(step, "_runconfig", None)
    fields["run_config"] = None if runconfig is None else to_json(_serialize_to_dict(runconfig))
    return fields


def run_configurations(sent: Any) -> Iterator[dict[str, Any] | None]:
    """Every run configuration in a description (None for a step without one), depth first in key
    order: the order of ``Job.estimators``."""
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
    type and ``str``: never equal to a plain string, so an unconverted object shows as a difference."""
    return json.loads(json.dumps(value, default=_json_default))


def reference_json(reference: DataReference) -> dict[str, Any]:
    return to_json(_serialize_to_dict(reference.to_config()))


def _json_default(value: Any) -> Any:
    if isinstance(value, ComputeTarget):
        return {"<ComputeTarget>": value.name}
    if isinstance(value, PipelineData):
        return {"<PipelineData>": value.name, "datastore": getattr(value.datastore, "name", None),
                "output_mode": value._output_mode, "path_on_compute": value._output_path_on_compute}
    if isinstance(value, DataReference):
        return {"<reference>": value.data_reference_name, "config": reference_json(value)}
    if isinstance(value, AbstractDatastore):  # a mount of its root, named after it (SDK_FACTS.md section 13)
        reference = value._get_data_reference()
        return {"<reference>": reference.data_reference_name, "datastore": value.name,
                "config": reference_json(reference)}
    if hasattr(type(value), "_field_to_info_dict"):  # the SDK's run configuration elements
        return _serialize_to_dict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return {"<object>": type(value).__name__, "str": str(value)}
