"""Shared set-up for the notebooks of this folder (run with %run ./aml_setup.py)."""
from azureml.core import Workspace

ws = Workspace.from_config()
cluster = ws.compute_targets["gpu-nc6"]
ds = ws.get_default_datastore()
project_folder = "./unet"
print(ws.name, cluster.name, ds.name)
