"""CIFAR-10 training, data read straight from the workspace's default blob store."""
import os

from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()
print(ws.name, ws.resource_group, ws.location, sep="\n")

ds = ws.get_default_datastore()
print(ds.datastore_type, ds.account_name, ds.container_name)

# Upload once; later runs find the files already there.
if os.environ.get("UPLOAD_CIFAR"):
    ds.upload(src_dir="./data/cifar-10", target_path="cifar", overwrite=True, show_progress=True)

compute_target = ComputeTarget(workspace=ws, name="gpu-nc6")

pt_est = PyTorch(source_directory="./pytorch-cifar",
                 script_params={"--data_dir": ds, "--epochs": 40},
                 compute_target=compute_target,
                 entry_script="cifar10_train.py",
                 use_gpu=True)

eval_est = PyTorch(source_directory="./pytorch-cifar",
                   script_params={"--data_dir": ds.path("cifar").as_download(),
                                  "--checkpoint": "outputs/model.pt"},
                   compute_target=compute_target,
                   entry_script="cifar10_eval.py",
                   use_gpu=False)

experiment = Experiment(workspace=ws, name="cifar10-pytorch")
train_run = experiment.submit(pt_est)
train_run.wait_for_completion(show_output=True)
eval_run = experiment.submit(eval_est)
print(eval_run.get_portal_url())
