"""A multi-node job whose node count comes from the caller, with data: Estimator.submit mounted the
workspace blob store as the source directory's data store once the job had more than one node."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, MpiConfiguration


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


def _register_estimator_inputs(inputs, run_config):
    """Register an azureml estimator's inputs in run_config as the estimator did: DataReferences and
    Datastores in data_references, datasets in data. (Added by aml-migrate.)"""
    from azureml.data.azure_storage_datastore import AbstractAzureStorageDatastore
    from azureml.data.data_reference import DataReference
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig

    for item in inputs or []:
        if isinstance(item, AbstractAzureStorageDatastore):
            item = item._get_data_reference()
        if isinstance(item, DataReference):
            run_config.data_references[item.data_reference_name] = item.to_config()
        elif isinstance(item, DatasetConsumptionConfig):
            run_config.data[item.name] = item
        else:
            raise TypeError("Type {0} is not supported for inputs.".format(type(item)))


def horovod_job(ws, compute, nodes, data):
    src_env = Environment('src-env')
    src_env.spark.precache_packages = False
    src = ScriptRunConfig(source_directory="training", compute_target=compute, script="train.py",
                           environment=src_env,
                           distributed_job_config=MpiConfiguration(process_count_per_node=2),
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
    src.run_config.node_count = nodes
    _register_estimator_inputs([data], src.run_config)
    src.arguments = _estimator_arguments({"--data": data, "--epochs": 4}, src.run_config)
    if src.run_config.node_count > 1:
        src_store = ws.datastores['workspaceblobstore']
        src.run_config.source_directory_data_store = src_store.name
        src.run_config.data_references[src_store.name] = src_store.as_mount().to_config()
    return src


ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
images = ws.get_default_datastore().path("images").as_mount()
experiment = Experiment(ws, "horovod")
experiment.submit(horovod_job(ws, cluster, 3, images))
single = horovod_job(ws, cluster, 1, images)
experiment.submit(single)
