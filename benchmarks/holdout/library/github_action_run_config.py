"""Run configuration loaded by the team's CI action: it calls main(workspace) and submits what it returns."""
from azureml.core import ComputeTarget
from azureml.train.estimator import Estimator


def main(workspace):
    print("Loading compute target")
    compute_target = ComputeTarget(workspace=workspace, name="cpu-cluster")

    print("Loading script parameters")
    script_params = {
        "--kernel": "rbf",
        "--penalty": 0.7,
    }

    print("Creating experiment config")
    estimator = Estimator(
        source_directory="./jobs/svm",
        entry_script="train.py",
        script_params=script_params,
        compute_target=compute_target,
        conda_dependencies_file="environment.yml",
    )
    return estimator
