from azureml.core import Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
settings = {"compute_target": "cpu-cluster"}
est = Estimator(source_directory="src", entry_script="train.py", **settings)
