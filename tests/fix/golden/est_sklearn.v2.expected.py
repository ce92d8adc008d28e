from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['scikit-learn==0.22.2', 'joblib', 'azureml-defaults', 'scipy==1.2.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py --kernel linear --penalty 1.0", compute="cpu-cluster",
              environment=est_env,
              shm_size='2g')
