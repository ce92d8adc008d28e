from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/base-gpu:intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04'
est_env.python.conda_dependencies.set_python_version('3.6.2')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'chainer==7.0.0', 'mpi4py==3.0.0', 'cupy-cuda90==7.0.0'])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      arguments=["--epochs", 3],
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
