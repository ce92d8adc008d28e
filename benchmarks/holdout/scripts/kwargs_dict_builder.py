"""Train the segmentation model; keyword arguments are collected before the estimator is made."""
import argparse

from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch

parser = argparse.ArgumentParser()
parser.add_argument("--target", default="gpu-cluster")
parser.add_argument("--gpu", action="store_true")
parser.add_argument("--packages", default="")
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

ws = Workspace.from_config()

settings = dict(source_directory="segmentation",
                entry_script="train.py",
                compute_target=args.target,
                script_params={"--epochs": args.epochs})
if args.gpu:
    settings["use_gpu"] = True
    settings["framework_version"] = "1.6"
if args.packages:
    settings["pip_packages"] = args.packages.split(",")

est = PyTorch(**settings)
run = Experiment(ws, "segmentation").submit(est)
run.wait_for_completion(show_output=True)
