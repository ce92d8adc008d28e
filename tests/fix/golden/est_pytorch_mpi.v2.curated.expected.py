from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, MpiConfiguration

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")

estimator_env = Environment.get(ws, 'AzureML-PyTorch-1.6-GPU').clone('estimator-env')
estimator_env.python.conda_dependencies.add_pip_package("pillow==8.0.0")
estimator_env.python.conda_dependencies.add_pip_package("torchvision==0.7.0")
estimator_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
estimator = ScriptRunConfig(source_directory="src",
                            script="train.py",
                            arguments=["--lr", 0.01, "--batch-size", 64],
                            compute_target=cluster,
                            environment=estimator_env,
                            distributed_job_config=MpiConfiguration(process_count_per_node=4, node_count=2),
                            docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                            max_run_duration_seconds=None)
estimator_store = ws.datastores['workspaceblobstore']
estimator.run_config.source_directory_data_store = estimator_store.name
estimator.run_config.data_references[estimator_store.name] = estimator_store.as_mount().to_config()
