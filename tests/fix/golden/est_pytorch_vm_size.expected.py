from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment.get(ws, 'AzureML-PyTorch-1.4-GPU').clone('est-env')
est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target='amlcompute',
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.amlcompute._cluster_max_node_count = 1
est.run_config.amlcompute.vm_size = "STANDARD_NC6"
