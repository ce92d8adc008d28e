"""HyperDrive over a PyTorch estimator, and the same estimator in a pipeline step."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep
from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling, uniform
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
experiment = Experiment(ws, "tune")

est_env = Environment.get(ws, 'AzureML-PyTorch-1.6-GPU').clone('est-env')
est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      arguments=["--epochs", 20], environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
sampling = RandomParameterSampling({"lr": uniform(0.001, 0.1)})
hd = HyperDriveConfig(run_config=est, hyperparameter_sampling=sampling, primary_metric_name="accuracy",
                      primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=8)
run = experiment.submit(hd)

step_est_env = Environment.get(ws, 'AzureML-PyTorch-1.6-GPU').clone('step-est-env')
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
