# Forward the caller's Weights & Biases settings to the job.
import os

from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()

forwarded = {k: v for k, v in os.environ.items() if k.startswith("WANDB_")}
forwarded["WANDB_PROJECT"] = forwarded.get("WANDB_PROJECT", "timeseries")

est = PyTorch(source_directory="forecast",
              entry_script="train_tft.py",
              compute_target="gpu-cluster",
              script_params={"--max-epochs": 30, "--horizon": 24},
              pip_packages=["wandb==0.10.30", "pytorch-forecasting==0.8.4"],
              environment_variables=forwarded,
              framework_version="1.4",
              use_gpu=True,
              max_run_duration_seconds=4 * 3600)
Experiment(ws, "tft").submit(est)
