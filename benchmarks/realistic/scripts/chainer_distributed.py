from azureml.core import Experiment, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.core.compute_target import ComputeTargetException
from azureml.train.dnn import Chainer, Mpi

ws = Workspace.from_config()

cluster_name = "gpu-cluster"
try:
    compute_target = ComputeTarget(workspace=ws, name=cluster_name)
    print("Found existing compute target.")
except ComputeTargetException:
    print("Creating a new compute target...")
    compute_config = AmlCompute.provisioning_configuration(vm_size="STANDARD_NC6", max_nodes=4)
    compute_target = ComputeTarget.create(ws, cluster_name, compute_config)
    compute_target.wait_for_completion(show_output=True, min_node_count=None, timeout_in_minutes=20)

estimator = Chainer(source_directory="./chainer-distr",
                    compute_target=compute_target,
                    entry_script="train_mnist_multi.py",
                    node_count=2,
                    process_count_per_node=1,
                    distributed_training=Mpi(),
                    framework_version="7.0.0",
                    use_gpu=True)

run = Experiment(ws, name="chainer-distributed").submit(estimator)
run.wait_for_completion(show_output=True)
