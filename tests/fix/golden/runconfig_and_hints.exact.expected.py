from azureml.core import ScriptRunConfig
from azureml.core.runconfig import RunConfiguration

rc = RunConfiguration()
rc.target = "cpu-cluster"
src = ScriptRunConfig(source_directory="src", script="train.py", run_config=rc)
plain = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster")
