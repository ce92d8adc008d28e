"""A helper builds the estimator; the module calls it."""
from azureml.core import Environment, ScriptRunConfig, Workspace
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


def make_estimator(ws, lr):
    src_env = Environment('src-env')
    src_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
    src_env.python.conda_dependencies.set_python_version('3.6.2')
    src_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
    src_env.spark.precache_packages = False
    src_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
    src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                           environment=src_env,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
    src.run_config.environment_variables = {"SEED": "1"}
    src.arguments = _estimator_arguments({"--lr": lr}, src.run_config)
    return src


ws = Workspace.from_config()
est = make_estimator(ws, 0.01)
