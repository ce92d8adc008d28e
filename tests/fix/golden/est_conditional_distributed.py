"""Distributed only when there is more than one node: the configuration is chosen by a conditional."""
import argparse

from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import MpiConfiguration
from azureml.train.dnn import Mpi, PyTorch, TensorFlow

parser = argparse.ArgumentParser()
parser.add_argument("--nodes", type=int, default=2)
args, _ = parser.parse_known_args()

ws = Workspace.from_config()
experiment = Experiment(ws, "conditional-distributed")
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")

# Horovod over MPI, but only on a multi-node cluster
tf_est = TensorFlow(source_directory="training", entry_script="train.py", compute_target=cluster,
                    node_count=args.nodes,
                    distributed_training=MpiConfiguration() if args.nodes > 1 else None,
                    framework_version="2.1", use_gpu=True)

use_horovod = False  # one node: the estimator raised for more without a distributed configuration
tf_plain = TensorFlow(source_directory="training", entry_script="train.py", compute_target=cluster,
                      node_count=1, distributed_training=MpiConfiguration() if use_horovod else None,
                      framework_version="2.1", use_gpu=True)

pt_est = PyTorch(source_directory="training", entry_script="train.py", compute_target=cluster,
                 node_count=args.nodes,
                 distributed_training=None if args.nodes < 2 else Mpi(process_count_per_node=2),
                 framework_version="1.6", use_gpu=True)

layout = Mpi(process_count_per_node=2) if args.nodes > 1 else None
pt_named = PyTorch(source_directory="training", entry_script="train.py", compute_target=cluster,
                   node_count=args.nodes, distributed_training=layout, framework_version="1.6", use_gpu=True)

runs = [experiment.submit(job) for job in (tf_est, tf_plain, pt_est, pt_named)]
