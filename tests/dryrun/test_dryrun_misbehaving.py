"""Jobs that misbehave, in real containers: each is stopped at the time limit (exit 124) and the
engine is left as it was: no container, no network, no dangling image of the run (asked of the
engine's API here, besides the container_run fixture's own check)."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

import pytest

from dryrun_helpers import LABEL, Engine, write_project
from test_dryrun_containers import _wheel

pytestmark = pytest.mark.container

BUILD_LABEL = "ai.aml-migrate.dry-run.image"
TIME_LIMIT = 2

FORK_TREE = """
    import os, subprocess, sys, time
    # Three levels of processes, each in a session of its own so no signal to a group reaches them.
    if len(sys.argv) < 2 or int(sys.argv[1]) < 3:
        depth = int(sys.argv[1]) if len(sys.argv) > 1 else 0
        for _ in range(2):
            subprocess.Popen([sys.executable, __file__, str(depth + 1), "{token}"], start_new_session=True)
    print("child started" if len(sys.argv) > 1 else "started", flush=True)
    while True:
        time.sleep(1)
"""
IGNORES_SIGTERM = """
    import signal, time
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    print("started {token}", flush=True)
    while True:
        time.sleep(0.1)
"""
FILLS_OUTPUTS = """
    import itertools, signal
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    chunk = b"x" * 65536
    print("started {token}", flush=True)
    for index in itertools.count():                 # bounded on disk: 256 files of 64 KiB, rewritten
        with open(f"outputs/fill-{{index % 256}}.bin", "wb") as handle:
            handle.write(chunk)
"""
NEVER_EXITS = """
    import os, time
    print("started", os.environ["RANK"], "{token}", flush=True)
    while True:
        pass                                         # busy, never sleeps, never exits
"""


def _dangling(engine: Engine, tag: str) -> list[str]:
    """Untagged images left by this run's build (the harness labels what it builds with the tag)."""
    filters = {"dangling": True, "label": f"{BUILD_LABEL}={tag}"}
    return [image.id for image in engine.client.images.list(filters=filters)]


def _processes_with(token: str) -> list[str]:
    """Host processes whose command line carries the token (rootless containers' are visible)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if token in cmdline:
                found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.mark.parametrize("case", ["fork_tree", "ignores_sigterm", "fills_outputs", "never_exits_2_nodes"])
def test_misbehaving_job_is_stopped_at_the_time_limit_and_leaves_nothing_in_the_engine(
    tmp_path: Path, engine: Engine, container_run, case: str
) -> None:
    token = f"aml-dryrun-misbehaving-{secrets.token_hex(4)}"
    environment = 'Environment("e")'
    distributed = ""
    args = ["--image", engine.image]
    version = f"1.0.{time.time_ns()}"  # a fresh environment hash: the build really happens
    if case == "fills_outputs":
        # A derived image is built first, so the dangling-image check has something to catch.
        (tmp_path / "wheels").mkdir()
        _wheel(tmp_path / "wheels", version)
        environment = "env"
        args = ["--wheelhouse", str(tmp_path / "wheels")]
    if case == "never_exits_2_nodes":
        distributed = ", distributed_job_config=PyTorchConfiguration(node_count=2)"
    script = {"fork_tree": FORK_TREE, "ignores_sigterm": IGNORES_SIGTERM, "fills_outputs": FILLS_OUTPUTS,
              "never_exits_2_nodes": NEVER_EXITS}[case]
    submit = write_project(tmp_path, f"""
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.conda_dependencies import CondaDependencies
        from azureml.core.runconfig import PyTorchConfiguration
        env = Environment("probe-env")
        env.docker.base_image = "{engine.image}"
        env.python.conda_dependencies = CondaDependencies.create(pip_packages=["dryrun-probe=={version}"])
        src = ScriptRunConfig(source_directory="src", script="job.py", environment={environment}{distributed})
    """, {"job.py": script.replace("{token}", token).replace("{{", "{").replace("}}", "}")})
    run = tmp_path / "run"
    started = time.monotonic()
    result = container_run([str(submit), *args, "--output", str(run), "--timeout", str(TIME_LIMIT)], tmp_path)
    elapsed = time.monotonic() - started
    plan = json.loads((run / "plan.json").read_text())
    try:
        assert result.code == 124, result.stderr
        assert "started" in result.stdout                            # it really ran before the limit
        killed = f"time limit of {TIME_LIMIT}s reached (--timeout): job killed, containers removed"
        assert killed in result.stderr
        assert elapsed < 20
        label = {"label": f"{LABEL}={plan['run_id']}"}
        assert engine.client.containers.list(all=True, filters=label) == []
        assert engine.client.networks.list(filters=label) == []
        names = [call["kwargs"]["name"] for call in plan["engine_calls"] if call["op"] == "containers.create"]
        assert len(names) == (2 if case == "never_exits_2_nodes" else 1)
        assert [c.name for c in engine.client.containers.list(all=True) if c.name in names] == []
        if case == "never_exits_2_nodes":
            [network] = [call["name"] for call in plan["engine_calls"] if call["op"] == "networks.create"]
            assert engine.client.networks.list(names=[network]) == []
        if plan["image"]["build"] is not None:
            assert _dangling(engine, plan["image"]["build"]["tag"]) == []
        deadline = time.monotonic() + 5                               # the kernel reaps asynchronously
        while _processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_with(token) == []
        if case == "fork_tree":
            assert "child started" in result.stdout                   # the tree was there to kill
        if case == "fills_outputs":
            assert plan["image"]["build"] is not None and "building" in result.stderr
            assert any((run / "outputs").glob("fill-*.bin"))           # outputs written so far are kept
    finally:
        if plan["image"]["build"] is not None:
            try:
                engine.client.images.remove(plan["image"]["build"]["tag"], force=True)
            except Exception:  # noqa: BLE001 - the build may not have happened
                pass
