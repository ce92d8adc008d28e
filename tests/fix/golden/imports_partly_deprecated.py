from azureml.core import Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import EstimatorStep, PythonScriptStep
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
prepare = PythonScriptStep(name="prepare", script_name="prep.py", compute_target="cpu-cluster", source_directory=".")
trainer = SKLearn(source_directory=".", entry_script="train.py", compute_target="cpu-cluster")
train = EstimatorStep(name="train", estimator=trainer, estimator_entry_script_arguments=[],
                      compute_target="cpu-cluster")
pipeline = Pipeline(workspace=ws, steps=[prepare, train])
