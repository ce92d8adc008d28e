"""Nightly retraining: the feature job and the model job, both on the CPU cluster."""
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
cluster = ws.compute_targets["cpu-cluster"]
exp = Experiment(ws, "nightly-retrain")

features = Estimator(source_directory="./features",
                     entry_script="build_features.py",
                     compute_target=cluster,
                     conda_packages=["pandas=1.0.5", "pyarrow"],
                     pip_packages=["azureml-dataprep[pandas]"])
run = exp.submit(features)
run.wait_for_completion(show_output=True)

model = SKLearn(source_directory="./model",
                entry_script="train.py",
                script_params={"--alpha": 0.01, "--l1-ratio": 0.3, "--target": "churned"},
                compute_target=cluster,
                pip_packages=["lightgbm"])
run = exp.submit(model)
run.wait_for_completion(show_output=True)
print(run.get_metrics())
