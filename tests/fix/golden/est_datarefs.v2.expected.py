from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
ds = ws.datastores.get_default()
train_ref = Input(type='uri_folder', path=f'azureml://datastores/{ds.name}/paths/mnist/train', mode='ro_mount')
est_data = Input(type='uri_folder', path=f'azureml://datastores/{ds.name}/paths/mnist/test', mode='ro_mount')
est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est_input = Input(type='uri_folder', path=f'azureml://datastores/{ds.name}/paths/mnist/labels', mode='download')
est = command(code="src", command="python train.py --train ${{inputs.train_ref}} --test ${{inputs.est_data}}", compute="cpu-cluster",
              environment=est_env,
              shm_size='2g',
              inputs={'est_input': est_input, 'train_ref': train_ref, 'est_data': est_data})
