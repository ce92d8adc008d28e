from azure.ai.ml import MLClient, TensorFlowDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200704.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['pandas', 'azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==2.0.0', 'horovod==0.18.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py", compute='gpu-cluster', environment=est_env,
              distribution=TensorFlowDistribution(worker_count=2, parameter_server_count=1),
              shm_size='2g',
              instance_count=2)
