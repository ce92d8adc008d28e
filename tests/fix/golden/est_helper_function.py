"""A helper builds the estimator; the module calls it."""
from azureml.core import Workspace
from azureml.train.dnn import PyTorch


def make_estimator(ws, lr):
    return PyTorch(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
                   script_params={"--lr": lr}, framework_version="1.6", use_gpu=True,
                   environment_variables={"SEED": "1"})


ws = Workspace.from_config()
est = make_estimator(ws, 0.01)
