"""Small helpers our teams share to launch training jobs on Azure ML."""
from .factory import get_estimator
from .trainer import AzureMLTrainer

__all__ = ["AzureMLTrainer", "get_estimator"]
