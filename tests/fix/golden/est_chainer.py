from azureml.core import Workspace
from azureml.train.dnn import Chainer

ws = Workspace.from_config()
est = Chainer(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
              framework_version="7.0.0", use_gpu=True, script_params={"--epochs": 3})
