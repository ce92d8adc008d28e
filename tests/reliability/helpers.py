"""Running every front end on hostile input and reading what it says, tracebacks included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

from frontends import PYTHON_RULE_SYMBOLS, console_script, run

ANY_NOTEBOOK_CELL = {"metadata": {}, "outputs": [], "execution_count": None}


def scaled(examples: int) -> int:
    """A subprocess-heavy test's example count, scaled with the profile's (never below ``examples``)."""
    return max(examples, examples * settings.default.max_examples // 60)


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr[-3000:]


def cli_check(*paths: Path) -> dict:
    """``aml-migrate check --format json``; no traceback, exit 0 or 1, one record per file at most."""
    result = run(console_script(), "check", "--format", "json", *map(str, paths))
    assert_no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def flake8_run(*paths: Path) -> subprocess.CompletedProcess[str]:
    """``flake8`` with our codes and its own parse errors (E9) selected."""
    return run(sys.executable, "-m", "flake8", "--isolated", "--select", "AML,E9", *map(str, paths))


def pylint_run(*paths: Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pylint", "--rcfile=/dev/null", "--load-plugins=lint_plugin",
               "--disable=all",
               f"--enable={PYTHON_RULE_SYMBOLS}", "--output-format=json", "--score=n", *map(str, paths))


def notebook(*sources: str | list[str], nbformat_minor: int = 4) -> dict:
    cells = [{"cell_type": "code", "source": source, **ANY_NOTEBOOK_CELL} for source in sources]
    return {"nbformat": 4, "nbformat_minor": nbformat_minor, "metadata": {}, "cells": cells}


def fix_argv(*args: str) -> list[str]:
    return [console_script(), "fix", *args]


def fix_tree(*args: str) -> subprocess.CompletedProcess[str]:
    result = run(*fix_argv(*args))
    assert_no_traceback(result)
    assert result.returncode in (0, 1, 2), result.stderr
    return result
