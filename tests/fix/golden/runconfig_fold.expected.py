from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
env = Environment("train-env")

# one place for the job settings
src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env, docker_runtime_config=DockerConfiguration(use_docker=True), max_run_duration_seconds=None)
