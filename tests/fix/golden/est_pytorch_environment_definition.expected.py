from azureml.core import ScriptRunConfig, Environment, Workspace

ws = Workspace.from_config()
env = Environment("my-torch")
env.docker.enabled = True
env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="gpu-cluster",
                      max_run_duration_seconds=7200,
                      environment=env)
