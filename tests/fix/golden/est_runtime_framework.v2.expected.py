"""framework_version and use_gpu from the command line, as argparse submit scripts had them."""
import argparse

from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

parser = argparse.ArgumentParser()
parser.add_argument("--framework-version", default="1.5")
parser.add_argument("--gpu", action="store_true")
args = parser.parse_args([])

ws = MLClient.from_config(DefaultAzureCredential())
est_env_framework = {
    ('1.0', False): ('mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.0', 'horovod==0.18.1']),
    ('1.0', True): ('mcr.microsoft.com/azureml/base-gpu:openmpi3.1.2-cuda10.0-cudnn7-ubuntu16.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.0', 'horovod==0.18.1']),
    ('1.1', False): ('mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.1', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.1', True): ('mcr.microsoft.com/azureml/base-gpu:openmpi3.1.2-cuda10.0-cudnn7-ubuntu16.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.1', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.2', False): ('mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.2', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.2', True): ('mcr.microsoft.com/azureml/base-gpu:openmpi3.1.2-cuda10.0-cudnn7-ubuntu16.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.2', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.3', False): ('mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.3.1', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.3', True): ('mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.3.1', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.4', False): ('mcr.microsoft.com/azureml/base:openmpi3.1.2-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.4.0', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.4', True): ('mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.4.0', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.5', False): ('mcr.microsoft.com/azureml/base:openmpi3.1.2-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.5.0', 'horovod==0.19.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.5', True): ('mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.5.0', 'horovod==0.19.1', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.6', False): ('mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04',
                     ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.6.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1']),
    ('1.6', True): ('mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
                    ["Pillow", "torchvision==0.6.0", 'azureml-defaults', 'torch==1.6.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1']),
}[(args.framework_version if args.framework_version is not None else '1.4', bool(args.gpu))]
est_env = Environment(
    image=est_env_framework[0],
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': [*est_env_framework[1]]}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="training", command="python train.py", compute="gpu-cluster",
              environment=est_env,
              shm_size='2g',
              environment_variables={'NCCL_TREE_THRESHOLD': '0'})
cpu_or_gpu_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04' if args.gpu else 'mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
cpu_or_gpu = command(code="training", command="python train.py", compute="gpu-cluster",
                     environment=cpu_or_gpu_env,
                     shm_size='2g',
                     environment_variables={'NCCL_TREE_THRESHOLD': '0'})
run = ws.jobs.create_or_update(est, experiment_name="runtime")
