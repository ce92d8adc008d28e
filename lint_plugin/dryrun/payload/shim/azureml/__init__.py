"""Dry-run stand-in for the azureml namespace (used only when azureml-core is not installed)."""
