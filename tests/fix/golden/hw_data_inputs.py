"""Hand-written data inputs: a datastore path mounted and one downloaded, registered on the run
configuration, and registered datasets passed as mounts and downloads."""
from azureml.core import Dataset, Datastore, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.get(name="ml-prod", subscription_id="00000000-0000-0000-0000-000000000000",
                   resource_group="rg-ml")
datastore = ws.get_default_datastore()
images = datastore.path("datasets/images").as_mount()
labels = Datastore.get(ws, "labels").path("v3/labels.csv", data_reference_name="labels").as_download()
mnist = Dataset.get_by_name(ws, name="mnist", version=2)
reviews = ws.datasets["reviews"]

env = Environment.get(ws, name="team-pytorch-env", version="4")
src = ScriptRunConfig(
    source_directory="training",
    script="train.py",
    arguments=[
        "--images", str(images),
        "--mnist", mnist.as_named_input("mnist").as_mount(),
        "--reviews", reviews.as_named_input("reviews").as_download(),
        f"--labels={labels}",
    ],
    compute_target="gpu-cluster",
    environment=env,
)
src.run_config.data_references = {images.data_reference_name: images.to_config(),
                                  labels.data_reference_name: labels.to_config()}
run = Experiment(ws, "data-inputs").submit(src)
run.wait_for_completion()
