"""Hand-written HyperDrive: a ScriptRunConfig tuned with random sampling and a Bandit policy."""
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling,
                                      choice, loguniform)

ws = Workspace.from_config()
env = Environment.from_pip_requirements("keras-env", "training/requirements.txt")
src = ScriptRunConfig(source_directory="training", script="keras_train.py",
                      arguments=["--learning-rate", 0.01, "--batch-size", 64, "--epochs", 30],
                      compute_target="gpu-cluster", environment=env)

sampling = RandomParameterSampling({
    "--learning-rate": loguniform(-6, -1),
    "--batch-size": choice(16, 32, 64, 128),
})
policy = BanditPolicy(slack_factor=0.1, evaluation_interval=2, delay_evaluation=5)
hyperdrive = HyperDriveConfig(run_config=src,
                              hyperparameter_sampling=sampling,
                              policy=policy,
                              primary_metric_name="val_accuracy",
                              primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=40,
                              max_concurrent_runs=4,
                              max_duration_minutes=180)
hyperdrive_run = Experiment(ws, "keras-tuning").submit(hyperdrive)
hyperdrive_run.wait_for_completion(show_output=True)
