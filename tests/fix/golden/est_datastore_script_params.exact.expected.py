"""A Datastore passed straight in script_params: the estimator mounted its root."""
from azureml.core import Environment, ScriptRunConfig, Datastore, Experiment, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
ds = ws.get_default_datastore()
archive = Datastore.get(ws, "archive")
est_data = ds.as_mount()
est_data_2 = archive.as_mount()
est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1'
est_env.python.conda_dependencies.set_python_version('3.6.2')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'tensorflow-gpu==2.1.0', 'horovod==0.19.1'])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="training", script="tf_mnist.py", arguments=["--data-folder", str(est_data), "--archive", str(est_data_2), "--batch-size", 64],
                      compute_target="gpu-cluster", environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.data_references.update({est_data.data_reference_name: est_data.to_config(), est_data_2.data_reference_name: est_data_2.to_config()})
run = Experiment(ws, "tf-mnist").submit(est)
