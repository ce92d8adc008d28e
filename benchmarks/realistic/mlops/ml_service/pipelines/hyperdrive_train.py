"""Hyperparameter search for the text classifier, as a HyperDriveStep of the training pipeline."""
from azureml.core import Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import HyperDriveStep
from azureml.train.dnn import PyTorch
from azureml.train.hyperdrive import (
    BanditPolicy,
    HyperDriveConfig,
    PrimaryMetricGoal,
    RandomParameterSampling,
    choice,
    uniform,
)

from ml_service.util.attach_compute import get_compute
from ml_service.util.env_variables import Env


def get_estimator(ws, compute, params):
    """The training job every HyperDrive child runs; ``params`` are its fixed arguments."""
    est = PyTorch(
        source_directory="text_classifier/training",
        entry_script="train.py",
        script_params=params,
        compute_target=compute,
        framework_version="1.6",
        use_gpu=True,
        pip_packages=["transformers==3.0.2", "azureml-dataprep[fuse]"],
    )
    print("estimator for", ws.name, "on", compute.name)
    return est


def main():
    e = Env()
    ws = Workspace.get(name=e.workspace_name, subscription_id=e.subscription_id,
                       resource_group=e.resource_group)
    compute = get_compute(ws, e.compute_name, e.vm_size)
    datastore = ws.get_default_datastore()

    fixed = {"--num_epochs": 4, "--max_len": 256, "--data_dir": datastore.path("tickets/v3").as_mount()}
    est = get_estimator(ws, compute, fixed)

    sampling = RandomParameterSampling({
        "--learning_rate": uniform(1e-5, 1e-4),
        "--batch_size": choice(16, 32),
    })
    hd_config = HyperDriveConfig(estimator=est,
                                 hyperparameter_sampling=sampling,
                                 policy=BanditPolicy(evaluation_interval=1, slack_factor=0.1),
                                 primary_metric_name="val_f1",
                                 primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                                 max_total_runs=e.max_total_runs,
                                 max_concurrent_runs=e.max_concurrent_runs)

    metrics = PipelineData("metrics", datastore=datastore)
    tune_step = HyperDriveStep(name="tune", hyperdrive_config=hd_config, outputs=[metrics], allow_reuse=False)
    Pipeline(workspace=ws, steps=[tune_step]).publish(name=e.pipeline_name + "-hd")


if __name__ == "__main__":
    main()
