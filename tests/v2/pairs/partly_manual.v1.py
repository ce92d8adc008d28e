# A data-prep pipeline and a training job in one submit script: the pipeline stays v1 (manual), the job moves.
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()

prep = PythonScriptStep(name="prep", script_name="prep.py", source_directory="prep", arguments=["--rows", 100000],
                        compute_target="cpu-cluster", allow_reuse=True)
pipeline = Pipeline(workspace=ws, steps=[prep])
pipeline_run = Experiment(ws, "credit-prep").submit(pipeline)

env = Environment.from_conda_specification("credit", "envs/credit.yml")
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
env.environment_variables = {}
train = ScriptRunConfig(source_directory="train", script="train.py", arguments=["--max-depth", 6],
                        compute_target="cpu-cluster", environment=env)
train_run = Experiment(ws, "credit-train").submit(train)
