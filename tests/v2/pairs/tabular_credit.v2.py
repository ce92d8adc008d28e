# tabular_credit.v1.py migrated by hand to azure-ai-ml.
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(DefaultAzureCredential())

sklearn_env = Environment(
    image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",
    conda_file={"name": "credit", "channels": ["conda-forge", "defaults"],
                "dependencies": ["python=3.10", "scikit-learn=1.3", "pandas", {"pip": ["mltable", "azureml-mlflow"]}]},
)
config = command(
    code=".",
    command="python train_credit.py --data ${{inputs.credit}} --n-estimators 200 --criterion gini",
    inputs={"credit": Input(type="mltable", path="azureml:credit-card:1", mode="direct")},
    environment=sklearn_env,
    environment_variables={"MLFLOW_TRACKING_DISABLED": "false"},
    compute="local",
    shm_size="2g",
    timeout=1800,
)
run = ml_client.jobs.create_or_update(config, experiment_name="credit-default")
ml_client.jobs.stream(run.name)
