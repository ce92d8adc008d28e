# pytorch_ddp.v1.py migrated by hand to azure-ai-ml (curated style).
# declared: environment: the curated AzureML-PyTorch-1.6-GPU has no v2 counterpart; nearest azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest
# declared: communication_backend 'Nccl': v2 PyTorchDistribution has no backend (the script picks it)
from azure.ai.ml import Input, MLClient, PyTorchDistribution, command
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

src = command(
    code="src",
    command="python train_ddp.py --data ${{inputs.images}} --epochs 30 --backend nccl",
    inputs={"images": Input(type="uri_folder", path="azureml:imagenet-subset:3", mode="ro_mount")},
    environment="azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest",
    compute="a100-cluster",
    instance_count=2,
    distribution=PyTorchDistribution(process_count_per_instance=4),
    docker_args=["--ipc=host"],
    shm_size="2g",
    timeout=2592000,
)
run = ml_client.jobs.create_or_update(src, experiment_name="ddp-imagenet")
ml_client.jobs.stream(run.name)
