from azureml.core import Environment, ScriptRunConfig
from azureml.core.runconfig import DockerConfiguration
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1'
est_env.python.conda_dependencies.set_python_version('3.6.2')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'tensorflow-gpu==2.2.0', 'horovod==0.19.5'])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      resume_from=None, environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.amlcompute.vm_size = "STANDARD_NC6"
est.run_config.amlcompute.vm_priority = "dedicated"
