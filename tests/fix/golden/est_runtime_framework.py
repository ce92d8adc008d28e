"""framework_version and use_gpu from the command line, as argparse submit scripts had them."""
import argparse

from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch

parser = argparse.ArgumentParser()
parser.add_argument("--framework-version", default="1.5")
parser.add_argument("--gpu", action="store_true")
args = parser.parse_args([])

ws = Workspace.from_config()
est = PyTorch(source_directory="training", entry_script="train.py", compute_target="gpu-cluster",
              framework_version=args.framework_version, use_gpu=args.gpu, pip_packages=["Pillow", "torchvision==0.6.0"])
cpu_or_gpu = PyTorch(source_directory="training", entry_script="train.py", compute_target="gpu-cluster",
                     framework_version="1.6", use_gpu=args.gpu)
run = Experiment(ws, "runtime").submit(est)
