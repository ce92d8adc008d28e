"""HyperDrive over a PyTorch estimator, and the same estimator in a pipeline step."""
from azureml.core import Experiment, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import EstimatorStep
from azureml.train.dnn import PyTorch
from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling, uniform

ws = Workspace.from_config()
experiment = Experiment(ws, "tune")

est = PyTorch(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
              script_params={"--lr": 0.1, "--epochs": 20}, framework_version="1.6", use_gpu=True)
sampling = RandomParameterSampling({"lr": uniform(0.001, 0.1)})
hd = HyperDriveConfig(estimator=est, hyperparameter_sampling=sampling, primary_metric_name="accuracy",
                      primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=8)
run = experiment.submit(hd)

step_est = PyTorch(source_directory="src", entry_script="score.py", compute_target="gpu-cluster",
                   framework_version="1.6", use_gpu=True)
step = EstimatorStep(name="score", estimator=step_est, estimator_entry_script_arguments=["--mode", "eval"],
                     compute_target="gpu-cluster", allow_reuse=False)
pipeline = Pipeline(workspace=ws, steps=[step])
