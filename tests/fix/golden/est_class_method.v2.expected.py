"""A trainer class, as MLOps repositories wrapped the estimator (values from self. attributes)."""
import logging

from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration


def _estimator_arguments(script_params, run_config):
    """The arguments an azureml estimator made of script_params: keys and values in order, lists
    flattened, None and '' dropped; DataReferences, Datastores and datasets become their placeholders
    and are registered in run_config as the estimator registered them. (Added by aml-migrate.)"""
    from collections.abc import Iterable

    from azureml.data.azure_storage_datastore import AbstractAzureStorageDatastore
    from azureml.data.data_reference import DataReference
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
    from azureml.data.output_dataset_config import OutputDatasetConfig

    def processed(item):
        if isinstance(item, AbstractAzureStorageDatastore):
            item = item._get_data_reference()
        if isinstance(item, DataReference):
            run_config.data_references[item.data_reference_name] = item.to_config()
            return str(item)
        if isinstance(item, DatasetConsumptionConfig):
            run_config.data[item.name] = item
            if item.mode.lower() in ("mount", "download"):
                return "DatasetConsumptionConfig:" + item.name
        if isinstance(item, OutputDatasetConfig):
            run_config.output_data[item.name] = item._to_output_data()
            return "DatasetOutputConfig:" + item.name
        return item

    pairs = {}
    for key, value in (script_params or {}).items():
        key = processed(key)
        pairs[key] = processed(value)
    arguments = []
    for key, value in pairs.items():
        arguments.append(key)
        if isinstance(value, Iterable) and not isinstance(value, str):
            arguments.extend(str(item) if isinstance(item, Iterable) else item for item in value)
        else:
            arguments.append(value)
    return [item for item in arguments if item is not None and item != ""]


log = logging.getLogger(__name__)


class Trainer:
    def __init__(self, workspace, compute_name, experiment_name, script_params=None, gpu=True):
        self.workspace = workspace
        self.compute = ComputeTarget(workspace=workspace, name=compute_name)
        self.experiment = Experiment(workspace, experiment_name)
        self.script_params = dict(script_params or {})
        self.gpu = gpu
        self.estimator = None

    def build_estimator(self):
        estimator_env = Environment('estimator-env')
        estimator_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04' if self.gpu else 'mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04'
        estimator_env.python.conda_dependencies.set_python_version('3.6.2')
        estimator_env.python.conda_dependencies.set_pip_requirements(["pytorch-lightning==0.8.5", 'azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
        estimator_env.spark.precache_packages = False
        estimator_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
        self.estimator = ScriptRunConfig(
            source_directory="training",
            script="train.py",
            compute_target=self.compute,
            environment=estimator_env,
            docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
            max_run_duration_seconds=None,
        )
        self.estimator.arguments = _estimator_arguments(self.script_params, self.estimator.run_config)
        return self.estimator

    def submit(self):
        if self.estimator is None:
            self.build_estimator()
        self.estimator.run_config.environment.python.conda_dependencies.add_pip_package("azureml-mlflow")
        run = self.experiment.submit(self.estimator)
        log.info("submitted %s", run.id)
        return run


ws = Workspace.from_config()
trainer = Trainer(ws, "gpu-cluster", "lightning", {"--epochs": 5, "--lr": 0.01})
run = trainer.submit()
