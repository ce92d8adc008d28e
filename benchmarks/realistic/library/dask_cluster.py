"""Start a Dask cluster on an AmlCompute cluster: one run for the scheduler, one for the workers."""
import logging
import os
import time

from azureml.core import Experiment
from azureml.core.runconfig import MpiConfiguration
from azureml.train.estimator import Estimator

logger = logging.getLogger(__name__)


class AzureMLDaskCluster:
    def __init__(self, workspace, compute_target, environment_definition, experiment_name="dask-cloudprovider",
                 initial_node_count=2, jupyter=False, datastores=None, tags=None):
        self.workspace = workspace
        self.compute_target = compute_target
        self.environment_definition = environment_definition
        self.experiment_name = experiment_name
        self.initial_node_count = initial_node_count
        self.datastores = datastores or []
        self.tags = tags or {}
        self.abs_path = os.path.dirname(os.path.abspath(__file__))
        self.scheduler_params = {"--jupyter": jupyter, "--code_store": "code"}
        self.worker_params = {"--nthreads": 4}
        self.scheduler_ip_port = None
        self.run = None
        self.workers_run = None

    def create_cluster(self):
        exp = Experiment(self.workspace, self.experiment_name)
        estimator = Estimator(
            os.path.join(self.abs_path, "setup"),
            compute_target=self.compute_target,
            entry_script="start_scheduler.py",
            environment_definition=self.environment_definition,
            script_params=self.scheduler_params,
            node_count=1,  # start only the scheduler
            distributed_training=MpiConfiguration(),
            use_docker=True,
            inputs=self.datastores,
        )
        self.run = exp.submit(estimator, tags=self.tags)

        logger.info("Waiting for scheduler node's IP")
        while self.run.get_status() not in ("Canceled", "Failed") and "scheduler" not in self.run.get_metrics():
            time.sleep(5)
        if self.run.get_status() in ("Canceled", "Failed"):
            raise Exception("Failed to start the AzureML cluster.")
        self.scheduler_ip_port = self.run.get_metrics()["scheduler"]
        self.worker_params["--scheduler_ip_port"] = self.scheduler_ip_port

    def scale_up(self, workers=1):
        exp = Experiment(self.workspace, self.experiment_name)
        worker_estimator = Estimator(
            os.path.join(self.abs_path, "setup"),
            compute_target=self.compute_target,
            entry_script="start_worker.py",
            environment_definition=self.environment_definition,
            script_params=self.worker_params,
            node_count=workers,
            distributed_training=MpiConfiguration(),
            use_docker=True,
            inputs=self.datastores,
        )
        self.workers_run = exp.submit(worker_estimator, tags=self.tags)
        return self.workers_run

    def close(self):
        for run in (self.workers_run, self.run):
            if run is not None:
                run.cancel()
