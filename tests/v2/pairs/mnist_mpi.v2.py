# mnist_mpi.v1.py migrated by hand to azure-ai-ml.
from azure.ai.ml import Input, MLClient, MpiDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(DefaultAzureCredential())

env = Environment(image="mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04",
                  conda_file="envs/horovod.yml")

src = command(
    code="./src",
    command="python train_hvd.py --data-dir ${{inputs.mnist}} --epochs 10 --lr 0.01 --fp16 True",
    inputs={"mnist": Input(type="uri_folder", path="azureml://datastores/workspaceblobstore/paths/mnist/raw",
                           mode="ro_mount")},
    environment=env,
    compute="gpu-cluster",
    instance_count=2,
    distribution=MpiDistribution(process_count_per_instance=4),
    environment_variables={"HOROVOD_FUSION_THRESHOLD": "67108864", "NCCL_DEBUG": "INFO"},
    shm_size="16g",
    timeout=7200,
)

run = ml_client.jobs.create_or_update(src, experiment_name="mnist-horovod")
print(run.studio_url)
ml_client.jobs.stream(run.name)
