from azureml.core import Environment, ScriptRunConfig
from azureml.core.runconfig import DockerConfiguration
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment('est-env')
est_env.docker.base_image = 'pytorch:1.4-gpu'
est_env.docker.base_image_registry.address = 'viennaprivate.azurecr.io'
est_env.python.user_managed_dependencies = True
est_env.spark.precache_packages = False
est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target='amlcompute',
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.amlcompute._cluster_max_node_count = 1
est.run_config.amlcompute.vm_size = "STANDARD_NC6"
