"""The Azure ML backend of our experiment runner: turns a job spec into estimator runs."""
import shlex

from azureml.core import Experiment
from azureml.train.dnn import PyTorch
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import (
    BayesianParameterSampling,
    GridParameterSampling,
    HyperDriveConfig,
    PrimaryMetricGoal,
    RandomParameterSampling,
)


class AzureMLBackend:
    def __init__(self, workspace, config):
        self.workspace = workspace
        self.config = config

    def create_estimator(self, job_id, compute_target, cmd_line, framework, docker_image=None):
        cmd_parts = shlex.split(cmd_line)
        entry_script = cmd_parts[0]
        script_params = {}
        for i, part in enumerate(cmd_parts[1:]):
            if part.startswith("--") and "=" in part:
                key, value = part.split("=", 1)
                script_params[key] = value
            else:
                script_params[f"--arg{i}"] = part
        script_params["--job_id"] = job_id

        if framework == "pytorch":
            estimator = PyTorch(source_directory=self.config["code_dir"],
                                script_params=script_params,
                                compute_target=compute_target,
                                entry_script=entry_script,
                                framework_version=self.config.get("pytorch_version", "1.4"),
                                use_gpu=self.config.get("use_gpu", True),
                                pip_packages=self.config.get("pip_packages"))
        else:
            estimator = Estimator(source_directory=self.config["code_dir"],
                                  script_params=script_params,
                                  compute_target=compute_target,
                                  entry_script=entry_script,
                                  custom_docker_image=docker_image,
                                  use_gpu=self.config.get("use_gpu", False),
                                  user_managed=docker_image is not None)
        return estimator

    def create_hyperdrive_trainer(self, estimator, hd_dict, search_type, metric_name, maximize_metric,
                                  max_total_runs, max_concurrent_runs, max_minutes):
        if search_type == "random":
            ps = RandomParameterSampling(hd_dict)
        elif search_type == "grid":
            ps = GridParameterSampling(hd_dict)
        elif search_type == "bayesian":
            ps = BayesianParameterSampling(hd_dict)
        else:
            raise ValueError("Azure ML Hyperdrive search_type not supported: " + search_type)

        max_concurrent_runs = min(max_total_runs, max_concurrent_runs)
        trainer = HyperDriveConfig(estimator=estimator,
                                   hyperparameter_sampling=ps,
                                   primary_metric_name=metric_name,
                                   primary_metric_goal=PrimaryMetricGoal.MAXIMIZE if maximize_metric
                                   else PrimaryMetricGoal.MINIMIZE,
                                   max_total_runs=max_total_runs,
                                   max_concurrent_runs=max_concurrent_runs,
                                   max_duration_minutes=max_minutes)
        return trainer

    def submit(self, job_id, compute_target, cmd_line, framework="pytorch", hyperdrive=None):
        estimator = self.create_estimator(job_id, compute_target, cmd_line, framework)
        config = estimator
        if hyperdrive:
            config = self.create_hyperdrive_trainer(estimator, **hyperdrive)
        return Experiment(self.workspace, self.config["experiment"]).submit(config)
