"""What ``aml-migrate dry-run`` would hand the container engine (``--plan``: no engine, nothing run).

Complements ``tests/dryrun`` (network, init, read-only snapshot and data mounts, timeouts, cleanup in
real containers): nothing from the caller's environment reaches the job, no host path is mounted but
the run folder and the data folders, no privilege is asked for, and data paths that climb out with
``..`` or go through a symlink are mounted read-only at their real location."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from frontends import console_script

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
    command = [console_script(), "dry-run", "--plan", "--image", "python:3.11-slim",
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


def _refused(submit: Path, options: list[str], env: dict[str, str]) -> str:
    command = [console_script(), "dry-run", "--plan", "--image", "python:3.11-slim",
               *options, str(submit)]
    result = subprocess.run(command, cwd=submit.parent, env={**os.environ, **env}, capture_output=True,
                            text=True, timeout=300)
    assert_no_traceback(result)
    assert result.returncode == 2 and result.stdout == "", result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aml-migrate dry-run: error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("data, reason", [
    ("/", "refused, the root of the file system"),
    ("/etc", "refused, a system location"),
    ("/etc/ssl", "refused, a system location"),
    ("/usr", "refused, a system directory"),
    ("/proc", "refused, a system location"),
    ("/proc/self/root", "refused, the root of the file system"),
    ("/sys", "refused, a system location"),
    ("/dev", "refused, a system location"),
    ("/dev/null", "refused, a system location"),
    ("{home}", "refused, your whole home folder"),
    ("~", "refused, your whole home folder"),
    ("{home}/..", "refused, your whole home folder"),      # a folder holding it
    ("{socket}", "refused, a socket, device or pipe"),
    ("{link_to_etc}", "refused, a system location"),
])
def test_data_that_is_the_root_a_system_folder_a_socket_or_the_whole_home_is_refused(
        tmp_path: Path, data: str, reason: str) -> None:
    submit = _project(tmp_path)
    home = tmp_path / "home" / "user"
    home.mkdir(parents=True)
    engine = socket.socket(socket.AF_UNIX)        # like /var/run/docker.sock
    engine.bind(str(tmp_path / "engine.sock"))
    (tmp_path / "link-to-etc").symlink_to("/etc")
    data = data.format(home=home, socket=tmp_path / "engine.sock", link_to_etc=tmp_path / "link-to-etc")
    try:
        line = _refused(submit, ["--data", f"images={data}"], {"HOME": str(home)})
    finally:
        engine.close()
    assert line.startswith("aml-migrate dry-run: error: --data images=/")
    assert reason in line
    # A folder made for the job, in the same places, is accepted.
    (home / "dataset").mkdir()
    plan, _ = _plan(submit, str(home / "dataset"))
    assert plan["inputs"][0]["local_folder"] == str(home / "dataset")


@pytest.mark.parametrize("output, reason", [
    ("/", "refused, the root of the file system"),
    ("/etc/aml-run", "refused, a system location"),
    ("src", "inside the source directory"),
    ("src/runs/first", "inside the source directory"),
    ("{home}", "refused, your whole home folder"),
    (".", "it contains the source directory"),
])
def test_output_at_the_root_a_system_folder_or_inside_the_source_folder_is_refused(
        tmp_path: Path, output: str, reason: str) -> None:
    submit = _project(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    line = _refused(submit, ["--output", output.format(home=home), "--data", f"images={tmp_path}"],
                    {"HOME": str(home)})
    assert line.startswith("aml-migrate dry-run: error: --output /")
    assert reason in line
