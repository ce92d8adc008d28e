from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, TensorflowConfiguration

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
est_env = Environment.get(ws, 'AzureML-TensorFlow-2.0-GPU').clone('est-env')
est_env.python.conda_dependencies.add_pip_package("pandas")
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target=cluster, environment=est_env,
                      distributed_job_config=TensorflowConfiguration(worker_count=2, parameter_server_count=1),
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est_store = ws.datastores['workspaceblobstore']
est.run_config.source_directory_data_store = est_store.name
est.run_config.data_references[est_store.name] = est_store.as_mount().to_config()
