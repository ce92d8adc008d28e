"""aml-migrate: find deprecated Azure ML SDK v1 estimator code and migrate it."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def register(linter: Any) -> None:
    """pylint entry point: ``pylint --load-plugins=lint_plugin``."""
    from .pylint_plugin import register as register_checker

    register_checker(linter)
