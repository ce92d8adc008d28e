"""Hand-written distributed jobs: MPI (Horovod), PyTorch DDP and TensorFlow parameter servers, with
environments built from CondaDependencies.create and a curated image."""
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.runconfig import (DEFAULT_GPU_IMAGE, DockerConfiguration, MpiConfiguration,
                                    PyTorchConfiguration, TensorflowConfiguration)

ws = Workspace(subscription_id="00000000-0000-0000-0000-000000000000", resource_group="rg-ml",
               workspace_name="ml-research")
experiment = Experiment(ws, "distributed")

horovod_env = Environment("horovod-env")
horovod_env.docker.base_image = DEFAULT_GPU_IMAGE
horovod_env.python.conda_dependencies = CondaDependencies.create(
    python_version="3.8", pip_packages=["torch==1.13.1", "horovod==0.26.1"], conda_packages=["openmpi"])
horovod = ScriptRunConfig(source_directory="training", script="horovod_train.py", compute_target="gpu-cluster",
                          environment=horovod_env,
                          distributed_job_config=MpiConfiguration(process_count_per_node=4, node_count=2))

ddp_env = Environment("ddp-env")
ddp_env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.6-cudnn8-ubuntu20.04"
ddp_env.python.conda_dependencies.add_pip_package("torch==1.13.1")
ddp_env.python.conda_dependencies.add_pip_package("torchvision==0.14.1")
ddp_env.environment_variables["NCCL_DEBUG"] = "INFO"
ddp = ScriptRunConfig(source_directory="training", script="ddp_train.py", arguments=["--epochs", 20],
                      compute_target="gpu-cluster", environment=ddp_env,
                      distributed_job_config=PyTorchConfiguration(process_count=8, node_count=2),
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size="16g"))

tf_env = Environment("tf-env")
tf_env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.6-cudnn8-ubuntu20.04"
tf_env.python.conda_dependencies.set_pip_requirements(["tensorflow==2.11.0", "azureml-defaults"])
ps = ScriptRunConfig(source_directory="training", script="tf_ps_train.py", compute_target="gpu-cluster",
                     environment=tf_env, max_run_duration_seconds=7200,
                     distributed_job_config=TensorflowConfiguration(worker_count=3, parameter_server_count=1))

for job in (horovod, ddp, ps):
    experiment.submit(job)
