"""A hand-rolled sweep: one estimator per value of a list written out, appended and submitted in loops."""
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
exp = Experiment(ws, "manual-lr-sweep")
learning_rates = [0.3, 0.1, 0.03]

estimators = []
for lr in learning_rates:
    estimators.append(Estimator(source_directory="training",
                                entry_script="train.py",
                                compute_target="cpu-cluster",
                                conda_packages=["py-xgboost=0.90"],
                                script_params={"--eta": lr, "--rounds": 400}))

for seed in (1, 2):
    estimators.append(Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                                script_params={"--seed": seed, "--tag": f"seed-{seed}"}))

runs = [exp.submit(est) for est in estimators]
