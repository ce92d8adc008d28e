from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, TensorflowConfiguration

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
est_env.python.conda_dependencies.set_python_version('3.6.2')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow==1.13.1', 'horovod==0.16.1'])
est_env.python.conda_dependencies.add_conda_package("cmake")
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target=cluster, environment=est_env,
                      distributed_job_config=TensorflowConfiguration(worker_count=3, parameter_server_count=1),
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.node_count = 2
est_store = ws.datastores['workspaceblobstore']
est.run_config.source_directory_data_store = est_store.name
est.run_config.data_references[est_store.name] = est_store.as_mount().to_config()
