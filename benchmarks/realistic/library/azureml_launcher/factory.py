"""One entry point for every framework we train with."""
from azureml.train.dnn import PyTorch, TensorFlow
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

DEFAULT_SOURCE = "training"


def get_estimator(ws, compute, params, framework="pytorch", entry_script="train.py", source_directory=None):
    """Build the estimator for ``framework`` with ``params`` as its script parameters."""
    source_directory = source_directory or DEFAULT_SOURCE
    print(f"building a {framework} estimator in {ws.name}")
    if framework == "pytorch":
        return PyTorch(source_directory=source_directory,
                       entry_script=entry_script,
                       script_params=params,
                       compute_target=compute,
                       framework_version="1.5",
                       use_gpu=True)
    elif framework == "tensorflow":
        return TensorFlow(source_directory=source_directory,
                          entry_script=entry_script,
                          script_params=params,
                          compute_target=compute,
                          framework_version="2.1",
                          use_gpu=True)
    elif framework == "sklearn":
        return SKLearn(source_directory=source_directory,
                       entry_script=entry_script,
                       script_params=params,
                       compute_target=compute)
    return Estimator(source_directory=source_directory,
                     entry_script=entry_script,
                     script_params=params,
                     compute_target=compute,
                     conda_packages=["numpy", "pandas"])
