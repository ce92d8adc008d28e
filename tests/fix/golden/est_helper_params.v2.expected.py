"""A helper that builds the estimator from a params dict it is given (ml_service/util style)."""
import os

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


def get_estimator(ws, compute, params, entry_script="train.py"):
    datastore = ws.get_default_datastore()
    params = dict(params)
    params["--data-folder"] = datastore.path("diabetes").as_mount()
    src_env = Environment('src-env')
    src_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "azureml-dataprep[pandas,fuse]"])
    src_env.python.conda_dependencies.add_conda_package("scikit-learn")
    src_env.spark.precache_packages = False
    src = ScriptRunConfig(source_directory="training",
                           script=entry_script,
                           compute_target=compute,
                           environment=src_env,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
    src.arguments = _estimator_arguments(params, src.run_config)
    return src


ws = Workspace.from_config()
compute = ws.compute_targets[os.environ.get("AML_COMPUTE", "cpu-cluster")]
estimator = get_estimator(ws, compute, {"--alpha": 0.5, "--fast": ""})
run = Experiment(ws, "diabetes").submit(estimator)
