"""A helper builds the estimator; the module calls it."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration


def make_estimator(ws, lr):
    src_env = Environment.get(ws, 'AzureML-PyTorch-1.6-GPU')
    src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                           arguments=["--lr", lr], environment=src_env,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
    src.run_config.environment_variables = {"SEED": "1"}
    return src


ws = Workspace.from_config()
est = make_estimator(ws, 0.01)
