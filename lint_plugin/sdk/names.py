"""Qualified names of the Azure ML SDK v1 classes the analysis recognises.

Plain data: every import path users write (public, private and re-export paths, read from the
SDK's source) mapped to one canonical :class:`SdkClass`. The estimator classes come from
``estimators.py``, which is checked against the SDK's own class tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .estimators import ESTIMATOR_CLASSES


class Kind(str, Enum):
    ESTIMATOR = "estimator"
    DISTRIBUTED_BACKEND = "distributed-backend"
    ESTIMATOR_STEP = "estimator-step"
    HYPERDRIVE_CONFIG = "hyperdrive-config"
    RUN_CONFIGURATION = "run-configuration"
    SCRIPT_RUN_CONFIG = "script-run-config"
    DATA_REFERENCE = "data-reference"
    DATASTORE = "datastore"
    WORKSPACE = "workspace"
    ENVIRONMENT = "environment"
    EXPERIMENT = "experiment"
    DATASET = "dataset"
    DATASET_INPUT = "dataset-input"  # a DatasetConsumptionConfig: ``dataset.as_named_input('x')``, ``.as_mount()``
    PIPELINE_STEP = "pipeline-step"
    DISTRIBUTED_CONFIG = "distributed-config"
    RUN = "run"


@dataclass(frozen=True)
class SdkClass:
    name: str
    kind: Kind
    paths: tuple[str, ...]
    deprecated: bool = False

    @property
    def qualified_name(self) -> str:
        return self.paths[0]


def _cls(name: str, kind: Kind, *paths: str, deprecated: bool = False) -> SdkClass:
    return SdkClass(name, kind, paths, deprecated)


CLASSES: tuple[SdkClass, ...] = (
    *(_cls(estimator.name, Kind.ESTIMATOR, *estimator.paths, deprecated=True) for estimator in ESTIMATOR_CLASSES),
    *(
        _cls(name, Kind.DISTRIBUTED_BACKEND, f"azureml.train.dnn.{name}", f"azureml.train.estimator.{name}",
             f"azureml.train._distributed_training.{name}", deprecated=True)
        for name in ("Mpi", "Gloo", "Nccl", "ParameterServer")
    ),
    _cls("EstimatorStep", Kind.ESTIMATOR_STEP, "azureml.pipeline.steps.EstimatorStep",
         "azureml.pipeline.steps.estimator_step.EstimatorStep", deprecated=True),
    _cls("HyperDriveConfig", Kind.HYPERDRIVE_CONFIG, "azureml.train.hyperdrive.HyperDriveConfig",
         "azureml.train.hyperdrive.runconfig.HyperDriveConfig"),
    _cls("HyperDriveRunConfig", Kind.HYPERDRIVE_CONFIG, "azureml.train.hyperdrive.HyperDriveRunConfig",
         "azureml.train.hyperdrive.runconfig.HyperDriveRunConfig", deprecated=True),
    _cls("RunConfiguration", Kind.RUN_CONFIGURATION, "azureml.core.runconfig.RunConfiguration",
         "azureml.core.RunConfiguration"),
    _cls("ScriptRunConfig", Kind.SCRIPT_RUN_CONFIG, "azureml.core.ScriptRunConfig",
         "azureml.core.script_run_config.ScriptRunConfig"),
    _cls("DataReference", Kind.DATA_REFERENCE, "azureml.data.data_reference.DataReference"),
    _cls("Datastore", Kind.DATASTORE, "azureml.core.Datastore", "azureml.core.datastore.Datastore"),
    _cls("Workspace", Kind.WORKSPACE, "azureml.core.Workspace", "azureml.core.workspace.Workspace"),
    _cls("Environment", Kind.ENVIRONMENT, "azureml.core.Environment", "azureml.core.environment.Environment"),
    _cls("Experiment", Kind.EXPERIMENT, "azureml.core.Experiment", "azureml.core.experiment.Experiment"),
    _cls("Run", Kind.RUN, "azureml.core.Run", "azureml.core.run.Run"),
    _cls("Dataset", Kind.DATASET, "azureml.core.Dataset", "azureml.core.dataset.Dataset"),
    *(
        _cls(name, Kind.DISTRIBUTED_CONFIG, f"azureml.core.runconfig.{name}")
        for name in ("MpiConfiguration", "PyTorchConfiguration", "TensorflowConfiguration")
    ),
    *(
        _cls(name, Kind.PIPELINE_STEP, f"azureml.pipeline.steps.{name}")
        for name in ("PythonScriptStep", "CommandStep", "ParallelRunStep", "DatabricksStep",
                     "AdlaStep", "HyperDriveStep", "MpiStep", "DataTransferStep", "AutoMLStep",
                     "SynapseSparkStep", "KustoStep", "RScriptStep", "ModuleStep")
    ),
    _cls("ParallelRunConfig", Kind.PIPELINE_STEP, "azureml.pipeline.steps.ParallelRunConfig"),
)

BY_PATH: dict[str, SdkClass] = {path: cls for cls in CLASSES for path in cls.paths}

# Modules whose import is itself deprecated (AML102), with the replacement to name in the message.
DEPRECATED_MODULES: dict[str, str] = {
    "azureml.train.estimator": "use ScriptRunConfig and Environment from azureml.core",
    "azureml.train.dnn": "use ScriptRunConfig from azureml.core and the distributed configurations "
                         "from azureml.core.runconfig",
    "azureml.train.sklearn": "use ScriptRunConfig and Environment from azureml.core",
    "azureml.contrib.train.rl": "the reinforcement learning service is decommissioned; no replacement",
    "azureml.contrib.gbdt": "use ScriptRunConfig and Environment from azureml.core",
    "azureml.train._distributed_training": "use the distributed configurations from azureml.core.runconfig",
    "azureml.pipeline.steps.estimator_step": "use CommandStep or PythonScriptStep from azureml.pipeline.steps",
}

# What `from MODULE import *` binds, for the modules the analysis cares about.
STAR_EXPORTS: dict[str, tuple[str, ...]] = {}
for _cls_entry in CLASSES:
    for _path in _cls_entry.paths:
        _module, _, _name = _path.rpartition(".")
        STAR_EXPORTS.setdefault(_module, ())
        if _name not in STAR_EXPORTS[_module]:
            STAR_EXPORTS[_module] += (_name,)

# The parameters HyperDrive's classes take by position, in order (SDK_FACTS.md sections 1 and 13):
# the deprecated HyperDriveRunConfig takes the estimator first and has no run_config.
HYPERDRIVE_POSITIONAL: dict[str, tuple[str, ...]] = {
    "HyperDriveConfig": ("hyperparameter_sampling", "primary_metric_name", "primary_metric_goal", "max_total_runs",
                         "max_concurrent_runs", "max_duration_minutes", "policy", "estimator", "run_config",
                         "resume_from", "resume_child_runs", "pipeline", "debug_flag", "custom_run_id"),
    "HyperDriveRunConfig": ("estimator", "hyperparameter_sampling", "primary_metric_name", "primary_metric_goal",
                            "max_total_runs", "max_concurrent_runs", "max_duration_minutes", "policy"),
}

# Canonical replacement of each distributed-training object (AML103).
DISTRIBUTED_REPLACEMENTS: dict[str, str] = {
    "Mpi": "MpiConfiguration",
    "Gloo": "PyTorchConfiguration(communication_backend='Gloo')",
    "Nccl": "PyTorchConfiguration(communication_backend='Nccl')",
    "ParameterServer": "TensorflowConfiguration",
}
BACKEND_STRING_REPLACEMENTS: dict[str, str] = {
    "mpi": "MpiConfiguration",
    "gloo": "PyTorchConfiguration(communication_backend='Gloo')",
    "nccl": "PyTorchConfiguration(communication_backend='Nccl')",
    "ps": "TensorflowConfiguration",
}


def module_is_deprecated(module: str) -> str | None:
    """The deprecated module ``module`` is or lies under, if any."""
    for deprecated in DEPRECATED_MODULES:
        if module == deprecated or module.startswith(deprecated + "."):
            return deprecated
    return None


def lookup(qualified_name: str | None) -> SdkClass | None:
    return BY_PATH.get(qualified_name) if qualified_name else None
