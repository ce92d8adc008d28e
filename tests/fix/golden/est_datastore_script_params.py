"""A Datastore passed straight in script_params: the estimator mounted its root."""
from azureml.core import Datastore, Experiment, Workspace
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
ds = ws.get_default_datastore()
archive = Datastore.get(ws, "archive")
script_params = {
    "--data-folder": ds,
    "--archive": archive,
    "--batch-size": 64,
}
est = TensorFlow(source_directory="training", entry_script="tf_mnist.py", script_params=script_params,
                 compute_target="gpu-cluster", framework_version="2.1", use_gpu=True)
run = Experiment(ws, "tf-mnist").submit(est)
