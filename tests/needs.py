"""What a test needs that a machine may lack (a package, the container engine): the one place that
decides. On a developer's machine the test is skipped with the reason; in CI (``CI=true``) it FAILS, so a
test can never pass there by not running."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip here, fail in CI. Works inside a test, a fixture or at module level."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: what a test needs must be installed)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_module(name: str, why: str = "") -> ModuleType:
    """``importorskip`` that fails in CI."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        unavailable(f"{name} is not importable ({error}){': ' + why if why else ''}")


def require_sdk() -> None:
    """The azureml SDK v1 packages the offline SDK tests run (setup.cfg extra 'sdk')."""
    for name in ("azureml.core", "azureml.train.estimator", "azureml.train.hyperdrive",
                 "azureml.pipeline.steps"):
        require_module(name, "the azureml SDK (setup.cfg extra 'sdk')")


def require_sdk_v2() -> None:
    """The v1 SDK and azure-ai-ml with azure-identity (setup.cfg extra 'sdk'): the v2 proof runs both."""
    require_sdk()
    for name in ("azure.ai.ml", "azure.identity"):
        require_module(name, "the azure-ai-ml SDK v2 (setup.cfg extra 'sdk')")


def skip_outside_ci(reason: str) -> None:
    """For a test that this machine's own set-up would falsify (not a missing requirement): skipped on a
    developer's machine, run in CI, whose machine is set up for it."""
    if not in_ci():
        pytest.skip(reason)
