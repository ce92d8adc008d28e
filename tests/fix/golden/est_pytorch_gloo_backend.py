from azureml.core import Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="cpu-cluster")
est = PyTorch(source_directory="src", entry_script="train.py", compute_target=cluster, node_count=3,
              distributed_backend="gloo", framework_version="1.5")
