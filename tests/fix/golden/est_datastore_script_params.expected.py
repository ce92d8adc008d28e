"""A Datastore passed straight in script_params: the estimator mounted its root."""
from azureml.core import Environment, ScriptRunConfig, Datastore, Experiment, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
ds = ws.get_default_datastore()
archive = Datastore.get(ws, "archive")
est_data = ds.as_mount()
est_data_2 = archive.as_mount()
est_env = Environment.get(ws, 'AzureML-TensorFlow-2.1-GPU')
est = ScriptRunConfig(source_directory="training", script="tf_mnist.py", arguments=["--data-folder", str(est_data), "--archive", str(est_data_2), "--batch-size", 64],
                      compute_target="gpu-cluster", environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.data_references.update({est_data.data_reference_name: est_data.to_config(), est_data_2.data_reference_name: est_data_2.to_config()})
run = Experiment(ws, "tf-mnist").submit(est)
