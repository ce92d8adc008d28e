"""Packages from files in the project folder, read when the job is built (12-TrainOnAmlCompute style)."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
import os
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
experiment = Experiment(ws, "files")
with open(os.path.join("training", "requirements.txt")) as requirements:
    lines = requirements.read().splitlines()
    est_env_requirements = CondaDependencies.merge_requirements(lines + [package for package in ["joblib", "pandas==1.1.5"] if package not in lines])
est_env = Environment('est-env')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', *est_env_requirements])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
with open(os.path.join("training", "requirements.txt")) as requirements:
    sk_env_requirements = CondaDependencies.merge_requirements(requirements.read().splitlines())
sk_env = Environment('sk-env')
sk_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
sk_env.python.conda_dependencies.set_python_version('3.6.2')
sk_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', *sk_env_requirements])
sk_env_overrides = {CondaDependencies._get_package_name(package) for package in sk_env_requirements}
for package in ['azureml-defaults', 'scikit-learn==0.20.3', 'scipy==1.2.1', 'joblib==0.13.2']:  # the framework's packages, merged as the estimator merged them
    if package == 'azureml-defaults' or CondaDependencies._get_package_name(package) not in sk_env_overrides:
        sk_env.python.conda_dependencies.add_pip_package(package)
sk_env.spark.precache_packages = False
sk = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                     environment=sk_env,
                     docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                     max_run_duration_seconds=None)
with open(os.path.join("training", "requirements-pinned.txt")) as requirements:
    pinned_env_requirements = CondaDependencies.merge_requirements(requirements.read().splitlines())
pinned_env = Environment('pinned-env')
pinned_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
pinned_env.python.conda_dependencies.set_python_version('3.6.2')
pinned_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', *pinned_env_requirements])
pinned_env_overrides = {CondaDependencies._get_package_name(package) for package in pinned_env_requirements}
for package in ['azureml-defaults', 'scikit-learn==0.20.3', 'scipy==1.2.1', 'joblib==0.13.2']:  # the framework's packages, merged as the estimator merged them
    if package == 'azureml-defaults' or CondaDependencies._get_package_name(package) not in pinned_env_overrides:
        pinned_env.python.conda_dependencies.add_pip_package(package)
pinned_env.spark.precache_packages = False
pinned = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                         environment=pinned_env,
                         docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                         max_run_duration_seconds=None)
torch_env = Environment('torch-env')
torch_env.docker.base_image = 'mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
torch_env.python.conda_dependencies.set_python_version('3.6.2')
torch_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "pandas", 'torch==1.4.0', 'torchvision==0.5.0', 'tensorboard==1.14.0', 'future==0.17.1'])
torch_env.python.conda_dependencies.add_conda_package("horovod")
torch_env.spark.precache_packages = False
torch_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
torch = ScriptRunConfig(source_directory="training", script="train.py", compute_target="gpu-cluster", environment=torch_env,
                        docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                        max_run_duration_seconds=None)
conda_env = Environment('conda-env')
conda_env.python.conda_dependencies = CondaDependencies(os.path.join("training", "environment.yml"))
conda_env.spark.precache_packages = False
conda = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                        environment=conda_env,
                        docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                        max_run_duration_seconds=None)
for job in (est, sk, pinned, torch, conda):
    experiment.submit(job)
