"""The deprecated HyperDriveRunConfig, by keyword and by position, module-qualified too."""
from azureml.core import Experiment, Workspace
from azureml.train import hyperdrive as hd
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import HyperDriveRunConfig

ws = Workspace.from_config()
experiment = Experiment(ws, "legacy-tuning")
est = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                script_params={"--alpha": 0.1, "--epochs": 5})
space = hd.RandomParameterSampling({"alpha": hd.uniform(0.01, 1.0)})
by_keyword = HyperDriveRunConfig(estimator=est, hyperparameter_sampling=space, primary_metric_name="r2",
                                 primary_metric_goal=hd.PrimaryMetricGoal.MAXIMIZE, max_total_runs=10)
other = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster")
by_position = hd.HyperDriveRunConfig(other, hd.GridParameterSampling({"--depth": hd.choice(2, 4)}), "r2",
                                     hd.PrimaryMetricGoal.MAXIMIZE, 4)
for config in (by_keyword, by_position):
    experiment.submit(config)
