# Hyperparameter tuning with HyperDrive: random sampling, a Bandit policy, a registered dataset mounted.
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling,
                                      choice, loguniform)

ws = Workspace.from_config()
train = Dataset.get_by_name(ws, "fashion-mnist", version=2)
env = Environment.get(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu")

src = ScriptRunConfig(source_directory="src", script="train.py",
                      arguments=["--data", train.as_named_input("train").as_mount(), "--learning-rate", 0.01,
                                 "--epochs", 15],
                      compute_target="gpu-cluster", environment=env)
src.run_config.environment_variables = {"OMP_NUM_THREADS": "4"}

sampling = RandomParameterSampling({"--learning-rate": loguniform(-6, -1), "--batch-size": choice(16, 32, 64)})
policy = BanditPolicy(slack_factor=0.15, evaluation_interval=1, delay_evaluation=10)
hd_config = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling, policy=policy,
                             primary_metric_name="val_accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                             max_total_runs=40, max_concurrent_runs=8, max_duration_minutes=240)
hd_run = Experiment(ws, "fashion-hd").submit(hd_config)
hd_run.wait_for_completion(show_output=True)
