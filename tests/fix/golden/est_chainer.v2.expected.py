from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/base-gpu:intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'chainer==7.0.0', 'mpi4py==3.0.0', 'cupy-cuda90==7.0.0']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py --epochs 3", compute="gpu-cluster",
              environment=est_env,
              shm_size='2g')
