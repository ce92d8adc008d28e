"""Train the same Horovod model with PyTorch and with TensorFlow, on the same MPI layout."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import MpiConfiguration
from azureml.train.dnn import PyTorch, TensorFlow

ws = Workspace.from_config()
gpu_cluster = ComputeTarget(workspace=ws, name="gpu-nc12")
experiment = Experiment(ws, "horovod-compare")

mpi = MpiConfiguration()
mpi.process_count_per_node = 2
print("MPI layout:", mpi.process_count_per_node, "processes per node")

common_args = {"--epochs": 10, "--batch-size": 128}

pt_est = PyTorch(source_directory="horovod_pt",
                 entry_script="pytorch_horovod_mnist.py",
                 script_params=common_args,
                 compute_target=gpu_cluster,
                 node_count=2,
                 distributed_training=mpi,
                 framework_version="1.4",
                 use_gpu=True)

tf_est = TensorFlow(source_directory="horovod_tf",
                    entry_script="tf_horovod_mnist.py",
                    script_params=common_args,
                    compute_target=gpu_cluster,
                    node_count=2,
                    distributed_training=mpi,
                    framework_version="1.13",
                    use_gpu=True)

runs = [experiment.submit(pt_est), experiment.submit(tf_est)]
for run in runs:
    run.wait_for_completion(show_output=False)
    print(run.id, run.get_status())
