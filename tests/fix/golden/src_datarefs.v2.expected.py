from azureml.core import Environment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
data = datastore.path("mnist").as_mount()
env = Environment.get(ws, "AzureML-Minimal")
data_ref = datastore.path("labels").as_download()
src = ScriptRunConfig(source_directory="src", script="train.py",
                      arguments=["--data", str(data), "--labels", str(data_ref)],
                      environment=env)
src.run_config.data_references.update({data.data_reference_name: data.to_config(), data_ref.data_reference_name: data_ref.to_config()})
