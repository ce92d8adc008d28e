from azureml.core import Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
est = Estimator(source_directory="src", entry_script="train.py", vm_size="STANDARD_NC6", vm_priority="lowpriority",
                use_gpu=True, custom_docker_image="myregistry.azurecr.io/train:1.0", user_managed=True,
                use_docker=True)
