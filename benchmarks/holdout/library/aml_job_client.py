"""A small client that submits detection experiments to Azure ML from the team's command line."""
import logging
from pprint import pformat

import yaml


def load_client(**overrides):
    with open("./aux_data/aml/aml.yaml") as handle:
        settings = yaml.safe_load(handle)
    settings.update(overrides)
    return AmlJobClient(**settings)


class AmlJobClient:
    def __init__(self, storage, docker, datastore_name, aml_config, use_custom_docker,
                 compute_target, source_directory, entry_script, num_gpu=4, experiment_name="detection"):
        from azureml.core import Datastore, Experiment, Workspace

        self.docker = docker
        self.num_gpu = num_gpu
        self.source_directory = source_directory
        self.entry_script = entry_script
        self.use_custom_docker = use_custom_docker

        ws = Workspace.from_config(aml_config)
        self.ws = ws
        self.compute_target = ws.compute_targets[compute_target]
        ds = Datastore.register_azure_blob_container(workspace=ws,
                                                     datastore_name=datastore_name,
                                                     container_name=storage["container"],
                                                     account_name=storage["account"],
                                                     account_key=storage["key"])
        self.code_path = ds.path(storage["code_path"]).as_mount()
        self.data_folder = ds.path(storage["data_folder"]).as_mount()
        self.output_folder = ds.path(storage["output_folder"]).as_mount()
        self.experiment = Experiment(ws, name=experiment_name)

    def submit(self, cmd, num_gpu=None):
        script_params = {
            "--code_path": self.code_path,
            "--data_folder": self.data_folder,
            "--output_folder": self.output_folder,
            "--command": cmd,
        }

        import azureml
        from azureml.core.runconfig import MpiConfiguration
        from azureml.train.dnn import PyTorch
        from azureml.train.estimator import Estimator

        env = azureml.core.runconfig.EnvironmentDefinition()
        env.docker.enabled = True
        env.docker.base_image = self.docker["image"]
        env.python.interpreter_path = "/opt/conda/bin/python"
        env.python.user_managed_dependencies = True
        env.environment_variables["NCCL_TREE_THRESHOLD"] = "0"

        mpi_config = MpiConfiguration()
        if num_gpu is None:
            num_gpu = self.num_gpu
        if num_gpu <= 4:
            mpi_config.process_count_per_node = num_gpu
            node_count = 1
        else:
            assert num_gpu % 4 == 0
            mpi_config.process_count_per_node = 4
            node_count = num_gpu // 4

        if self.use_custom_docker:
            job = Estimator(source_directory=self.source_directory,
                            compute_target=self.compute_target,
                            script_params=script_params,
                            entry_script=self.entry_script,
                            environment_definition=env,
                            node_count=node_count,
                            distributed_training=mpi_config)
        else:
            job = PyTorch(source_directory=self.source_directory,
                          compute_target=self.compute_target,
                          script_params=script_params,
                          entry_script=self.entry_script,
                          environment_definition=env,
                          node_count=node_count,
                          distributed_training=mpi_config)

        run = self.experiment.submit(job)
        logging.info("job id = %s, cmd = %s", run.id, cmd)
        return run

    def query(self):
        runs = list(self.experiment.get_runs())
        logging.info(pformat([(r.id, r.status) for r in runs]))
        return runs
