"""A factory builds the estimator; its callers configure what they get before submitting it."""
import logging

from azureml.core import Experiment, Workspace
from azureml.train.dnn import TensorFlow
from azureml.train.estimator import Estimator

log = logging.getLogger("submit")


def make_estimator(learning_rate):
    estimator = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                          script_params={"--lr": learning_rate, "--epochs": 5}, pip_packages=["pandas"])
    return estimator


def tf_job():
    return TensorFlow(source_directory="training", entry_script="tf_train.py", compute_target="gpu-cluster",
                      framework_version="2.2", use_gpu=True)


ws = Workspace.from_config()
experiment = Experiment(ws, "factories")
est = make_estimator(0.01)
est.conda_dependencies.add_pip_package("scipy")
log.info("arguments: %s", est.run_config.arguments)
experiment.submit(est)
job = tf_job()
job._estimator_config.environment.python.interpreter_path = "/usr/bin/python3"
experiment.submit(job)
