from azureml.core import Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()


def make_estimator(source_dir, entry, **kwargs):
    # everything else (compute, packages, script_params...) comes from the caller
    return Estimator(source_directory=source_dir, entry_script=entry, **kwargs)


est = make_estimator("src", "train.py", compute_target="cpu-cluster")
