"""Train the PyTorch text classifier on AmlCompute; called by the build pipeline."""
import argparse
import json

from azureml.core import Experiment, Workspace
from azureml.core.authentication import AzureCliAuthentication
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.train.dnn import PyTorch

parser = argparse.ArgumentParser("train on aml compute")
parser.add_argument("--cluster_name", type=str, default="gpucluster-nc6")
parser.add_argument("--vm_size", type=str, default="STANDARD_NC6")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--experiment_name", type=str, default="text-classifier")
args = parser.parse_args()

ws = Workspace.from_config(auth=AzureCliAuthentication())

try:
    cluster = ComputeTarget(workspace=ws, name=args.cluster_name)
except ComputeTargetException:
    compute_config = AmlCompute.provisioning_configuration(vm_size=args.vm_size, max_nodes=2, min_nodes=0)
    cluster = ComputeTarget.create(ws, args.cluster_name, compute_config)
    cluster.wait_for_completion(show_output=True)

script_params = {"--epochs": args.epochs, "--output_dir": "./outputs"}

estimator = PyTorch(
    source_directory="./code/training",
    entry_script="train_textclf.py",
    script_params=script_params,
    compute_target=cluster,
    pip_requirements_file="requirements.txt",
    use_gpu=True,
)

exp = Experiment(workspace=ws, name=args.experiment_name)
run = exp.submit(config=estimator)
run.wait_for_completion(show_output=True)

if run.get_status() == "Failed":
    raise Exception("Training failed: {}".format(run.get_details_with_logs()))

with open("aml_config/run_id.json", "w") as outfile:
    json.dump({"run_id": run.id, "experiment_name": run.experiment.name}, outfile)
