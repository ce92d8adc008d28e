"""A factory builds the estimator; its callers configure what they get before submitting it."""
import logging

from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
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


log = logging.getLogger("submit")


def make_estimator(learning_rate):
    estimator_env = Environment('estimator-env')
    estimator_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "pandas"])
    estimator_env.spark.precache_packages = False
    estimator = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                                environment=estimator_env,
                                docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                                max_run_duration_seconds=None)
    estimator.arguments = _estimator_arguments({"--lr": learning_rate, "--epochs": 5}, estimator.run_config)
    return estimator


def tf_job():
    src_env = Environment('src-env')
    src_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1'
    src_env.python.conda_dependencies.set_python_version('3.6.2')
    src_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'tensorflow-gpu==2.2.0', 'horovod==0.19.5'])
    src_env.spark.precache_packages = False
    return ScriptRunConfig(source_directory="training", script="tf_train.py", compute_target="gpu-cluster",
                           environment=src_env,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)


ws = Workspace.from_config()
experiment = Experiment(ws, "factories")
est = make_estimator(0.01)
est.run_config.environment.python.conda_dependencies.add_pip_package("scipy")
log.info("arguments: %s", est.arguments)
experiment.submit(est)
job = tf_job()
job.run_config.environment.python.interpreter_path = "/usr/bin/python3"
experiment.submit(job)
