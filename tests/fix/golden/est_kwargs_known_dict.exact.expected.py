"""Keyword arguments gathered in a dict first, as wrappers of the 2020 samples did."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment('est-env')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "pandas"])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=est_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)

tf_est_env = Environment('tf-est-env')
tf_est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200704.v1'
tf_est_env.python.conda_dependencies.set_python_version('3.6.2')
tf_est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==2.0.0', 'horovod==0.18.1'])
tf_est_env.spark.precache_packages = False
tf_est = ScriptRunConfig("tf-src", script="mnist.py", arguments=["--epochs", 3], compute_target="gpu-cluster", environment=tf_est_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)
