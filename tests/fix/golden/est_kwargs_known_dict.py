"""Keyword arguments gathered in a dict first, as wrappers of the 2020 samples did."""
from azureml.core import Workspace
from azureml.train.dnn import TensorFlow
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
settings = {"compute_target": "cpu-cluster", "pip_packages": ["pandas"]}
est = Estimator(source_directory="src", entry_script="train.py", **settings)

common = dict(compute_target="gpu-cluster", use_gpu=True, framework_version="2.0")
tf_est = TensorFlow("tf-src", entry_script="mnist.py", script_params={"--epochs": 3}, **common)
