"""Hand-written distributed jobs: MPI (Horovod), PyTorch DDP and TensorFlow parameter servers, with
environments built from CondaDependencies.create and a curated image."""
from azure.ai.ml import MLClient, MpiDistribution, PyTorchDistribution, TensorFlowDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient(DefaultAzureCredential(), "00000000-0000-0000-0000-000000000000", "rg-ml", "ml-research")

horovod_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8', {'pip': ['torch==1.13.1', 'horovod==0.26.1']}, 'openmpi'],
        'channels': ['anaconda', 'conda-forge'],
    },
)
horovod = command(code="training", command="python horovod_train.py", compute="gpu-cluster",
                  environment=horovod_env,
                  distribution=MpiDistribution(process_count_per_instance=4),
                  timeout=2592000,
                  shm_size='2g',
                  instance_count=2)

ddp_env = Environment(
    image="mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.6-cudnn8-ubuntu20.04",
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults', 'torch==1.13.1', 'torchvision==0.14.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
ddp = command(code="training", command="python ddp_train.py --epochs 20", compute="gpu-cluster", environment=ddp_env,
              distribution=PyTorchDistribution(process_count_per_instance=4),
              shm_size="16g",
              timeout=2592000,
              instance_count=2,
              environment_variables={"NCCL_DEBUG": "INFO"})

tf_env = Environment(
    image="mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.6-cudnn8-ubuntu20.04",
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['tensorflow==2.11.0', 'azureml-defaults']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
ps = command(code="training", command="python tf_ps_train.py", compute="gpu-cluster",
             environment=tf_env, timeout=7200,
             distribution=TensorFlowDistribution(worker_count=3, parameter_server_count=1),
             shm_size='2g',
             instance_count=3)

for job in (horovod, ddp, ps):
    ws.jobs.create_or_update(job, experiment_name="distributed")
