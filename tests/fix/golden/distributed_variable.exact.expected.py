from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, PyTorchConfiguration

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
backend = PyTorchConfiguration(communication_backend='Nccl')
est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
est_env.python.conda_dependencies.set_python_version('3.6.2')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
est_env.spark.precache_packages = False
est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target=cluster, environment=est_env,
                      distributed_job_config=backend,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.node_count = 4
est_store = ws.datastores['workspaceblobstore']
est.run_config.source_directory_data_store = est_store.name
est.run_config.data_references[est_store.name] = est_store.as_mount().to_config()
