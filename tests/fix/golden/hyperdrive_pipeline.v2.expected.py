"""HyperDrive over a PyTorch estimator, and the same estimator in a pipeline step."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep
from azureml.core.runconfig import DockerConfiguration
import azure.ai.ml.entities
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.sweep import Uniform
from azure.identity import DefaultAzureCredential

ws = Workspace.from_config()
ml_client = MLClient.from_config(DefaultAzureCredential())

est_env = azure.ai.ml.entities.Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="src", command="python train.py --epochs 20 $[[--lr ${{inputs.lr}}]]", compute="gpu-cluster",
              environment=est_env,
              shm_size='2g',
              environment_variables={'NCCL_TREE_THRESHOLD': '0'},
              inputs={'lr': Input(type='number', optional=True)})
hd = est(lr=Uniform(min_value=0.001, max_value=0.1)).sweep(
    compute="gpu-cluster",
    sampling_algorithm='random',
    primary_metric="accuracy",
    goal='Maximize',
)
hd.set_limits(max_total_trials=8, max_concurrent_trials=8, timeout=604800)
run = ml_client.jobs.create_or_update(hd, experiment_name="tune")

step_est_env = Environment('step-est-env')
step_est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
step_est_env.python.conda_dependencies.set_python_version('3.6.2')
step_est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
step_est_env.spark.precache_packages = False
step_est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
step_est = ScriptRunConfig(source_directory="src", script="score.py", compute_target="gpu-cluster",
                           environment=step_est_env,
                           docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                           max_run_duration_seconds=None)
step = PythonScriptStep(name="score", arguments=["--mode", "eval"],
                        compute_target="gpu-cluster", allow_reuse=False,
                        script_name=step_est.script,
                        runconfig=step_est.run_config,
                        source_directory=step_est.source_directory)
pipeline = Pipeline(workspace=ws, steps=[step])
