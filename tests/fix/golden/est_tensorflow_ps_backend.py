from azureml.core import Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
est = TensorFlow(source_directory="src", entry_script="train.py", compute_target=cluster, node_count=2,
                 distributed_backend="ps", worker_count=3, parameter_server_count=1,
                 framework_version="1.13", use_gpu=False, conda_packages=["cmake"])
