"""SDK v1 curated environment names -> SDK v2 curated environments (the ``azureml`` registry).

Sources: the v1 names are those the curated-environments page of the Azure ML docs listed
(MicrosoftDocs/azure-docs ``articles/machine-learning/resource-curated-environments.md``: the September
2020 list and the one of 09/10/2023); the v2 names are the
environment assets the ``azureml`` registry publishes, one folder each under
``assets/training/general/environments/`` of the Azure/azureml-assets repository (``sklearn-1.0``,
``sklearn-1.5``, ``acpt-pytorch-1.13-cuda11.7``, ``acpt-pytorch-2.2-cuda12.1``, ``tensorflow-2.16-cuda12``,
``lightgbm-3.3``...). A v1 name has a counterpart when the registry publishes the same environment
(same framework version, OS and Python); the 2020 names (``AzureML-PyTorch-1.6-GPU``...) and the
ubuntu18.04 generation were retired and have none: ``--env-style curated`` moves them to the nearest
current one and says so.
"""

from __future__ import annotations

REGISTRY_REFERENCE = "azureml://registries/azureml/environments/{name}/labels/latest"
CURATED_PREFIX = "AzureML-"

# v1 name -> the same environment in the azureml registry.
COUNTERPARTS: dict[str, str] = {
    "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu": "sklearn-1.0",
    "AzureML-sklearn-1.1-ubuntu20.04-py38-cpu": "sklearn-1.1",
    "AzureML-ACPT-pytorch-1.11-py38-cuda11.3-gpu": "acpt-pytorch-1.11-cuda11.3",
    "AzureML-ACPT-pytorch-1.12-py38-cuda11.6-gpu": "acpt-pytorch-1.12-cuda11.6",
    "AzureML-ACPT-pytorch-1.12-py39-cuda11.6-gpu": "acpt-pytorch-1.12-py39-cuda11.6",
    "AzureML-ACPT-pytorch-1.13-py38-cuda11.7-gpu": "acpt-pytorch-1.13-cuda11.7",
    "AzureML-ACPT-pytorch-2.0-py38-cuda11.7-gpu": "acpt-pytorch-2.0-cuda11.7",
}

# The current curated environment nearest to a retired one, by the framework its name starts with
# (after the prefix, case-insensitive); ``None``: no current curated environment has that framework.
NEAREST: tuple[tuple[str, str | None], ...] = (
    ("acpt-pytorch", "acpt-pytorch-2.2-cuda12.1"),
    ("pytorch", "acpt-pytorch-2.2-cuda12.1"),
    ("tensorflow", "tensorflow-2.16-cuda12"),
    ("scikit-learn", "sklearn-1.5"),
    ("sklearn", "sklearn-1.5"),
    ("tutorial", "sklearn-1.5"),  # AzureML-Tutorial: the SKLearn estimator's documented replacement
    ("lightgbm", "lightgbm-3.3"),
    ("minimal", "sklearn-1.5"),
    ("chainer", None),
)


def counterpart(name: str) -> str | None:
    """The v2 registry environment that is the same as v1's curated ``name``, if there is one."""
    return COUNTERPARTS.get(name)


def nearest(name: str) -> str | None:
    """The current curated environment closest to a retired v1 curated ``name``."""
    framework = name.removeprefix(CURATED_PREFIX).lower()
    return next((current for prefix, current in NEAREST if framework.startswith(prefix)), None)


def is_curated(name: str) -> bool:
    return name.startswith(CURATED_PREFIX)


def reference(v2_name: str) -> str:
    return REGISTRY_REFERENCE.format(name=v2_name)
