from azure.ai.ml import MLClient, MpiDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())

estimator_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['pillow==8.0.0', 'torchvision==0.7.0', 'azureml-defaults', 'torch==1.6.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
estimator = command(code="src",
                    command="python train.py --lr 0.01 --batch-size 64",
                    compute='gpu-cluster',
                    environment=estimator_env,
                    distribution=MpiDistribution(process_count_per_instance=4),
                    shm_size='2g',
                    instance_count=2,
                    environment_variables={'NCCL_TREE_THRESHOLD': '0'})
