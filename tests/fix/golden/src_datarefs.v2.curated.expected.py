from azure.ai.ml import Input, MLClient, command
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
datastore = ws.datastores.get_default()
data = Input(type='uri_folder', path=f'azureml://datastores/{datastore.name}/paths/mnist', mode='ro_mount')
env = 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest'
data_ref = Input(type='uri_folder', path=f'azureml://datastores/{datastore.name}/paths/labels', mode='download')
src = command(code="src", command="python train.py --data ${{inputs.data}} --labels ${{inputs.data_ref}}",
              environment=env,
              compute='local',
              timeout=2592000,
              shm_size='2g',
              inputs={'data': data, 'data_ref': data_ref})
