"""Put this folder on PYTHONPATH to make `azureml.core.Run` importable without azureml-core."""
