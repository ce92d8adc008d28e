"""Train the fruit model on two GPU nodes: the 2020 way, with a PyTorch estimator.

SDK v1 is out of support; migrate this script (and train-notebook.ipynb) to azure-ai-ml command jobs:

    aml-migrate check --extend-select AML6 examples/estimator_to_v2
    aml-migrate fix --target v2 --diff examples/estimator_to_v2/submit.py
"""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import MpiConfiguration
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()
experiment = Experiment(ws, "fruit-pytorch")
gpu_cluster = ComputeTarget(workspace=ws, name="gpu-cluster")

# The CSV files live under datasets/fruit in the workspace's default blob store.
datastore = ws.get_default_datastore()
training_data = datastore.path("datasets/fruit").as_mount()

script_params = {
    "--data-dir": training_data,
    "--epochs": 20,
    "--learning-rate": 0.05,
}

estimator = PyTorch(source_directory="src",
                    entry_script="train.py",
                    script_params=script_params,
                    compute_target=gpu_cluster,
                    node_count=2,
                    distributed_training=MpiConfiguration(process_count_per_node=1),
                    pip_packages=["pandas==1.1.5"],
                    framework_version="1.6",
                    use_gpu=True)

run = experiment.submit(estimator)
print(run.get_portal_url())
run.wait_for_completion(show_output=True)
