"""Submit the image classifier to the GPU cluster.

usage: python submit_pytorch_argparse.py --dataset flowers102 --epochs 30 --gpu
"""
import argparse

from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch


def parse_args():
    parser = argparse.ArgumentParser(description="submit a training run")
    parser.add_argument("--dataset", default="flowers102")
    parser.add_argument("--cluster", default="gpu-nc6")
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--batch-size", dest="batch_size", type=int, default=64)
    parser.add_argument("--framework-version", dest="framework_version", default="1.5")
    parser.add_argument("--gpu", action="store_true")
    parser.add_argument("--experiment", default="flowers-resnet")
    return parser.parse_args()


args = parse_args()
ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name=args.cluster)

train_ds = ws.datasets[args.dataset]

script_params = {
    "--data-dir": train_ds.as_named_input("images").as_download(),
    "--epochs": args.epochs,
    "--learning-rate": args.lr,
    "--batch-size": args.batch_size,
}

estimator = PyTorch(
    source_directory="./src",
    entry_script="train_classifier.py",
    script_params=script_params,
    compute_target=cluster,
    framework_version=args.framework_version,
    use_gpu=args.gpu,
    pip_packages=["torchvision==0.6.0", "pillow", "azureml-dataprep[fuse]"],
)

run = Experiment(ws, args.experiment).submit(estimator)
print("submitted", run.id)
print(run.get_portal_url())
run.wait_for_completion(show_output=True)
