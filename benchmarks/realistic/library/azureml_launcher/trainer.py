import logging
from typing import Dict, Optional

from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch

log = logging.getLogger(__name__)


class AzureMLTrainer:
    """Wraps the PyTorch estimator so notebooks only say what to train and where."""

    def __init__(self, workspace: Workspace, compute_name: str, experiment_name: str,
                 source_dir: str = "src", entry_script: str = "train.py",
                 script_params: Optional[Dict[str, object]] = None, gpu: bool = True):
        self.workspace = workspace
        self.compute = ComputeTarget(workspace=workspace, name=compute_name)
        self.experiment = Experiment(workspace, experiment_name)
        self.source_dir = source_dir
        self.entry_script = entry_script
        self.script_params = dict(script_params or {})
        self.gpu = gpu
        self.estimator = None
        self.run = None

    def build_estimator(self):
        self.estimator = PyTorch(
            source_directory=self.source_dir,
            entry_script=self.entry_script,
            script_params=self.script_params,
            compute_target=self.compute,
            use_gpu=self.gpu,
            framework_version="1.6",
            pip_packages=["pytorch-lightning==0.8.5", "azureml-mlflow"],
        )
        return self.estimator

    def submit(self, wait: bool = False):
        if self.estimator is None:
            self.build_estimator()
        self.run = self.experiment.submit(self.estimator)
        log.info("submitted %s", self.run.id)
        if wait:
            self.run.wait_for_completion(show_output=True)
        return self.run
