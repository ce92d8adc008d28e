"""Train, then resume from a checkpoint with the same script_params dict (the SDK sample's shape): the
resumed estimator added --resume-from to that dict, after the first one had been built."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.data.datapath import DataPath
from azureml.core.runconfig import DockerConfiguration
import azure.ai.ml.entities
from azure.ai.ml import Input, MLClient, command
from azure.identity import DefaultAzureCredential

ws = Workspace.from_config()
ml_client = MLClient.from_config(DefaultAzureCredential())
compute_target = ComputeTarget(ws, "gpu-nc6")
exp = Experiment(workspace=ws, name="mnist-resume")

ds = ws.get_default_datastore()

first_data = Input(type='uri_folder', path=f'azureml://datastores/{ds.name}/paths/mnist', mode='ro_mount')
first_env = azure.ai.ml.entities.Environment(
    image='mcr.microsoft.com/azureml/intelmpi2018.3-cuda10.0-cudnn7-ubuntu16.04:20200704.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==1.13.1', 'horovod==0.16.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
first = command(code="./tf-resume",
                compute='gpu-nc6',
                command="python tf_mnist_with_checkpoint.py --data-folder ${{inputs.first_data}} --epochs 10",
                environment=first_env,
                shm_size='2g',
                inputs={'first_data': first_data})
run = ml_client.jobs.create_or_update(first, experiment_name="mnist-resume")

checkpoint = DataPath(datastore=ds, path_on_datastore="azureml/mnist-resume_1/outputs")
resumed_data = ds.path("mnist").as_mount()
resumed_env = Environment('resumed-env')
resumed_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-cuda10.0-cudnn7-ubuntu16.04:20200704.v1'
resumed_env.python.conda_dependencies.set_python_version('3.6.2')
resumed_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==1.13.1', 'horovod==0.16.1'])
resumed_env.spark.precache_packages = False
resumed = ScriptRunConfig(source_directory="./tf-resume",
                          arguments=["--data-folder", str(resumed_data), "--epochs", 10],
                          compute_target=compute_target,
                          script="tf_mnist_with_checkpoint.py",
                          resume_from=checkpoint,
                          environment=resumed_env,
                          docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                          max_run_duration_seconds=None)
resumed.run_config.data_references.update({resumed_data.data_reference_name: resumed_data.to_config()})
resumed_run = exp.submit(resumed)
