"""Train, then resume from a checkpoint with the same script_params dict (the SDK sample's shape): the
resumed estimator added --resume-from to that dict, after the first one had been built."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.data.datapath import DataPath
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
compute_target = ComputeTarget(ws, "gpu-nc6")
exp = Experiment(workspace=ws, name="mnist-resume")

ds = ws.get_default_datastore()
script_params = {"--data-folder": ds.path("mnist").as_mount(), "--epochs": 10}

first = TensorFlow(source_directory="./tf-resume",
                   script_params=script_params,
                   compute_target=compute_target,
                   entry_script="tf_mnist_with_checkpoint.py",
                   framework_version="1.13",
                   use_gpu=True)
run = exp.submit(first)

checkpoint = DataPath(datastore=ds, path_on_datastore="azureml/mnist-resume_1/outputs")
resumed = TensorFlow(source_directory="./tf-resume",
                     script_params=script_params,
                     compute_target=compute_target,
                     entry_script="tf_mnist_with_checkpoint.py",
                     framework_version="1.13",
                     use_gpu=True,
                     resume_from=checkpoint)
resumed_run = exp.submit(resumed)
