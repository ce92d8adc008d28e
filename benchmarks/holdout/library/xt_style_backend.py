"""Azure ML back end of an experiment tool: one estimator from a compute definition and a job spec."""
import os

from azureml.core import Experiment
from azureml.core.runconfig import MpiConfiguration
from azureml.train.estimator import Estimator


def safe_value(mapping, key, default=None):
    value = mapping.get(key) if mapping else None
    return default if value is None else value


class AzureMLBackend:
    def __init__(self, ws, compute_def, store):
        self.ws = ws
        self.compute_def = compute_def
        self.store = store

    def build_estimator(self, job, code_dir, target_fn, arg_parts):
        compute = self.compute_def
        actual_target = safe_value(compute, "target", "amlcompute")
        vm_size = safe_value(compute, "vm-size")
        node_count = int(safe_value(job, "nodes", 1))
        use_gpu = safe_value(compute, "sku", "cpu").startswith("g")
        aml_use_docker = safe_value(compute, "docker", True)
        docker_image = safe_value(compute, "image")
        user_managed = docker_image is not None
        conda_packages = safe_value(job, "conda-packages")
        pip_packages = safe_value(job, "pip-packages")
        fn_requirements = safe_value(job, "requirements")
        max_secs = safe_value(job, "max-seconds")

        arg_dict = {}
        for part in arg_parts:
            name, _, value = part.partition("=")
            arg_dict[name] = value

        env_vars = {"XT_JOB_ID": job["id"], "XT_STORE": self.store}
        distributed_obj = MpiConfiguration() if node_count > 1 else None

        estimator = Estimator(source_directory=code_dir, script_params=arg_dict, compute_target=actual_target,
                              vm_size=vm_size, entry_script=target_fn, conda_packages=conda_packages,
                              pip_packages=pip_packages, pip_requirements_file=fn_requirements,
                              use_gpu=use_gpu, use_docker=aml_use_docker, user_managed=user_managed,
                              environment_variables=env_vars, node_count=node_count,
                              distributed_training=distributed_obj, max_run_duration_seconds=max_secs,
                              custom_docker_image=docker_image)
        return estimator

    def submit(self, job, code_dir, target_fn, arg_parts):
        estimator = self.build_estimator(job, code_dir, target_fn, arg_parts)
        experiment = Experiment(self.ws, name=job.get("experiment", os.environ.get("XT_EXPERIMENT", "xt")))
        return experiment.submit(estimator, tags={"xt": job["id"]})
