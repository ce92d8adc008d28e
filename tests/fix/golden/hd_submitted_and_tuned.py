"""An estimator submitted on its own first, then tuned by HyperDrive (the PyTorch tutorial's shape)."""
from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling,
                                      uniform)

ws = Workspace.from_config()
experiment = Experiment(ws, "fowl")
script_params = {"--num_epochs": 30, "--output_dir": "./outputs", "--learning_rate": 0.001, "--momentum": 0.9}
estimator = PyTorch(source_directory="training", script_params=script_params, compute_target="gpu-cluster",
                    entry_script="pytorch_train.py", use_gpu=True, pip_packages=["pillow==5.4.1"])
run = experiment.submit(estimator)

sampling = RandomParameterSampling({"--learning_rate": uniform(0.0005, 0.005), "--momentum": uniform(0.9, 0.99)})
policy = BanditPolicy(slack_factor=0.15, evaluation_interval=1, delay_evaluation=10)
hyperdrive_config = HyperDriveConfig(estimator=estimator, hyperparameter_sampling=sampling, policy=policy,
                                     primary_metric_name="best_val_acc", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                                     max_total_runs=8, max_concurrent_runs=4)
hyperdrive_run = experiment.submit(hyperdrive_config)
