from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
ds = ws.get_default_datastore()
train_ref = ds.path("mnist/train").as_mount()
est_data = ds.path("mnist/test").as_mount()
est_env = Environment('est-env')
est_env.spark.precache_packages = False
est_input = ds.path("mnist/labels").as_download()
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                      arguments=["--train", str(train_ref), "--test", str(est_data)],
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.data_references.update({est_input.data_reference_name: est_input.to_config(), train_ref.data_reference_name: train_ref.to_config(), est_data.data_reference_name: est_data.to_config()})
