"""A hand-written ScriptRunConfig job, as the 2021 docs taught it: conda file, cluster, submit, wait."""
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="sklearn-diabetes")
cluster = ComputeTarget(workspace=ws, name="cpu-cluster")

env = Environment.from_conda_specification(name="sklearn-env", file_path="training/environment.yml")
docker = DockerConfiguration(use_docker=True, shm_size="4g")

# the training job: every argument in one list
arguments = ["--alpha", 0.5, "--n-estimators", 100, "--output-dir", "./outputs"]
src = ScriptRunConfig(source_directory="training",
                      script="train.py",
                      arguments=arguments,
                      compute_target=cluster,
                      environment=env,
                      docker_runtime_config=docker,
                      max_run_duration_seconds=3600)
src.run_config.environment_variables = {"MODEL_NAME": "diabetes-ridge"}

run = experiment.submit(src, tags={"team": "forecasting"})
print("portal:", run.get_portal_url())
run.wait_for_completion(show_output=True)
print(run.id, run.get_status())
