"""Packages from files in the project folder, read when the job is built (12-TrainOnAmlCompute style)."""
from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
experiment = Experiment(ws, "files")
est = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                pip_requirements_file="requirements.txt", pip_packages=["joblib", "pandas==1.1.5"])
sk = SKLearn(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
             pip_requirements_file="requirements.txt")
pinned = SKLearn(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                 pip_requirements_file="requirements-pinned.txt")
torch = PyTorch(source_directory="training", entry_script="train.py", compute_target="gpu-cluster", use_gpu=True,
                pip_packages=["azureml-defaults==1.19.0", "pandas"], conda_packages=["horovod"])
conda = Estimator(source_directory="training", entry_script="train.py", compute_target="cpu-cluster",
                  conda_dependencies_file="environment.yml")
for job in (est, sk, pinned, torch, conda):
    experiment.submit(job)
