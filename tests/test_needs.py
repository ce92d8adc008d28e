"""A missing requirement skips a test on a developer's machine and fails it in CI (``needs.py``), and no
test in the suite skips any other way."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SKIPPING = re.compile(r"importorskip|pytest\.skip\(|mark\.skip|skipif")

PROBE = """\
from needs import require_module, unavailable

require_module("aml_migrate_no_such_module", "a probe")


def test_never_runs():
    pass
"""
PROBE_IN_TEST = """\
from needs import unavailable


def test_engine():
    unavailable("no engine here")
"""


def test_every_skip_goes_through_needs() -> None:
    offenders = [f"{path.relative_to(TESTS)}:{number}"
                 for path in sorted(TESTS.rglob("*.py")) if path.name not in ("needs.py", "test_needs.py")
                 and "golden" not in path.parts and "fixtures" not in path.parts
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if SKIPPING.search(line)]
    assert offenders == [], "skip through needs.require_module/unavailable/skip_outside_ci"


@pytest.mark.parametrize("ci", [False, True], ids=["developer machine", "CI"])
def test_a_missing_requirement_skips_here_and_fails_in_ci(tmp_path: Path, ci: bool) -> None:
    (tmp_path / "test_probe_module.py").write_text(PROBE)
    (tmp_path / "test_probe_inside.py").write_text(PROBE_IN_TEST)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(TESTS),
                                                                "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    if ci:
        env["CI"] = "true"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                             "--continue-on-collection-errors", str(tmp_path)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert "aml_migrate_no_such_module is not importable" in result.stdout, result.stdout
    assert "no engine here" in result.stdout, result.stdout
    if ci:
        assert result.returncode == 1 and "1 failed, 1 error" in result.stdout, result.stdout
    else:
        assert result.returncode == 0 and "2 skipped" in result.stdout, result.stdout
