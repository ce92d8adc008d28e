import json
import os

from azureml.core import Experiment, Workspace
from azureml.core.authentication import AzureCliAuthentication
from azureml.core.compute import ComputeTarget, RemoteCompute
from azureml.core.compute_target import ComputeTargetException
from azureml.train.estimator import Estimator

cli_auth = AzureCliAuthentication()
ws = Workspace.from_config(auth=cli_auth)

with open("aml_config/security_config.json") as f:
    config = json.load(f)

remote_vm_name = config["remote_vm_name"]
remote_vm_username = config["remote_vm_username"]
remote_vm_ip = config["remote_vm_ip"]
remote_vm_password = os.environ.get("REMOTE_VM_PASSWORD")

try:
    dsvm_compute = ComputeTarget(workspace=ws, name=remote_vm_name)
    print("found existing:", dsvm_compute.name)
except ComputeTargetException:
    attach_config = RemoteCompute.attach_configuration(address=remote_vm_ip,
                                                       ssh_port=22,
                                                       username=remote_vm_username,
                                                       password=remote_vm_password)
    dsvm_compute = ComputeTarget.attach(workspace=ws, name=remote_vm_name, attach_configuration=attach_config)
    dsvm_compute.wait_for_completion(show_output=True)

exp = Experiment(workspace=ws, name=config["experiment_name"])

est = Estimator(source_directory="./code",
                entry_script="training/train.py",
                compute_target=dsvm_compute,
                conda_dependencies_file="../aml_config/conda_dependencies.yml",
                use_docker=True)

run = exp.submit(config=est)
run.wait_for_completion(show_output=True)

run_id = {"run_id": run.id, "experiment_name": run.experiment.name}
with open("aml_config/run_id.json", "w") as outfile:
    json.dump(run_id, outfile)
