import os

from azureml.core.runconfig import RunConfiguration
from azureml.pipeline.steps import HyperDriveStep
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import HyperDriveRunConfig, PrimaryMetricGoal

from . import compute


class VwSweep(HyperDriveStep):
    """A Vowpal Wabbit parameter sweep as one pipeline step."""

    def __init__(self, workspace, param_grid, input_folder, base_command, jobs_limit=64, parallel_jobs=16):
        dir_path = os.path.dirname(os.path.realpath(__file__))

        config = RunConfiguration()
        config.environment.docker.enabled = True
        config.environment.docker.base_image = "vwlab/vw-runtime:8.8"
        config.environment.python.user_managed_dependencies = True

        est = Estimator(source_directory=os.path.join(dir_path, "scripts"),
                        script_params={},
                        compute_target=compute.get_or_create_aml_compute_target(workspace, "vw",
                                                                                vm_size="Standard_DS1_v2",
                                                                                max_nodes=64),
                        entry_script="vw_estimate.py",
                        environment_definition=config.environment)

        hd_config = HyperDriveRunConfig(estimator=est,
                                        hyperparameter_sampling=param_grid,
                                        policy=None,
                                        primary_metric_name="average loss",
                                        primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
                                        max_total_runs=jobs_limit,
                                        max_concurrent_runs=parallel_jobs)

        self.input = input_folder
        super().__init__(name="Sweep [vw]",
                         hyperdrive_run_config=hd_config,
                         estimator_entry_script_arguments=["--input_folder", input_folder,
                                                           "--base_command", base_command],
                         inputs=[input_folder])
