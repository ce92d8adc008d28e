"""A helper builds the estimator; the module calls it."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration


def make_estimator(ws, lr):
    src_env = Environment('src-env')
    src_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
    src_env.python.conda_dependencies.set_python_version('3.6.2')
    src_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
    src_env.spark.precache_packages = False
    src_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
    src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                           arguments=["--lr", lr], environment=src_env,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
    src.run_config.environment_variables = {"SEED": "1"}
    return src


ws = Workspace.from_config()
est = make_estimator(ws, 0.01)
