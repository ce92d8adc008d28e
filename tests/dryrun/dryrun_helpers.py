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
# A distributed job's ranks report to rank 0 over TCP (MASTER_ADDR/PORT), as MPI or PyTorch processes would.
EXCHANGE = """
    import json, os, socket, sys, time
    rank = int(os.environ.get("RANK", os.environ.get("OMPI_COMM_WORLD_RANK", "-1")))
    world = int(os.environ.get("WORLD_SIZE", os.environ.get("OMPI_COMM_WORLD_SIZE", "0")))
    host, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
    if rank == 0:
        server = socket.create_server(("0.0.0.0", port))
        messages = []
        while len(messages) < world - 1:
            conn, _ = server.accept()
            with conn:
                messages.append(conn.recv(1024).decode())
                conn.sendall(b"ack")
        result = {"host": socket.gethostname(), "messages": sorted(messages)}
        json.dump(result, open("outputs/rank0.json", "w"))
    else:
        for _ in range(200):
            try:
                conn = socket.create_connection((host, port), timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("rank %d cannot reach %s:%d" % (rank, host, port))
        with conn:
            local = os.environ.get("LOCAL_RANK", os.environ.get("OMPI_COMM_WORLD_LOCAL_RANK"))
            conn.sendall(("%d %s %s" % (rank, local, socket.gethostname())).encode())
            assert conn.recv(8) == b"ack"
    print("rank %d done" % rank)
"""


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
