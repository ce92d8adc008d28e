"""One MPI layout shared by a PyTorch and a TensorFlow job, configured over several statements."""
from azureml.core.runconfig import MpiConfiguration
from azure.ai.ml import MLClient, MpiDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())

mpi = MpiConfiguration()
mpi.process_count_per_node = 2
print("processes per node:", mpi.process_count_per_node)

pt_env = Environment(
    image='mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'torch==1.5.0', 'torchvision==0.5.0', 'horovod==0.19.1', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
pt = command(code="training", command="python train.py", compute='gpu-cluster', environment=pt_env,
             distribution=MpiDistribution(process_count_per_instance=2),
             shm_size='2g',
             instance_count=2,
             environment_variables={'NCCL_TREE_THRESHOLD': '0'})
tf_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'tensorflow-gpu==2.1.0', 'horovod==0.19.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
tf = command(code="training", command="python train.py", compute='gpu-cluster', environment=tf_env,
             distribution=MpiDistribution(process_count_per_instance=2),
             shm_size='2g',
             instance_count=2)

legacy = MpiConfiguration(process_count_per_node=4)
print(legacy.process_count_per_node)
old_env = Environment(
    image='mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'torch==1.4.0', 'torchvision==0.5.0', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
old = command(code="training", command="python train.py", compute='gpu-cluster', environment=old_env,
              distribution=MpiDistribution(process_count_per_instance=4),
              shm_size='2g',
              instance_count=3,
              environment_variables={'NCCL_TREE_THRESHOLD': '0'})
runs = [ws.jobs.create_or_update(job, experiment_name="horovod") for job in (pt, tf, old)]
