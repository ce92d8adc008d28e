from azureml.core import Workspace
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()
est = PyTorch(source_directory="src", entry_script="train.py", vm_size="STANDARD_NC6", framework_version="1.4",
              use_gpu=True)
