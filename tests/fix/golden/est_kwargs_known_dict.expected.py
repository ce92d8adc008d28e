"""Keyword arguments gathered in a dict first, as wrappers of the 2020 samples did."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment('est-env')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "pandas"])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=est_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)

tf_est_env = Environment.get(ws, 'AzureML-TensorFlow-2.0-GPU')
tf_est = ScriptRunConfig("tf-src", script="mnist.py", arguments=["--epochs", 3], compute_target="gpu-cluster", environment=tf_est_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)
