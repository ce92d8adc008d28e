"""French-English translator: one training step on a string-named compute target."""
from azureml.core import Environment, Experiment, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import EstimatorStep
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
fra_eng_ds = ws.datasets["fra-eng"]
ds = ws.get_default_datastore()

environment = Environment.get(ws, "translator-env")  # kept for the scoring image

estimator = TensorFlow(
    source_directory="translator",
    entry_script="experiment.py",
    framework_version="2.1",
    conda_packages=["python=3.7.4", "tensorflow", "tensorflow-datasets"],
    pip_packages=["azureml-sdk[notebooks,automl,explain]"],
    compute_target="gpu-trainer",
)

model_step = EstimatorStep(name="training model", estimator=estimator, compute_target="gpu-trainer",
                           estimator_entry_script_arguments=["--data-size", 3000],
                           inputs=[fra_eng_ds.as_named_input("in_data")])

pipe = Pipeline(workspace=ws, steps=[model_step])
pipe.validate()

run = Experiment(workspace=ws, name="translator-fr-en").submit(config=pipe)
run.wait_for_completion(show_output=True)
ds.upload("outputs/translator_fr_en_model.h5", "models", overwrite=True, show_progress=True)
