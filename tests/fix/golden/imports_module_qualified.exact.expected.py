import azureml.core
from azureml.core import Environment, ScriptRunConfig
from azureml.core.runconfig import DockerConfiguration

ws = azureml.core.Workspace.from_config()
est_env = Environment('est-env')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "requests"])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
