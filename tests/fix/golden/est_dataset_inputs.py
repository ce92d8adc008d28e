"""Dataset inputs in the four spellings the 2020 notebooks used, and one mixed with a DataReference."""
from azureml.core import Dataset, Experiment, Workspace
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
experiment = Experiment(ws, "iris")
iris = Dataset.get_by_name(ws, name="iris")
images = Dataset.File.from_files(path=(ws.get_default_datastore(), "images/"))

named = SKLearn(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                inputs=[iris.as_named_input("iris")])
mounted = SKLearn(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                  inputs=[images.as_named_input("images").as_mount()])
unnamed = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                    inputs=[images.as_mount()])
by_name = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                    inputs=[ws.datasets["iris"].as_named_input("iris")],
                    script_params={"--kernel": "rbf"})
labels = ws.get_default_datastore().path("labels/").as_download()
mixed = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                  inputs=[labels, iris.as_named_input("iris")])
for job in (named, mounted, unnamed, by_name, mixed):
    experiment.submit(job)
