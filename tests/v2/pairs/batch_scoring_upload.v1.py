# Batch scoring on a private-registry image: a named model download in, scores uploaded out.
from azureml.core import Datastore, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration
from azureml.data.data_reference import DataReference

ws = Workspace.from_config()
store = Datastore.get(ws, "scoringstore")
model = DataReference(datastore=store, data_reference_name="model", path_on_datastore="models/v3", mode="download",
                      path_on_compute="model")
scores = DataReference(datastore=store, data_reference_name="scores", path_on_datastore="outputs/scores",
                       mode="upload")

env = Environment("scoring")
env.docker.base_image = "team/scoring:1.4"
env.docker.base_image_registry.address = "myregistry.azurecr.io"
env.python.user_managed_dependencies = True
env.python.interpreter_path = "/opt/conda/envs/scoring/bin/python"
env.environment_variables = {}

src = ScriptRunConfig(source_directory="scoring", script="score.py",
                      arguments=["--model", str(model), "--out", str(scores), "--batch", 512],
                      compute_target="cpu-cluster", environment=env,
                      docker_runtime_config=DockerConfiguration(use_docker=True),
                      max_run_duration_seconds=3600)
src.run_config.data_references = {"model": model.to_config(), "scores": scores.to_config()}
src.run_config.environment_variables["SCORING_MODE"] = "batch"
run = Experiment(ws, "nightly-scoring").submit(src)
print(run.get_portal_url())
