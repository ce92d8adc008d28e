"""Jobs written with the module spellings of the 2019 samples."""
import azureml.train.dnn as dnn
import azureml.train.sklearn
from azureml.core import Experiment, Workspace
from azureml.train.dnn._pytorch import PyTorch as TorchEstimator

ws = Workspace.from_config()
exp = Experiment(ws, "import-spellings")
cluster = ws.compute_targets["gpu-cluster"]

tf_job = dnn.TensorFlow(source_directory="tf", entry_script="train.py", compute_target=cluster,
                        framework_version="1.13", use_gpu=True)
torch_job = TorchEstimator(source_directory="torch", entry_script="train.py", compute_target=cluster,
                           framework_version="1.3", use_gpu=True,
                           script_params={"--amp": ""})
sk_job = azureml.train.sklearn.SKLearn(source_directory="sk", entry_script="train.py",
                                       compute_target="cpu-cluster")

for job in (tf_job, torch_job, sk_job):
    exp.submit(job)
