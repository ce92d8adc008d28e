"""A trainer class, as MLOps repositories wrapped the estimator (values from self. attributes)."""
import logging

from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch

log = logging.getLogger(__name__)


class Trainer:
    def __init__(self, workspace, compute_name, experiment_name, script_params=None, gpu=True):
        self.workspace = workspace
        self.compute = ComputeTarget(workspace=workspace, name=compute_name)
        self.experiment = Experiment(workspace, experiment_name)
        self.script_params = dict(script_params or {})
        self.gpu = gpu
        self.estimator = None

    def build_estimator(self):
        self.estimator = PyTorch(
            source_directory="training",
            entry_script="train.py",
            script_params=self.script_params,
            compute_target=self.compute,
            use_gpu=self.gpu,
            framework_version="1.6",
            pip_packages=["pytorch-lightning==0.8.5"],
        )
        return self.estimator

    def submit(self):
        if self.estimator is None:
            self.build_estimator()
        self.estimator.conda_dependencies.add_pip_package("azureml-mlflow")
        run = self.experiment.submit(self.estimator)
        log.info("submitted %s", run.id)
        return run


ws = Workspace.from_config()
trainer = Trainer(ws, "gpu-cluster", "lightning", {"--epochs": 5, "--lr": 0.01})
run = trainer.submit()
