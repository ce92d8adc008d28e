# Small jobs built by a lambda and by tuple assignment.
from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch, TensorFlow
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
exp = Experiment(ws, "builders")

make = lambda lr: Estimator(source_directory="jobs",  # noqa: E731
                            entry_script="fit.py",
                            compute_target="cpu-cluster",
                            script_params={"--lr": lr},
                            conda_packages=["scikit-learn"])

baseline, tuned = make(0.1), make(0.01)
exp.submit(baseline)
exp.submit(tuned)

pt_job, tf_job = (PyTorch(source_directory="jobs", entry_script="torch_fit.py",
                          compute_target="gpu-cluster", framework_version="1.6", use_gpu=True),
                  TensorFlow(source_directory="jobs", entry_script="tf_fit.py",
                             compute_target="gpu-cluster", framework_version="2.2", use_gpu=True))
for job in (pt_job, tf_job):
    exp.submit(job)
