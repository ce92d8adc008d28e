from azureml.core import Workspace
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
est = SKLearn(source_directory="src", entry_script="train.py", compute_target="cpu-cluster",
              script_params={"--kernel": "linear", "--penalty": 1.0},
              pip_packages=["scikit-learn==0.22.2", "joblib"])
