"""Chainer MNIST: a single GPU job, then two nodes with MPI."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import Chainer, Mpi

ws = Workspace.from_config()
gpu_cluster = ComputeTarget(workspace=ws, name="gpu-k80")
project_folder = "./chainer-mnist"
exp = Experiment(workspace=ws, name="chainer-mnist")

script_params = {
    "--epochs": 10,
    "--batchsize": 128,
    "--output_dir": "./outputs",
}

single = Chainer(source_directory=project_folder,
                 script_params=script_params,
                 compute_target=gpu_cluster,
                 pip_packages=["numpy", "pytest"],
                 entry_script="chainer_mnist.py",
                 use_gpu=True)
run = exp.submit(single)
run.wait_for_completion(show_output=True)

multi = Chainer(source_directory=project_folder,
                script_params=script_params,
                compute_target=gpu_cluster,
                entry_script="chainer_mnist_mn.py",
                framework_version="7.0.0",
                node_count=2,
                distributed_training=Mpi(process_count_per_node=2),
                use_gpu=True)
exp.submit(multi)
