from azureml.core import Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import Nccl, PyTorch

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
backend = Nccl()
est = PyTorch(source_directory="src", entry_script="train.py", compute_target=cluster, node_count=4,
              distributed_training=backend, framework_version="1.6", use_gpu=True)
