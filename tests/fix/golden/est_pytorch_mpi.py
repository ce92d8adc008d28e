from azureml.core import Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch, Mpi

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")

estimator = PyTorch(source_directory="src",
                    entry_script="train.py",
                    script_params={"--lr": 0.01, "--batch-size": 64},
                    compute_target=cluster,
                    node_count=2,
                    distributed_training=Mpi(process_count_per_node=4),
                    framework_version="1.6",
                    use_gpu=True,
                    pip_packages=["pillow==8.0.0", "torchvision==0.7.0"])
