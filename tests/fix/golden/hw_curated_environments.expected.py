"""Curated and registered environments by name, a user-managed image, and a job on the default one."""
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
experiment = Experiment(ws, "environments")

sklearn = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                          environment=Environment.get(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu"))
team = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                       environment=ws.environments["team-env"])

rapids = Environment("rapids")
rapids.docker.base_image = "rapidsai/rapidsai:cuda11.0-runtime-ubuntu18.04-py3.8"
rapids.python.user_managed_dependencies = True
rapids.python.interpreter_path = "/opt/conda/envs/rapids/bin/python"
gpu = ScriptRunConfig(source_directory="training", script="rapids_train.py", compute_target="gpu-cluster",
                      environment=rapids)

local = ScriptRunConfig(source_directory="training", script="train.py")

for job in (sklearn, team, local):
    experiment.submit(job)
