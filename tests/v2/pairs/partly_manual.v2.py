# partly_manual.v1.py migrated by hand: the pipeline is left as it was (v2: @dsl.pipeline with command
# components), the training job moves to azure-ai-ml.
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment as EnvironmentV2
from azure.identity import DefaultAzureCredential
from azureml.core import Experiment, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
ml_client = MLClient.from_config(DefaultAzureCredential())

prep = PythonScriptStep(name="prep", script_name="prep.py", source_directory="prep", arguments=["--rows", 100000],
                        compute_target="cpu-cluster", allow_reuse=True)
pipeline = Pipeline(workspace=ws, steps=[prep])
pipeline_run = Experiment(ws, "credit-prep").submit(pipeline)

env = EnvironmentV2(image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04", conda_file="envs/credit.yml")
train = command(code="train", command="python train.py --max-depth 6", environment=env, compute="cpu-cluster",
                shm_size="2g", timeout=2592000)
train_run = ml_client.jobs.create_or_update(train, experiment_name="credit-train")
