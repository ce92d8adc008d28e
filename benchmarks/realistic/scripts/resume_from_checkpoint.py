# Train MNIST, then resume from the first run's checkpoint for more epochs.
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.data.datapath import DataPath
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
compute_target = ComputeTarget(ws, "gpu-nc6")
exp = Experiment(workspace=ws, name="mnist-resume")

ds = ws.get_default_datastore()
script_params = {"--data-folder": ds.path("mnist").as_mount()}

first = TensorFlow(source_directory="./tf-resume",
                   script_params=script_params,
                   compute_target=compute_target,
                   entry_script="tf_mnist_with_checkpoint.py",
                   framework_version="1.13",
                   use_gpu=True)

run = exp.submit(first)
run.wait_for_completion(show_output=True)

model_location = run._get_outputs_datapath()
checkpoint = DataPath(datastore=model_location.datastore, path_on_datastore=model_location.path_on_datastore)

resumed = TensorFlow(source_directory="./tf-resume",
                     script_params=script_params,
                     compute_target=compute_target,
                     entry_script="tf_mnist_with_checkpoint.py",
                     framework_version="1.13",
                     use_gpu=True,
                     resume_from=checkpoint)

resumed_run = exp.submit(resumed)
resumed_run.wait_for_completion(show_output=True)
