"""One MPI layout shared by a PyTorch and a TensorFlow job, configured over several statements."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import MpiConfiguration
from azureml.train.dnn import Mpi, PyTorch, TensorFlow

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
experiment = Experiment(ws, "horovod")

mpi = MpiConfiguration()
mpi.process_count_per_node = 2
print("processes per node:", mpi.process_count_per_node)

pt = PyTorch(source_directory="training", entry_script="train.py", compute_target=cluster, node_count=2,
             distributed_training=mpi, framework_version="1.5", use_gpu=True)
tf = TensorFlow(source_directory="training", entry_script="train.py", compute_target=cluster, node_count=2,
                distributed_training=mpi, framework_version="2.1", use_gpu=True)

legacy = Mpi(process_count_per_node=4)
print(legacy.process_count_per_node)
old = PyTorch(source_directory="training", entry_script="train.py", compute_target=cluster, node_count=3,
              distributed_training=legacy, use_gpu=True)
runs = [experiment.submit(job) for job in (pt, tf, old)]
