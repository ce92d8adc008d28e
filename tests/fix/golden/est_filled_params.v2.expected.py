"""script_params completed after its literal (conditionally too), and use_gpu known only at run time."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DEFAULT_GPU_IMAGE, DockerConfiguration


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


ws = Workspace.from_config()
datastore = ws.get_default_datastore()
train = datastore.path("train").as_mount()
on_gpu = True

params = {"--alpha": 0.5, "--layers": [64, 32], "--choices": {"a": 1}}
params["--data"] = train
if on_gpu:
    params["--device"] = "cuda"
    params["--fp16"] = ""
params["--seed"] = None

est_env = Environment('est-env')
est_env.docker.base_image = DEFAULT_GPU_IMAGE
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.data_references = {train.data_reference_name: train.to_config()}
est.arguments = _estimator_arguments(params, est.run_config)
