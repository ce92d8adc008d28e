"""PyTorch distributed jobs: NCCL and Gloo backend objects, and a PyTorchConfiguration."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import AmlCompute
from azureml.core.runconfig import PyTorchConfiguration
from azureml.train.dnn import Gloo, Nccl, PyTorch
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
gpus = AmlCompute(ws, "v100-x4")
experiment = Experiment(ws, "torch-backends")

backend = Nccl()
nccl_job = PyTorch(source_directory="src",
                   entry_script="ddp_train.py",
                   compute_target=gpus,
                   script_params={"--epochs": 90, "--batch-size": 256, "--workers": 8},
                   node_count=4,
                   distributed_training=backend,
                   framework_version="1.6",
                   use_gpu=True)

gloo_job = Estimator(source_directory="src",
                     entry_script="ddp_train.py",
                     compute_target=gpus,
                     script_params={"--backend": "gloo"},
                     node_count=2,
                     distributed_training=Gloo(),
                     pip_packages=["torch==1.7.1", "torchvision==0.8.2"],
                     use_gpu=True)

# The estimator does not understand PyTorchConfiguration: this job ran as two independent nodes.
launcher_job = PyTorch(source_directory="src",
                       entry_script="ddp_train.py",
                       compute_target=gpus,
                       node_count=2,
                       distributed_training=PyTorchConfiguration(communication_backend="Nccl", node_count=2),
                       framework_version="1.6",
                       use_gpu=True)

for job in [nccl_job, gloo_job, launcher_job]:
    experiment.submit(job)
