from azureml.core import Workspace
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
est = TensorFlow(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
                 vm_size="STANDARD_NC6", vm_priority="dedicated", framework_version="2.2", use_gpu=True,
                 resume_from=None, source_directory_data_store=None)
