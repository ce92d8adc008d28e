"""Generic Estimator with packages, every script_params shape, env vars and docker settings."""
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())

# train on the CPU cluster
est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults', 'pandas', 'scikit-learn==1.0']}, 'numpy'],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(
    code="./src",
    command="python train.py --epochs 10 --flag-empty --flag-none --layers 64 32 --nested 1 x '[2, 3]' --choices a b positional --on True",
    compute="cpu-cluster",
    timeout=3600,
    environment=est_env,
    shm_size="8g",
    environment_variables={"MODE": "train"},
)
