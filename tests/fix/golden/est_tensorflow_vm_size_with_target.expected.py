from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment.get(ws, 'AzureML-TensorFlow-2.2-GPU')
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      resume_from=None, environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.amlcompute.vm_size = "STANDARD_NC6"
est.run_config.amlcompute.vm_priority = "dedicated"
