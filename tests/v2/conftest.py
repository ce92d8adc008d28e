"""azure-ai-ml 1.35 builds its schemas with marshmallow's deprecated ``context`` parameter: thousands of
identical warnings per run that say nothing about the project."""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    quiet = pytest.mark.filterwarnings("ignore:The `context` parameter is deprecated")
    for item in items:
        if _HERE in Path(item.path).parents:
            item.add_marker(quiet)
