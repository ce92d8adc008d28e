"""Hand-written data inputs: a datastore path mounted and one downloaded, registered on the run
configuration, and registered datasets passed as mounts and downloads."""
from azure.ai.ml import Input, MLClient, command
from azure.identity import DefaultAzureCredential

ws = MLClient(DefaultAzureCredential(), "00000000-0000-0000-0000-000000000000", "rg-ml", "ml-prod")
datastore = ws.datastores.get_default()
images = Input(type='uri_folder', path=f'azureml://datastores/{datastore.name}/paths/datasets/images', mode='ro_mount')
labels = Input(type='uri_file', path='azureml://datastores/labels/paths/v3/labels.csv', mode='download')

env = 'azureml:team-pytorch-env:4'
src = command(
    code="training",
    command="python train.py --images ${{inputs.images}} --mnist ${{inputs.mnist}} --reviews ${{inputs.reviews}} --labels=${{inputs.labels}}",
    compute="gpu-cluster",
    environment=env,
    timeout=2592000,
    shm_size='2g',
    inputs={'images': images, 'labels': labels, 'mnist': Input(type='uri_folder', path='azureml:mnist:2', mode='ro_mount'), 'reviews': Input(type='uri_folder', path='azureml:reviews@latest', mode='download')},
)
run = ws.jobs.create_or_update(src, experiment_name="data-inputs")
ws.jobs.stream(run.name)
