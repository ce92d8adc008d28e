"""Keyword arguments gathered in a dict first, as wrappers of the 2020 samples did."""
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults', 'pandas']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py", compute="cpu-cluster", environment=est_env, shm_size='2g')

tf_est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200704.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==2.0.0', 'horovod==0.18.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
tf_est = command(code="tf-src", command="python mnist.py --epochs 3", compute="gpu-cluster", environment=tf_est_env, shm_size='2g')
