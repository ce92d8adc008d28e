"""The dry-run command end to end without a container engine: --plan, --engine local, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dryrun_helpers import ROOT, run_dry_run, write_project
from needs import skip_outside_ci

SUBMIT = """
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    store = ws.get_default_datastore()
    ref = store.path("raw").as_mount()
    src = ScriptRunConfig(source_directory="src", script="train.py",
                          arguments=["--data-dir", str(ref), "--lr", 0.1],
                          environment=Environment.get(ws, "AzureML-Scikit-learn-0.20.3"))
    src.run_config.data_references = {ref.data_reference_name: ref.to_config()}
    Experiment(ws, "exp").submit(src)
"""
TRAIN = """
    import os, sys
    from azureml.core import Run
    run = Run.get_context()
    run.log("files", len(os.listdir(sys.argv[2])))
    open("outputs/argv.txt", "w").write(" ".join(sys.argv[1:]))
    print("rank", os.environ.get("OMPI_COMM_WORLD_RANK"), "experiment", os.environ["AZUREML_EXPERIMENT_NAME"])
    sys.exit(int(os.environ.get("EXIT", "0")))
"""


def _one_clear_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("aml-migrate dry-run: error: ")
    return lines[0]


def test_plan_prints_spec_and_engine_calls_and_runs_nothing(tmp_path: Path) -> None:
    submit = write_project(tmp_path, SUBMIT, {"train.py": TRAIN})
    result = run_dry_run(
        [
            str(submit),
            "--plan",
            "--data",
            f"data-dir={tmp_path}",
            "--output",
            str(tmp_path / "r"),
            "--timeout",
            "50",
        ],
        tmp_path,
        env={"DOCKER_HOST": "unix:///nonexistent.sock"},
    )
    assert result.code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert not (tmp_path / "r").exists()  # nothing prepared, nothing run
    assert plan["inputs"] == [
        {
            "key": "input_1",
            "answers_to": ["input_1", "data-dir"],
            "kind": "reference",
            "local_folder": str(tmp_path),
            "line": 5,
        }
    ]
    assert (
        plan["image"]["build"]["base"] == "mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1"
    )
    assert "scikit-learn==0.20.3" in plan["image"]["build"]["packages"]
    ops = [call["op"] for call in plan["engine_calls"]]
    assert ops == [
        "images.build",
        "containers.create",
        "containers.start",
        "containers.logs",
        "containers.wait",
        "containers.kill",
        "containers.remove",
    ]
    create = plan["engine_calls"][1]["kwargs"]
    assert create["init"] is True and create["network_mode"] == "none" and "auto_remove" not in create
    assert create["user"] == f"{os.getuid()}:{os.getgid()}"
    assert create["volumes"][str(tmp_path)] == {"bind": "/mnt/azureml/data/input_1", "mode": "ro,z"}
    assert create["volumes"][str(tmp_path / "r" / "snapshot")]["mode"] == "ro,Z"
    assert create["environment"]["AZUREML_EXPERIMENT_NAME"] == "exp"
    assert plan["node_specs"][0]["arguments"] == ["--data-dir", "/mnt/azureml/data/input_1", "--lr", "0.1"]
    assert (plan["timeout_seconds"], plan["timeout_reason"]) == (50, "--timeout")


def test_plan_for_a_distributed_job_uses_a_private_network(tmp_path: Path) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import ScriptRunConfig
        from azureml.core.runconfig import MpiConfiguration
        src = ScriptRunConfig(source_directory="src", script="train.py",
                              distributed_job_config=MpiConfiguration(process_count_per_node=2, node_count=2))
    """,
        {"train.py": TRAIN},
    )
    plan = json.loads(run_dry_run([str(submit), "--plan", "--image", "img"], tmp_path).stdout)
    network = plan["engine_calls"][0]
    assert (network["op"], network["internal"]) == ("networks.create", True)
    creates = [call["kwargs"] for call in plan["engine_calls"] if call["op"] == "containers.create"]
    assert [create["network"] for create in creates] == [network["name"]] * 2
    assert plan["engine_calls"][-1] == {"op": "networks.remove", "name": network["name"], "when": "always"}
    assert [len(spec["processes"]) for spec in plan["node_specs"]] == [2, 2]


def test_local_engine_runs_the_job_with_ranks_and_exit_code(tmp_path: Path) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import ScriptRunConfig
        from azureml.core.runconfig import MpiConfiguration
        src = ScriptRunConfig(source_directory="src", script="train.py", arguments=["--data", "."],
                              distributed_job_config=MpiConfiguration(process_count_per_node=2))
    """,
        {"train.py": TRAIN},
    )
    result = run_dry_run([str(submit), "--engine", "local", "--output", str(tmp_path / "run")], tmp_path)
    assert result.code == 0, result.stderr
    assert "NO isolation" in result.stderr
    assert "[rank 0] rank 0 experiment dry-run" in result.stdout and "[rank 1] rank 1" in result.stdout
    assert (tmp_path / "run" / "outputs" / "argv.txt").read_text() == "--data ."
    assert {"std_log_process_0.txt", "std_log_process_1.txt"} <= {
        path.name for path in (tmp_path / "run" / "logs").iterdir()
    }
    failed = run_dry_run(
        [str(submit), "--engine", "local", "--output", str(tmp_path / "run2")], tmp_path, env={"EXIT": "5"}
    )
    assert failed.code == 5 and "job exited with 5" in failed.stderr


def test_local_engine_timeout(tmp_path: Path) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import ScriptRunConfig
        src = ScriptRunConfig(source_directory="src", script="hang.py")
    """,
        {"hang.py": "import time\nprint('going', flush=True)\ntime.sleep(60)\n"},
    )
    started = time.monotonic()
    result = run_dry_run(
        [str(submit), "--engine", "local", "--timeout", "2", "--output", str(tmp_path / "r")], tmp_path
    )
    assert result.code == 124 and time.monotonic() - started < 20
    assert "time limit of 2s reached (--timeout)" in result.stderr


def test_missing_script_is_one_clear_line(tmp_path: Path) -> None:
    submit = write_project(tmp_path, SUBMIT, {})
    result = run_dry_run([str(submit), "--plan"], tmp_path)
    assert result.code == 2
    assert "script train.py not found in" in _one_clear_line(result.stderr)


def test_missing_submit_file_is_one_clear_line(tmp_path: Path) -> None:
    result = run_dry_run([str(tmp_path / "nope.py")], tmp_path)
    assert result.code == 2 and "nope.py: no such file" in _one_clear_line(result.stderr)


def test_unresolvable_argument_is_one_clear_line(tmp_path: Path) -> None:
    submit = write_project(
        tmp_path,
        """
        import sys
        from azureml.core import ScriptRunConfig
        lr = float(sys.argv[1])
        src = ScriptRunConfig(source_directory="src", script="train.py", arguments=["--lr", lr])
    """,
        {"train.py": TRAIN},
    )
    result = run_dry_run([str(submit), "--plan"], tmp_path)
    assert result.code == 2
    assert "cannot resolve statically: lr (line 4); supply each with --set NAME=VALUE" in _one_clear_line(
        result.stderr
    )
    fixed = run_dry_run([str(submit), "--plan", "--set", "lr=0.3"], tmp_path)
    assert json.loads(fixed.stdout)["run_spec"]["arguments"] == ["--lr", "0.3"]


def test_no_engine_is_one_clear_line(tmp_path: Path) -> None:
    for socket in ("/var/run/docker.sock", "/run/podman/podman.sock"):
        if os.path.exists(socket):
            skip_outside_ci(f"{socket} exists on this machine")
    submit = write_project(tmp_path, SUBMIT, {"train.py": TRAIN})
    import socket as sockets

    dead = sockets.socket(sockets.AF_UNIX)         # a socket file nobody listens on any more
    dead.bind(str(tmp_path / "dead.sock"))
    dead.close()
    for host in ("unix:///nonexistent/docker.sock", f"unix://{tmp_path / 'dead.sock'}"):
        result = run_dry_run(
            [str(submit), "--image", "img", "--output", str(tmp_path / "run" / host[-9:])],
            tmp_path,
            env={
                "DOCKER_HOST": host,
                "HOME": str(tmp_path),
                "XDG_RUNTIME_DIR": str(tmp_path),
            },
        )
        assert result.code == 2
        line = _one_clear_line(
            result.stderr.replace(
                "dry-run: warning: input input_1/data-dir (line 5) has no --data: mounting an EMPTY folder\n",
                "",
            )
        )
        assert f"no container engine available (DOCKER_HOST {host} (" in line
        assert "--engine local" in line


def test_estimator_code_is_migrated_in_memory(tmp_path: Path) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import Experiment, Workspace
        from azureml.train.estimator import Estimator
        ws = Workspace.from_config()
        est = Estimator(source_directory="src", entry_script="train.py", script_params={"--lr": 0.1},
                        compute_target="cpu", pip_packages=["numpy"], environment_variables={"A": "1"})
        Experiment(ws, "x").submit(est)
    """,
        {"train.py": TRAIN},
    )
    before = submit.read_text()
    result = run_dry_run([str(submit), "--plan"], tmp_path)
    assert result.code == 0, result.stderr
    spec = json.loads(result.stdout)["run_spec"]
    assert (spec["script"], spec["arguments"], spec["environment_variables"]) == (
        "train.py",
        ["--lr", "0.1"],
        {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE", "A": "1"},  # the SDK's example variable reaches the job
    )
    assert "numpy" in spec["environment"]["pip"]
    assert submit.read_text() == before


def test_example_plan_resolves(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dry_run"
    result = run_dry_run(
        [str(example / "submit.py"), "--plan", "--data", f"data-dir={example / 'data'}"], tmp_path
    )
    plan = json.loads(result.stdout)
    assert plan["image"]["image"] == "python:3.11-slim"  # pinned in its pyproject.toml
    assert plan["node_specs"][0]["arguments"][:2] == ["--data-dir", "/mnt/azureml/data/input_1"]


def test_importing_the_command_stays_cheap() -> None:
    # The CLI imports it to build its parser: the docker package must load only when a job runs.
    code = ("import sys, lint_plugin.dryrun.command\n"
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('docker', 'requests', 'libcst')]\n"
            "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_plan_shows_memory_and_cpu_limits_and_passed_variable_names_but_no_values(tmp_path: Path) -> None:
    submit = write_project(tmp_path, SUBMIT, {"train.py": TRAIN})
    secret = "dry-run-passed-secret-value"
    result = run_dry_run(
        [str(submit), "--plan", "--image", "img", "--memory", "256m", "--cpus", "0.5",
         "--pass-env", "DRYRUN_TOKEN", "--pass-env", "DRYRUN_TOKEN"],
        tmp_path,
        env={"DRYRUN_TOKEN": secret, "DRYRUN_NOT_PASSED": "x"},
    )
    assert result.code == 0, result.stderr
    calls = json.loads(result.stdout)["engine_calls"]
    [create] = [call for call in calls if call["op"] == "containers.create"]
    assert create["kwargs"]["mem_limit"] == 256 * 1024**2
    assert create["kwargs"]["nano_cpus"] == 500_000_000
    assert create["pass_env"] == ["DRYRUN_TOKEN"]
    assert secret not in result.stdout            # the value is read when the container is created
    assert "DRYRUN_NOT_PASSED" not in result.stdout
    default = json.loads(run_dry_run([str(submit), "--plan", "--image", "img"], tmp_path,
                                     env={"DRYRUN_TOKEN": secret}).stdout)
    [plain] = [call for call in default["engine_calls"] if call["op"] == "containers.create"]
    assert plain["pass_env"] == []
    assert "mem_limit" not in plain["kwargs"] and "nano_cpus" not in plain["kwargs"]
    assert secret not in json.dumps(default)


@pytest.mark.parametrize(
    "option, expected",
    [
        (["--memory", "lots"], "--memory 'lots': expected a size such as 512m or 2g"),
        (["--memory", "1k"], "--memory '1k': at least 6m"),
        (["--cpus", "0"], "--cpus 0: expected a positive number"),
        (["--cpus", "100000"], "--cpus 100000: this machine has"),
        (["--pass-env", "DRYRUN_UNSET_VARIABLE"],
         "--pass-env DRYRUN_UNSET_VARIABLE: not set in your environment"),
        (["--pass-env", "A=1"], "--pass-env 'A=1': not a variable name"),
        (["--pass-env", "AZUREML_RUN_ID"],
         "--pass-env AZUREML_RUN_ID: AZUREML_* variables are set by the dry run"),
    ],
)
def test_bad_limits_and_pass_env_are_one_clear_line(tmp_path: Path, option: list[str], expected: str) -> None:
    submit = write_project(tmp_path, SUBMIT, {"train.py": TRAIN})
    result = run_dry_run([str(submit), "--plan", "--image", "img", *option], tmp_path,
                         env={"AZUREML_RUN_ID": "caller"})
    assert result.code == 2 and result.stdout == ""
    assert expected in _one_clear_line(result.stderr)
