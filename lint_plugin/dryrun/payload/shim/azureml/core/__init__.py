"""Dry-run stand-in for azureml.core: only `Run`, for scripts that log through `Run.get_context()`."""

from .run import Run  # noqa: F401
