from azureml.core import ScriptRunConfig

src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", max_run_duration_seconds=None)
plain = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster")
