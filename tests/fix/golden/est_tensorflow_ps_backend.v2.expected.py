from azure.ai.ml import MLClient, TensorFlowDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow==1.13.1', 'horovod==0.16.1']}, 'cmake'],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py", compute='gpu-cluster', environment=est_env,
              distribution=TensorFlowDistribution(worker_count=3, parameter_server_count=1),
              shm_size='2g',
              instance_count=2)
