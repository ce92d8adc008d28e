import azureml.core
import azureml.train.estimator as legacy

ws = azureml.core.Workspace.from_config()
est = legacy.Estimator(source_directory="src", entry_script="train.py", compute_target="cpu-cluster",
                       pip_packages=["requests"])
