# Horovod + Adasum on two nodes, environment built with the pre-1.0 runconfig helpers.
from azureml.core import Experiment, Workspace, runconfig
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.train.estimator import Estimator

ws = Workspace.from_config("config_aml.json")
experiment = Experiment(ws, name="mnist-adasum")

gpu_cluster_name = "nc24rs-v3"
try:
    gpu_compute_target = ComputeTarget(workspace=ws, name=gpu_cluster_name)
    print("Found existing compute target.")
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(vm_size="Standard_NC24rs_v3", min_nodes=0, max_nodes=2)
    gpu_compute_target = ComputeTarget.create(ws, gpu_cluster_name, config)
    gpu_compute_target.wait_for_completion(show_output=True)

mpi = runconfig.MpiConfiguration()
mpi.process_count_per_node = 4

docker = runconfig.DockerSection()
docker.enabled = True

deps = runconfig.CondaDependencies()
deps.add_channel("pytorch")
deps.add_conda_package("pytorch")
deps.add_conda_package("torchvision")
deps.add_pip_package("horovod")

env_def = runconfig.EnvironmentDefinition()
env_def.docker = docker
env_def.python.conda_dependencies = deps
env_def.environment_variables = {
    "I_MPI_FABRICS": "shm:dapl",
    "I_MPI_DAPL_PROVIDER": "ofa-v2-ib0",
    "I_MPI_DYNAMIC_CONNECTION": "0",
}

estimator = Estimator(
    source_directory=".",
    compute_target=gpu_compute_target,
    node_count=2,
    distributed_training=mpi,
    environment_definition=env_def,
    entry_script="mnist_adasum.py",
)

run = experiment.submit(estimator)
print(run.get_portal_url())
