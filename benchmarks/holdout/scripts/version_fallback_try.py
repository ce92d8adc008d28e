# Ask for the newest PyTorch the SDK knows, fall back when this SDK does not have it.
from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch
from azureml.exceptions import TrainingException

ws = Workspace.from_config()
target = ws.compute_targets["gpu-cluster"]
params = {"--epochs": 4, "--fp16": ""}

try:
    est = PyTorch(source_directory="gan", entry_script="train.py", compute_target=target,
                  script_params=params, framework_version="1.7", use_gpu=True)
except TrainingException as error:  # version not supported by this SDK
    print("falling back to 1.6:", error)
    est = PyTorch(source_directory="gan", entry_script="train.py", compute_target=target,
                  script_params=params, framework_version="1.6", use_gpu=True)

Experiment(ws, "stylegan").submit(est)
