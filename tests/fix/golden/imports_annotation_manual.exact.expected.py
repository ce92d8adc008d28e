from azureml.core import ScriptRunConfig, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()


def describe(job: Estimator) -> str:
    return job.run_config.script
