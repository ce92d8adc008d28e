from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration, RunConfiguration

ws = Workspace.from_config()
env = Environment("train-env")

# one place for the job settings
rc = RunConfiguration()
rc.target = "cpu-cluster"
rc.environment = env
rc.docker = DockerConfiguration(use_docker=True)
src = ScriptRunConfig(source_directory="src", script="train.py", run_config=rc)
