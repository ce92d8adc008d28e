"""Start JupyterLab (or a Dask cluster) on Azure ML compute and tunnel to it."""
import time

from azureml.core import Experiment
from azureml.core.runconfig import MpiConfiguration
from azureml.train.estimator import Estimator


def wait_for_metric(run, name):
    while run.get_status() not in ("Canceled", "Failed") and name not in run.get_metrics():
        print(".", end="", flush=True)
        time.sleep(5)
    if run.get_status() in ("Canceled", "Failed"):
        raise RuntimeError("the Azure ML run stopped before {} was reported".format(name))
    return run.get_metrics()[name]


def start_jupyter(ws, ct, env, exp_name, script_params, path, tags):
    exp = Experiment(ws, exp_name)
    estimator = Estimator(path,
                          compute_target=ct,
                          entry_script="start_jupyter.py",
                          environment_definition=env,
                          script_params=script_params,
                          node_count=1,
                          use_docker=True)
    run = exp.submit(estimator, tags=tags)
    print("Waiting for the notebook server")
    token = wait_for_metric(run, "token")
    return run, token


def start_dask(ws, ct, env, exp_name, workers, path):
    exp = Experiment(ws, exp_name)
    estimator = Estimator(path,
                          compute_target=ct,
                          entry_script="start_dask.py",
                          environment_definition=env,
                          script_params={"--scheduler-port": 8786, "--dashboard-port": 8787},
                          node_count=workers + 1,
                          distributed_training=MpiConfiguration())
    run = exp.submit(estimator)
    return run, wait_for_metric(run, "scheduler")
