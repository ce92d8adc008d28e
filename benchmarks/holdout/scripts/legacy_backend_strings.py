"""Three multi-node jobs written against the 2019 estimator API (backend strings)."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch, TensorFlow
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="nc24-cluster")
exp = Experiment(ws, "backend-strings")

cntk_est = Estimator(source_directory="./cntk-resnet",
                     compute_target=cluster,
                     entry_script="train_resnet.py",
                     node_count=2,
                     process_count_per_node=2,
                     distributed_backend="mpi",
                     pip_packages=["cntk-gpu==2.7"],
                     custom_docker_base_image="mcr.microsoft.com/azureml/base-gpu:intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04")

torch_est = PyTorch(source_directory="./detector",
                    script_params={"--arch": "resnet50", "--epochs": 12},
                    compute_target=cluster,
                    entry_script="train_ddp.py",
                    node_count=3,
                    distributed_backend="nccl",
                    framework_version="1.5",
                    use_gpu=True)

tf_est = TensorFlow(source_directory="./wide-deep",
                    script_params={"--train-steps": 20000},
                    compute_target=cluster,
                    entry_script="census_ps.py",
                    node_count=2,
                    worker_count=2,
                    parameter_server_count=1,
                    distributed_backend="ps",
                    framework_version="1.12",
                    use_gpu=True)

for job in (cntk_est, torch_est, tf_est):
    print(exp.submit(job).get_portal_url())
