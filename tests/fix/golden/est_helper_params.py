"""A helper that builds the estimator from a params dict it is given (ml_service/util style)."""
import os

from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator


def get_estimator(ws, compute, params, entry_script="train.py"):
    datastore = ws.get_default_datastore()
    params = dict(params)
    params["--data-folder"] = datastore.path("diabetes").as_mount()
    return Estimator(source_directory="training",
                     entry_script=entry_script,
                     script_params=params,
                     compute_target=compute,
                     conda_packages=["scikit-learn"],
                     pip_packages=["azureml-dataprep[pandas,fuse]"])


ws = Workspace.from_config()
compute = ws.compute_targets[os.environ.get("AML_COMPUTE", "cpu-cluster")]
estimator = get_estimator(ws, compute, {"--alpha": 0.5, "--fast": ""})
run = Experiment(ws, "diabetes").submit(estimator)
