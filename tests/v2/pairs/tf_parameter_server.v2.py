# tf_parameter_server.v1.py migrated by hand to azure-ai-ml.
from azure.ai.ml import Input, MLClient, TensorFlowDistribution, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient(DefaultAzureCredential(), "<subscription>", "<resource-group>", "<workspace>")

env = Environment(image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04", conda_file="envs/tensorflow.yml")
src = command(
    code="tf_src",
    command="python train.py --data ${{inputs.cifar}} --init-from=${{inputs.pretrained}} --steps 20000",
    inputs={
        "cifar": Input(type="uri_folder", path="azureml:cifar10@latest", mode="download"),
        "pretrained": Input(type="uri_folder", path="azureml://datastores/modelstore/paths/pretrained/resnet50",
                            mode="download"),
    },
    environment=env,
    # v1 sends Environment()'s own default variable: the job keeps it
    environment_variables={"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"},
    compute="cpu-cluster",
    instance_count=2,
    distribution=TensorFlowDistribution(worker_count=2, parameter_server_count=1),
    shm_size="2g",
    timeout=2592000,
)
ml_client.jobs.create_or_update(src, experiment_name="tf-ps")
