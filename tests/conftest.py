"""Fixtures shared by the test suite."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

# The interpreter's recursion limit when the suite starts. Libraries the tests use may raise it and leave it
# raised (jedi sets 3000 when imported), which let the deep-nesting tests analyse trees a default interpreter
# cannot, depending on which tests ran before them in the same worker (seen in CI, not locally).
_RECURSION_LIMIT = sys.getrecursionlimit()


@pytest.fixture(autouse=True)
def _interpreter_recursion_limit():
    """Every test starts at the interpreter's recursion limit, whatever an earlier test imported."""
    sys.setrecursionlimit(_RECURSION_LIMIT)
    yield


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path (dedented) and return its path."""
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
