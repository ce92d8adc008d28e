"""Helpers of the video scoring project: workspace, private datastore, mounts, estimator, sweep."""
from azureml.core import Datastore, RunConfiguration
from azureml.core.workspace import Workspace
from azureml.train.dnn import TensorFlow
from azureml.train.estimator import *  # noqa: F401,F403
from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling


def create_workspace():
    return Workspace.from_config()


def create_run_configuration(config):
    rc = RunConfiguration()
    rc.environment.docker.enabled = True
    rc.environment.docker.base_image = config["image_registry"]["base_image"]
    rc.environment.docker.base_image_registry.address = config["image_registry"]["address"]
    rc.environment.docker.base_image_registry.username = config["image_registry"]["username"]
    rc.environment.docker.base_image_registry.password = config["image_registry"]["password"]
    rc.environment.python.user_managed_dependencies = True
    rc.environment.python.interpreter_path = "/usr/bin/python3"
    return rc


def create_random_sampling():
    return RandomParameterSampling({})


def create_mount(ds, placeholder, path):
    ds.upload(src_dir=placeholder, target_path="./" + path)
    return ds.path(path).as_mount()


def create_private_ds(config, ws):
    section = config["experiment"]
    return Datastore.register_azure_blob_container(workspace=ws,
                                                   datastore_name=section["data_store_name"],
                                                   container_name=section["storage_container"],
                                                   account_name=section["storage_account"],
                                                   account_key=section["storage_account_key"],
                                                   create_if_not_exists=True)


# one estimator per compute target; `self` is the run context object of the caller
def create_estimator(self, ct):
    print("creating an estimator")
    est = TensorFlow(source_directory=self.project_folder,
                     script_params=self.script_params,
                     compute_target=ct,
                     entry_script=self.entry_script,
                     environment_definition=self.rc.environment,
                     source_directory_data_store=self.ds)
    return est


def create_hyper_drive(self, est):
    return HyperDriveConfig(estimator=est,
                            hyperparameter_sampling=self.ps,
                            primary_metric_name="wsc",
                            primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                            max_total_runs=self.cluster_size,
                            max_concurrent_runs=self.cluster_size)
