# An MPI (Horovod) training job on a blob-store mount, shaped like the azureml-examples v1 workflows.
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration, MpiConfiguration

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
mnist = datastore.path("mnist/raw").as_mount()

env = Environment.from_conda_specification("horovod-env", "envs/horovod.yml")
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
env.environment_variables = {"HOROVOD_FUSION_THRESHOLD": "67108864"}

src = ScriptRunConfig(
    source_directory="./src",
    script="train_hvd.py",
    arguments=["--data-dir", str(mnist), "--epochs", 10, "--lr", 0.01, "--fp16", True],
    compute_target="gpu-cluster",
    environment=env,
    distributed_job_config=MpiConfiguration(process_count_per_node=4, node_count=2),
    docker_runtime_config=DockerConfiguration(use_docker=True, shm_size="16g"),
    max_run_duration_seconds=7200,
)
src.run_config.data_references = {mnist.data_reference_name: mnist.to_config()}
src.run_config.environment_variables = {"NCCL_DEBUG": "INFO"}

run = Experiment(ws, "mnist-horovod").submit(src)
print(run.get_portal_url())
run.wait_for_completion(show_output=True)
