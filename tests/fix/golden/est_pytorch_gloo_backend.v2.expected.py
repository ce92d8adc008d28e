from azure.ai.ml import MLClient, PyTorchDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/base:openmpi3.1.2-ubuntu16.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'torch==1.5.0', 'torchvision==0.5.0', 'horovod==0.19.1', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py", compute='cpu-cluster', environment=est_env,
              distribution=PyTorchDistribution(process_count_per_instance=1),
              shm_size='2g',
              instance_count=3,
              environment_variables={'NCCL_TREE_THRESHOLD': '0'})
