from azureml.core import Environment, Workspace
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()
env = Environment("my-torch")
env.docker.enabled = True
est = PyTorch(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
              environment_definition=env, max_run_duration_seconds=7200)
