"""script_params completed after its literal (conditionally too), and use_gpu known only at run time."""
from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
train = datastore.path("train").as_mount()
on_gpu = True

params = {"--alpha": 0.5, "--layers": [64, 32], "--choices": {"a": 1}}
params["--data"] = str(train)
if on_gpu:
    params["--device"] = "cuda"
    params["--fp16"] = ""
params["--seed"] = None

est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04' if on_gpu else 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1'
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      arguments=[item for key, value in params.items() for item in (key, *(value if isinstance(value, (list, tuple, set, dict)) else [value])) if item is not None and item != ''], environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
est.run_config.data_references = {train.data_reference_name: train.to_config()}
