"""A hand-written ScriptRunConfig job, as the 2021 docs taught it: conda file, cluster, submit, wait."""
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())

env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file="training/environment.yml",
)

# the training job: every argument in one list
arguments = ["--alpha", 0.5, "--n-estimators", 100, "--output-dir", "./outputs"]
src = command(code="training",
              command="python train.py --alpha 0.5 --n-estimators 100 --output-dir ./outputs",
              compute='cpu-cluster',
              environment=env,
              shm_size="4g",
              timeout=3600,
              environment_variables={"MODEL_NAME": "diabetes-ridge"})

run = ws.jobs.create_or_update(src, experiment_name="sklearn-diabetes", tags={"team": "forecasting"})
print("portal:", run.studio_url)
ws.jobs.stream(run.name)
print(run.name, ws.jobs.get(run.name).status)
