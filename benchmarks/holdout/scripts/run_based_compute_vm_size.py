# Jobs that ask for a VM size instead of naming a cluster (run-based compute).
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
exp = Experiment(ws, "run-based-compute")

feature_job = Estimator(source_directory=".",
                        entry_script="features.py",
                        vm_size="STANDARD_D3_V2",
                        vm_priority="lowpriority",
                        conda_packages=["pandas", "pyarrow"],
                        max_run_duration_seconds=60 * 60 * 3)
exp.submit(feature_job)

fit_job = SKLearn(".", entry_script="fit.py", vm_size="Standard_DS3_v2")
exp.submit(fit_job)
