"""Generic Estimator with packages, every script_params shape, env vars and docker settings."""
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()

# train on the CPU cluster
est = Estimator(
    source_directory="./src",
    entry_script="train.py",
    script_params={
        "--epochs": 10,
        "--flag-empty": "",
        "--flag-none": None,
        "--layers": [64, 32],
        "--nested": [1, "x", [2, 3]],
        "--choices": {"a": 1, "b": 2},
        "": "positional",
        "--on": True,
    },
    compute_target="cpu-cluster",
    pip_packages=["pandas", "scikit-learn==1.0"],
    conda_packages=["numpy"],
    environment_variables={"MODE": "train"},
    shm_size="8g",
    max_run_duration_seconds=3600,
)
