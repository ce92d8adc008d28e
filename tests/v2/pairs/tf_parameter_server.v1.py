# TensorFlow parameter-server training: a registered dataset and a pretrained model, both downloaded.
import os

from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.runconfig import TensorflowConfiguration

ws = Workspace.from_config()
ds = ws.datastores["modelstore"]
pretrained = ds.path("pretrained/resnet50").as_download()
cifar = Dataset.get_by_name(ws, "cifar10")

env = Environment.from_conda_specification(name="tf-ps", file_path=os.path.join("envs", "tensorflow.yml"))
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"

src = ScriptRunConfig(source_directory="tf_src", script="train.py",
                      arguments=["--data", cifar.as_named_input("cifar").as_download(),
                                 f"--init-from={pretrained}", "--steps", 20000],
                      compute_target="cpu-cluster", environment=env,
                      distributed_job_config=TensorflowConfiguration(worker_count=2, parameter_server_count=1))
src.run_config.data_references[pretrained.data_reference_name] = pretrained.to_config()
Experiment(ws, "tf-ps").submit(src)
