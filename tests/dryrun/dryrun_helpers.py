"""Helpers shared by the dry-run tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontends import console_script

ROOT = Path(__file__).resolve().parents[2]
LABEL = "ai.aml-migrate.dry-run"
# The command as users run it: the installed console script.
DRY_RUN = [console_script(), "dry-run"]


@dataclass(frozen=True)
class Engine:
    docker_host: str
    image: str
    client: Any   # docker.DockerClient

    def leftovers(self, run_ids: list[str]) -> list[str]:
        """Containers and networks of these runs still present (other tests may be running)."""
        names = []
        for run_id in run_ids:
            label = {"label": f"{LABEL}={run_id}"}
            names += [item.name for item in self.client.containers.list(all=True, filters=label)]
            names += [item.name for item in self.client.networks.list(filters=label)]
        return names

    def mounting(self, folder: Path) -> list[str]:
        """Containers (any state) with a mount inside folder: a capture sandbox mounts the project."""
        inside = str(folder.resolve())
        return [item.name for item in self.client.containers.list(all=True)
                if any(str(mount.get("Destination", "")).startswith(inside)
                       for mount in item.attrs["Mounts"])]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_dry_run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> Result:
    """Run the dry-run command in a fresh interpreter, exactly as a user would."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run(
        [*DRY_RUN, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def write_project(root: Path, submit: str, scripts: dict[str, str], pyproject: str | None = None) -> Path:
    """A submit script at root/submit.py with its source directory root/src."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "submit.py").write_text(textwrap.dedent(submit))
    for name, text in scripts.items():
        (root / "src" / name).write_text(textwrap.dedent(text))
    if pyproject is not None:
        (root / "pyproject.toml").write_text(textwrap.dedent(pyproject))
    return root / "submit.py"
