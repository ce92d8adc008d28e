"""Distributed only when there is more than one node: the configuration is chosen by a conditional."""
import argparse

from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, MpiConfiguration

parser = argparse.ArgumentParser()
parser.add_argument("--nodes", type=int, default=2)
args, _ = parser.parse_known_args()

ws = Workspace.from_config()
experiment = Experiment(ws, "conditional-distributed")
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")

# Horovod over MPI, but only on a multi-node cluster
tf_est_env = Environment('tf-est-env')
tf_est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1'
tf_est_env.python.conda_dependencies.set_python_version('3.6.2')
tf_est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'tensorflow-gpu==2.1.0', 'horovod==0.19.1'])
tf_est_env.spark.precache_packages = False
tf_est = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster,
                         environment=tf_est_env,
                         distributed_job_config=MpiConfiguration() if args.nodes > 1 else None,
                         docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                         max_run_duration_seconds=None)
tf_est.run_config.node_count = args.nodes
if tf_est.run_config.node_count > 1:
    tf_est_store = ws.datastores['workspaceblobstore']
    tf_est.run_config.source_directory_data_store = tf_est_store.name
    tf_est.run_config.data_references[tf_est_store.name] = tf_est_store.as_mount().to_config()

use_horovod = False  # one node: the estimator raised for more without a distributed configuration
tf_plain_env = Environment('tf-plain-env')
tf_plain_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1'
tf_plain_env.python.conda_dependencies.set_python_version('3.6.2')
tf_plain_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'tensorflow-gpu==2.1.0', 'horovod==0.19.1'])
tf_plain_env.spark.precache_packages = False
tf_plain = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster,
                           environment=tf_plain_env,
                           distributed_job_config=MpiConfiguration() if use_horovod else None,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)

pt_est_env = Environment('pt-est-env')
pt_est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
pt_est_env.python.conda_dependencies.set_python_version('3.6.2')
pt_est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
pt_est_env.spark.precache_packages = False
pt_est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
pt_est = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster,
                         environment=pt_est_env,
                         distributed_job_config=None if args.nodes < 2 else MpiConfiguration(process_count_per_node=2, node_count=args.nodes),
                         docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                         max_run_duration_seconds=None)
if pt_est.run_config.node_count > 1:
    pt_est_store = ws.datastores['workspaceblobstore']
    pt_est.run_config.source_directory_data_store = pt_est_store.name
    pt_est.run_config.data_references[pt_est_store.name] = pt_est_store.as_mount().to_config()

layout = MpiConfiguration(process_count_per_node=2) if args.nodes > 1 else None
pt_named_env = Environment('pt-named-env')
pt_named_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
pt_named_env.python.conda_dependencies.set_python_version('3.6.2')
pt_named_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
pt_named_env.spark.precache_packages = False
pt_named_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
pt_named = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster,
                           environment=pt_named_env,
                           distributed_job_config=layout,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
pt_named.run_config.node_count = args.nodes
if pt_named.run_config.node_count > 1:
    pt_named_store = ws.datastores['workspaceblobstore']
    pt_named.run_config.source_directory_data_store = pt_named_store.name
    pt_named.run_config.data_references[pt_named_store.name] = pt_named_store.as_mount().to_config()

runs = [experiment.submit(job) for job in (tf_est, tf_plain, pt_est, pt_named)]
