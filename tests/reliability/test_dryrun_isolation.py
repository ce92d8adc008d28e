"""What ``aml-migrate dry-run`` would hand the container engine (``--plan``: no engine, nothing run).

Complements ``tests/dryrun`` (network, init, read-only snapshot and data mounts, timeouts, cleanup in
real containers): nothing from the caller's environment reaches the job, no host path is mounted but
the run folder and the data folders, no privilege is asked for, and data paths that climb out with
``..`` or go through a symlink are mounted read-only at their real location."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .helpers import assert_no_traceback

SUBMIT = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment('job-env')
env.environment_variables = {'DECLARED': '1'}
images = Dataset.get_by_name(ws, 'images')
src = ScriptRunConfig(source_directory='src', script='train.py', environment=env,
                      arguments=['--data', images.as_named_input('images').as_mount()])
Experiment(ws, 'exp').submit(src)
"""
SECRET = "aml-reliability-secret-value"
ALLOWED_VARIABLES = {"DECLARED", "PYTHONUNBUFFERED"}
PRIVILEGES = {"privileged", "cap_add", "devices", "pid_mode", "ipc_mode", "security_opt", "userns_mode"}


def _project(tmp_path: Path) -> Path:
    (tmp_path / "project" / "src").mkdir(parents=True)
    (tmp_path / "project" / "src" / "train.py").write_text("print('train')\n", encoding="utf-8")
    submit = tmp_path / "project" / "submit.py"
    submit.write_text(SUBMIT, encoding="utf-8")
    return submit


def _plan(submit: Path, data: str) -> tuple[dict, list[dict]]:
    env = {**os.environ, "AML_RELIABILITY_TOKEN": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET}
    command = [sys.executable, "-m", "lint_plugin", "dry-run", "--plan", "--image", "python:3.11-slim",
               "--data", f"images={data}", str(submit)]
    result = subprocess.run(command, cwd=submit.parent, env=env, capture_output=True, text=True, timeout=300)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    return plan, [c["kwargs"] for c in plan["engine_calls"] if c["op"] == "containers.create"]


def test_no_caller_environment_no_extra_host_paths_no_privileges(tmp_path: Path) -> None:
    submit = _project(tmp_path)
    (tmp_path / "data").mkdir()
    plan, creates = _plan(submit, str(tmp_path / "data"))
    assert creates
    run_folder = plan["output_folder"]
    for create in creates:
        assert SECRET not in json.dumps(create)
        assert all(name in ALLOWED_VARIABLES or name.startswith(("AZUREML_", "AML_DRYRUN_"))
                   for name in create["environment"])
        assert create["environment"]["DECLARED"] == "1"
        hosts = set(create["volumes"])
        assert {h for h in hosts if not h.startswith(run_folder + os.sep)} == {str(tmp_path / "data")}
        assert not PRIVILEGES & set(create), "no privilege is asked for"
        assert create.get("network_mode") == "none"


def test_data_paths_climbing_out_or_through_symlinks_are_mounted_read_only_where_they_really_are(
        tmp_path: Path) -> None:
    submit = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (submit.parent / "src" / "link").symlink_to(outside)
    for data in ("../outside", "src/link", str(submit.parent / "src" / ".." / ".." / "outside")):
        _, creates = _plan(submit, data)
        volumes = creates[0]["volumes"].items()
        mounts = {host: m for host, m in volumes if m["bind"].startswith("/mnt/azureml/data")}
        assert list(mounts) == [str(outside)], data
        assert mounts[str(outside)]["mode"].split(",")[0] == "ro"
