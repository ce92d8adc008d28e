# Distributed Keras (Horovod) on a cluster whose VM size comes from the environment.
import os

from azureml.core import Datastore, Experiment, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.core.runconfig import MpiConfiguration
from azureml.train.dnn import TensorFlow

vm_size = os.environ.get("AML_VM_SIZE", "STANDARD_NC6")
max_nodes = int(os.environ.get("AML_MAX_NODES", "4"))
cluster_name = "hvd-" + vm_size.lower().replace("_", "")[-8:]
experiment_name = "speech-commands-hvd"

ws = Workspace.from_config()
try:
    compute_target = ComputeTarget(workspace=ws, name=cluster_name)
except ComputeTargetException:
    provisioning = AmlCompute.provisioning_configuration(vm_size=vm_size, max_nodes=max_nodes)
    compute_target = ComputeTarget.create(ws, cluster_name, provisioning)
    compute_target.wait_for_completion(show_output=True)

audio_store = Datastore.register_azure_blob_container(
    workspace=ws,
    datastore_name="speechcommands",
    container_name="speech",
    account_name=os.environ["AUDIO_ACCOUNT"],
    account_key=os.environ["AUDIO_KEY"],
)

script_params = {
    "--data-dir": audio_store.as_mount(),
    "--epochs": 40,
    "--sample-rate": 16000,
}

exp = Experiment(workspace=ws, name=experiment_name)
est = TensorFlow(source_directory="./speech",
                 entry_script="run.py",
                 script_params=script_params,
                 compute_target=compute_target,
                 pip_packages=["keras==2.2.5", "librosa==0.7.0", "lru-dict==1.1.6", "azure-storage"],
                 use_gpu=("NC" in vm_size.upper()),
                 framework_version="1.13",
                 node_count=max_nodes,
                 # for production use a prebuilt image instead of installing librosa at start-up
                 # custom_docker_image="myacr.azurecr.io/speech:1",
                 process_count_per_node=1,
                 distributed_training=MpiConfiguration())

run = exp.submit(est)
run.wait_for_completion(show_output=True)

model = run.register_model(model_name=experiment_name,
                           model_path="outputs/model",
                           description="{} on {} nodes of {}".format(experiment_name, max_nodes, vm_size))
print(model.name, model.version)
