from azureml.core import Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import TensorFlow, ParameterServer

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
est = TensorFlow(source_directory="src", entry_script="train.py", compute_target=cluster, node_count=2,
                 distributed_training=ParameterServer(worker_count=2, parameter_server_count=1),
                 framework_version="2.0", use_gpu=True, pip_packages=["pandas"])
