"""Submit a small training job (already migrated to ScriptRunConfig).

Try it locally before it costs cluster time:

    aml-migrate dry-run examples/dry_run/submit.py --data data-dir=examples/dry_run/data
"""

from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
experiment = Experiment(ws, "fruit-regression")

datastore = ws.get_default_datastore()
training_data = datastore.path("datasets/fruit").as_mount()

env = Environment.get(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu")
LEARNING_RATE = 0.05
EPOCHS = 20

src = ScriptRunConfig(
    source_directory="src",
    script="train.py",
    arguments=["--data-dir", str(training_data), "--learning-rate", LEARNING_RATE, "--epochs", EPOCHS],
    compute_target="cpu-cluster",
    environment=env,
    max_run_duration_seconds=600,
)
src.run_config.data_references = {training_data.data_reference_name: training_data.to_config()}
src.run_config.environment_variables = {"FRUIT_SEED": "7"}

run = experiment.submit(src)
run.wait_for_completion(show_output=True)
