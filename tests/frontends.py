"""Run the real front ends (aml-migrate, flake8, pylint) as users do, and read their output."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PYTHON_RULE_SYMBOLS = ("deprecated-estimator,deprecated-estimator-import,deprecated-distributed-backend,"
                       "hyperdrive-estimator,deprecated-estimator-step,explicit-runconfiguration,"
                       "uncast-datareference,unregistered-datareference,missing-environment")

Located = tuple[str, int, int, str]  # (path, line, 0-based column, code)


def run(*args: str, cwd: Path | None = None, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, input=input_text, timeout=600)


@lru_cache(maxsize=None)
def console_script() -> str:
    """The installed ``aml-migrate`` console script, as users run it: the file its ``console_scripts``
    entry point generated next to this Python (or on PATH), for this very Python. Missing, or installed
    for another Python, it fails the test: reinstall with ``pip install -e .``."""
    entry = [e for e in metadata.entry_points(group="console_scripts") if e.name == "aml-migrate"]
    assert [e.value for e in entry] == ["lint_plugin.cli:main"], f"aml-migrate entry point: {entry}"
    folders = (sysconfig.get_path("scripts"), os.path.dirname(sys.executable))
    candidates = [Path(folder) / "aml-migrate" for folder in folders]
    script = next((str(p) for p in candidates if p.is_file()), None) or shutil.which("aml-migrate")
    assert script, "the aml-migrate console script is not installed (pip install -e .)"
    with open(script, "rb") as handle:
        interpreter = handle.readline().decode().removeprefix("#!").strip()
    # the same installation: a venv's interpreters are symlinks to one base Python, so compare folders
    assert Path(interpreter).parent.resolve() == Path(sys.executable).parent.resolve(), \
        f"{script} runs {interpreter}, not this Python ({sys.executable}): pip install -e ."
    return script


def aml_migrate(*args: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``aml-migrate ARGS`` through the installed console script."""
    return subprocess.run([console_script(), *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          **kwargs)  # type: ignore[call-overload]


def check_json(*paths: str | Path, extra: tuple[str, ...] = ()) -> dict:
    result = aml_migrate("check", "--format", "json", *extra, *map(str, paths))
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


_FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>AML\d{3}) ")


def flake8_findings(*paths: str | Path, extra: tuple[str, ...] = ()) -> set[Located]:
    """The real ``flake8`` command with the installed plugin, ignoring the repo's own config."""
    result = run(sys.executable, "-m", "flake8", "--isolated", "--select", "AML", *extra, *map(str, paths))
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for line in result.stdout.splitlines():
        match = _FLAKE8_LINE.match(line)
        assert match, f"unexpected flake8 output: {line}"
        found.add((os.path.abspath(match["path"]), int(match["line"]), int(match["col"]) - 1, match["code"]))
    return found


def pylint_messages(*paths: str | Path, extra: tuple[str, ...] = ()) -> list[dict]:
    """The real ``pylint`` command with ``--load-plugins=lint_plugin`` and only our messages enabled."""
    result = run(sys.executable, "-m", "pylint", "--rcfile=/dev/null", "--load-plugins=lint_plugin",
                 "--disable=all", f"--enable={PYTHON_RULE_SYMBOLS}", "--output-format=json", "--score=n",
                 *extra, *map(str, paths))
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout or "[]")


def pylint_findings(*paths: str | Path, extra: tuple[str, ...] = ()) -> set[Located]:
    from lint_plugin.rules import BY_SYMBOL

    return {(os.path.abspath(m["path"]), m["line"], m["column"], BY_SYMBOL[m["symbol"]].code)
            for m in pylint_messages(*paths, extra=extra)}
