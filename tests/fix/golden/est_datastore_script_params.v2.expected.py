"""A Datastore passed straight in script_params: the estimator mounted its root."""
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
ds = ws.datastores.get_default()
est_data = Input(type='uri_folder', path=f'azureml://datastores/{ds.name}/paths/', mode='ro_mount')
est_data_2 = Input(type='uri_folder', path='azureml://datastores/archive/paths/', mode='ro_mount')
est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'tensorflow-gpu==2.1.0', 'horovod==0.19.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="training", command="python tf_mnist.py --data-folder ${{inputs.est_data}} --archive ${{inputs.est_data_2}} --batch-size 64", compute="gpu-cluster", environment=est_env,
              shm_size='2g',
              inputs={'est_data': est_data, 'est_data_2': est_data_2})
run = ws.jobs.create_or_update(est, experiment_name="tf-mnist")
