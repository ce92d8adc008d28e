# A sweep written with HyperDriveConfig's positional parameters.
from azureml.core import Experiment, Workspace
from azureml.train.dnn import TensorFlow
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal,
                                      RandomParameterSampling, choice, loguniform)

ws = Workspace.from_config()
target = ws.compute_targets["gpu-cluster"]

est = TensorFlow(source_directory="keras_cnn",
                 entry_script="cnn.py",
                 compute_target=target,
                 script_params={"--epochs": 15},
                 framework_version="2.1",
                 use_gpu=True)

sampling = RandomParameterSampling({"--lr": loguniform(-6, -2), "--dropout": choice(0.1, 0.3, 0.5)})
policy = BanditPolicy(evaluation_interval=1, slack_factor=0.15)

config = HyperDriveConfig(sampling, "val_accuracy", PrimaryMetricGoal.MAXIMIZE, 24, 4, 240, policy, est)
Experiment(ws, "cnn-sweep").submit(config)
