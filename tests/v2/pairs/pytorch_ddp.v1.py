# Distributed data parallel PyTorch on a curated environment, reading a registered image dataset.
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration, PyTorchConfiguration

ws = Workspace.from_config()
images = Dataset.get_by_name(ws, name="imagenet-subset", version=3)
curated = Environment.get(workspace=ws, name="AzureML-PyTorch-1.6-GPU")

distr_config = PyTorchConfiguration(communication_backend="Nccl", process_count=8, node_count=2)
src = ScriptRunConfig(source_directory="src", script="train_ddp.py",
                      arguments=["--data", images.as_named_input("images").as_mount(), "--epochs", 30,
                                 "--backend", "nccl"],
                      compute_target="a100-cluster", environment=curated, distributed_job_config=distr_config,
                      docker_runtime_config=DockerConfiguration(use_docker=True, arguments=["--ipc=host"]))
run = Experiment(workspace=ws, name="ddp-imagenet").submit(src)
run.wait_for_completion(show_output=True)
