from azureml.core import Environment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
data = datastore.path("mnist").as_mount()
env = Environment.get(ws, "AzureML-Minimal")
src = ScriptRunConfig(source_directory="src", script="train.py",
                      arguments=["--data", data, "--labels", str(datastore.path("labels").as_download())],
                      environment=env)
