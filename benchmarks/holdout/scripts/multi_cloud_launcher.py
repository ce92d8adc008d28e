"""Launch the same training code on SageMaker or on Azure ML."""
import argparse

from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch as AzurePyTorch
from sagemaker.pytorch import PyTorch as SageMakerPyTorch

HYPERPARAMETERS = {"epochs": 8, "batch-size": 64, "lr": 3e-4}


def launch_aws(role, bucket):
    estimator = SageMakerPyTorch(entry_point="train.py",
                                 source_dir="src",
                                 role=role,
                                 framework_version="1.6.0",
                                 py_version="py3",
                                 instance_count=1,
                                 instance_type="ml.p3.2xlarge",
                                 hyperparameters=HYPERPARAMETERS)
    estimator.fit({"training": f"s3://{bucket}/cifar10"})
    return estimator.latest_training_job.name


def launch_azure(cluster):
    ws = Workspace.from_config()
    dataset = ws.datasets["cifar10"]
    estimator = AzurePyTorch(source_directory="src",
                             entry_script="train.py",
                             compute_target=cluster,
                             script_params={"--" + key: value for key, value in HYPERPARAMETERS.items()},
                             inputs=[dataset.as_named_input("training").as_mount()],
                             framework_version="1.6",
                             use_gpu=True)
    run = Experiment(ws, "cifar10-multicloud").submit(estimator)
    return run.id


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("cloud", choices=["aws", "azure"])
    parser.add_argument("--role")
    parser.add_argument("--bucket")
    parser.add_argument("--cluster", default="gpu-cluster")
    options = parser.parse_args()
    if options.cloud == "aws":
        print(launch_aws(options.role, options.bucket))
    else:
        print(launch_azure(options.cluster))
