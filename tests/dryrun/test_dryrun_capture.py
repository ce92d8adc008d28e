"""`aml-migrate dry-run --capture` with the subprocess sandbox (no container engine needed): the
submit script runs for real with azureml-core, the service stood in, each submission recorded."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from dryrun_helpers import run_dry_run, write_project
from needs import require_module
from shapes import ARGS, CONDA, CONFIG, ESTIMATORS, PATHS, SWEEP, write_shape

require_module("azureml.core", "capture runs submit scripts under the SDK")

pytestmark = pytest.mark.sdk
LOCAL = ["--capture", "--engine", "local"]


def capture_plan(submit: Path, *options: str) -> dict:
    result = run_dry_run([str(submit), "--plan", *LOCAL, *options], submit.parent)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def one_error(result) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("aml-migrate dry-run: error: ")]
    assert result.code == 2 and len(errors) == 1, result.stderr
    return errors[0]


def _comparable(spec: dict) -> dict:
    """What static and captured specs must agree on (data inputs by what names them in the job)."""
    from lint_plugin.dryrun.packages import installable

    keys = {item["key"]: item for item in spec["inputs"]}
    environment = spec["environment"]
    return {
        "source_directory": os.path.realpath(os.path.join(os.path.dirname(spec["submit_path"]),
                                                          spec["source_directory"])),
        "script": spec["script"],
        "arguments": [f"<{keys[item['key']]['kind']} {keys[item['key']]['flag']}>" if isinstance(item, dict)
                      else item for item in spec["arguments"]],
        "inputs": sorted((item["kind"], item["flag"], item["mode"], item["dataset"], item["datastore"],
                          item["path_on_datastore"]) for item in spec["inputs"]),
        "pip": installable(environment["pip"])[0],  # the SDK adds index options the model leaves out
        "conda": environment["conda"],
        "base_image": environment["base_image"],
        "user_managed": environment["user_managed"],
        "variables": spec["environment_variables"],
        "distributed": spec["distributed"],
        "max_run": spec["max_run_duration_seconds"],
        "experiment": spec["experiment_name"],
    }


@pytest.mark.parametrize(
    "shape, notebook, options",
    [(CONFIG, False, []), (CONFIG, True, []), (PATHS, False, []), (CONDA, False, []), (CONDA, True, []),
     (ARGS, False, ["--", "--lr", "0.2", "--fast"]), (ESTIMATORS, False, ["--job", "1"])],
    ids=["config", "config-ipynb", "paths", "conda", "conda-ipynb", "argparse", "estimators"],
)
def test_static_and_captured_specs_agree(tmp_path: Path, shape, notebook: bool, options: list[str]) -> None:
    """The static resolver's answer is the SDK's answer, on every shape both can resolve."""
    submit = write_shape(tmp_path, shape, notebook)
    static_options = ["--job", "train"] if options[:1] == ["--job"] else options
    static = json.loads(run_dry_run([str(submit), "--plan", *static_options], tmp_path).stdout)["run_spec"]
    captured = capture_plan(submit, *options)["run_spec"]
    assert _comparable(captured) == _comparable(static)
    assert captured["capture"]["sandbox"].startswith("subprocess ")


def test_the_captured_run_configuration_is_the_sdks_own_serialisation(tmp_path: Path) -> None:
    from azureml.core import Environment, ScriptRunConfig
    from azureml.core._serialization_utils import _serialize_to_dict
    from azureml.core.conda_dependencies import CondaDependencies
    from azureml.core.script_run_config import get_run_config_from_script_run

    submit = write_shape(tmp_path, CONDA)
    captured = capture_plan(submit)["run_spec"]["capture"]["run_config"]
    env = Environment("inline-env")  # the same job, built here with the real SDK
    env.python.conda_dependencies = CondaDependencies.create(
        conda_packages=["pip"], pip_packages=["dryrun-probe==1.0", "dryrun-extra==1.0"])
    env.python.conda_dependencies.add_pip_package("dryrun-probe==2.0")
    env.environment_variables = {"FRUIT_SEED": "3"}
    expected = _serialize_to_dict(get_run_config_from_script_run(
        ScriptRunConfig(source_directory="src", script="train.py", environment=env)))
    assert captured == json.loads(json.dumps(expected))


def test_helpers_and_hyperdrive_become_one_trial(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, SWEEP)
    spec = capture_plan(submit)["run_spec"]
    assert spec["arguments"] == ["--epochs", "5", "--lr", "0.05", "--batch", "16"]
    assert spec["capture"]["hyperparameters"] == {"--lr": 0.05, "--batch": 16}
    assert spec["environment"]["pip"][-1] == "dryrun-probe==1.0"
    assert spec["capture"]["compute_target"] == "gpu-cluster"
    chosen = capture_plan(submit, "--set", "lr=0.02", "--set=--batch=32")["run_spec"]
    assert chosen["arguments"][-4:] == ["--lr", "0.02", "--batch", "32"]
    line = one_error(run_dry_run([str(submit), "--plan", *LOCAL, "--set", "momentum=1"], tmp_path))
    assert "--set momentum: not a hyperparameter of the sweep (--lr, batch)" in line


def test_several_submissions_are_listed_by_plan_and_chosen_with_job(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, ESTIMATORS, notebook=True)
    listing = capture_plan(submit)
    assert listing["run_spec"] is None
    assert listing["capture"]["submissions"] == ["1: ScriptRunConfig of train.py (cell 4 line 2)",
                                                 "2: Estimator of train.py (cell 4 line 3)"]
    run = run_dry_run([str(submit), *LOCAL, "--output", str(tmp_path / "run")], tmp_path)
    assert "submitted 2 jobs (1: ScriptRunConfig of train.py (cell 4 line 2); 2: Estimator" in one_error(run)
    # The estimator the fixer leaves alone is captured the way the SDK converts it.
    estimator = capture_plan(submit, "--job", "2")["run_spec"]
    assert estimator["arguments"] == ["--evaluate"]
    assert estimator["capture"]["compute_target"] == "cpu-cluster"
    assert any("an estimator the fixer left as it was" in note for note in estimator["notes"])
    assert "--job 3: with --capture, give the number of a submission" in one_error(
        run_dry_run([str(submit), "--plan", *LOCAL, "--job", "3"], tmp_path))


def test_the_job_runs_with_what_the_script_wrote_and_the_users_tree_is_untouched(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, ESTIMATORS, notebook=True)
    before = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    original_train = (tmp_path / "src" / "train.py").read_text()
    output = str(tmp_path.parent / "run")
    result = run_dry_run([str(submit), *LOCAL, "--job", "1", "--output", output], tmp_path)
    assert result.code == 0, result.stderr
    # %%writefile replaced train.py in the sandbox's copy; the job's snapshot is taken from there.
    assert "notebook-written train.py ['--epochs', '2']" in result.stdout
    assert "[submit] Writing src/train.py" in result.stderr
    assert (tmp_path / "src" / "train.py").read_text() == original_train
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == before


def test_a_script_failing_before_it_submits_is_its_traceback_and_exit_2(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Workspace
        ws = Workspace.from_config()
        settings = {"epochs": 3}
        print("about to fail")
        epochs = settings["lr"]
    """, {"train.py": ""})
    result = run_dry_run([str(submit), *LOCAL], tmp_path)
    line = one_error(result)
    assert "the submit script failed at line 6 (exit code 1): KeyError: 'lr', before submitting" in line
    assert "[submit] about to fail" in result.stderr and "[submit] Traceback" in result.stderr
    assert "[submit]     epochs = settings[\"lr\"]" in result.stderr  # its own source line


def test_a_script_failing_after_it_submitted_still_gives_its_job(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
        from azureml.core.model import Model
        ws = Workspace.from_config()
        run = Experiment(ws, "x").submit(ScriptRunConfig("src", "train.py", environment=Environment("e")))
        run.wait_for_completion()
        Model.register(ws, model_path="outputs/model.pkl", model_name="m")
    """, {"train.py": ""})
    result = run_dry_run([str(submit), "--plan", *LOCAL], tmp_path)
    assert result.code == 0, result.stderr
    notes = json.loads(result.stdout)["run_spec"]["notes"]
    assert any(note.startswith("the submit script failed at line 7 (exit code 1): ") and
               note.endswith("after 1 submission(s): using what it submitted") for note in notes)


def test_a_script_that_never_submits_and_an_unsupported_submission(tmp_path: Path) -> None:
    submit = write_project(tmp_path, "import azureml.core\nprint('nothing to do')\n", {"train.py": ""})
    never = run_dry_run([str(submit), *LOCAL], tmp_path)
    assert "ran to the end without submitting a job" in one_error(never)
    submit.write_text("from azureml.core import Experiment, Workspace\n"
                      "class Pipeline: pass\n"
                      "Experiment(Workspace.from_config(), 'p').submit(Pipeline())\n")
    line = one_error(run_dry_run([str(submit), *LOCAL], tmp_path))
    assert "submission 1: Pipeline of ? (line 3): a Pipeline cannot be dry-run" in line


def test_an_interpreter_without_azureml_core_is_one_clear_error(tmp_path: Path, bare_python: Path) -> None:
    python = bare_python
    submit = write_shape(tmp_path / "project", CONDA)
    line = one_error(run_dry_run([str(submit), "--capture", "--python", str(python)], tmp_path / "project"))
    assert f"{python} has no azureml-core (No module named 'azureml')" in line
    assert "install it there (pip install azureml-core), or pass --python PATH" in line
    assert "--python /no/such/python: no such interpreter" in one_error(
        run_dry_run([str(submit), "--capture", "--python", "/no/such/python"], tmp_path))
    assert "--python: only with --capture" in one_error(
        run_dry_run([str(submit), "--python", sys.executable], tmp_path))


def test_a_hanging_script_is_stopped_at_the_capture_timeout(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        import os, signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        open("pid", "w").write(str(os.getpid()))
        print("waiting", flush=True)
        time.sleep(120)
    """, {"train.py": ""})
    started = time.monotonic()
    result = run_dry_run([str(submit), *LOCAL, "--capture-timeout", "3"], tmp_path)
    assert "did not finish within 3s (--capture-timeout)" in one_error(result)
    assert time.monotonic() - started < 60 and "[submit] waiting" in result.stderr


class _Listener:
    """A TCP server on this machine's loopback, to see whether the sandbox can reach it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.server.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
                self.accepted += 1
                connection.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


def test_no_network_and_a_clean_environment_in_the_subprocess_sandbox(tmp_path: Path) -> None:
    listener = _Listener()
    try:
        submit = write_project(tmp_path, f"""
            import os, socket, subprocess, sys
            from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
            def connect():
                try:
                    socket.create_connection(("127.0.0.1", {listener.port}), timeout=2).close()
                    return "connected"
                except OSError as exc:
                    return "refused: " + str(exc)
            code = "import socket; socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)"
            child = subprocess.run([sys.executable, "-c", code], capture_output=True)
            print("python", connect())
            print("child exit", child.returncode)
            print("secret", os.environ.get("DRYRUN_SECRET"), "passed", os.environ.get("DRYRUN_PASSED"))
            Experiment(Workspace.from_config(), "n").submit(ScriptRunConfig("src", "train.py"))
        """, {"train.py": ""})
        env = {"DRYRUN_SECRET": "from-the-caller", "DRYRUN_PASSED": "named"}
        options = ["--plan", *LOCAL, "--pass-env", "DRYRUN_PASSED"]
        result = run_dry_run([str(submit), *options], tmp_path, env=env)
    finally:
        listener.close()
    assert result.code == 0, result.stderr
    assert "[submit] python refused: [Errno 101] network access is disabled" in result.stderr
    assert "[submit] secret None passed named" in result.stderr
    if "own network namespace" in result.stderr:  # unshare allowed: programs it starts are cut off too
        assert "[submit] child exit 1" in result.stderr
    elif os.environ.get("CI") == "true":
        pytest.fail("CI machines allow unshare: the subprocess sandbox must have its own network namespace")
    assert listener.accepted == 0


def test_set_is_refused_outside_a_sweep_and_arguments_reach_sys_argv(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, ARGS)
    line = one_error(run_dry_run([str(submit), "--plan", *LOCAL, "--set", "args.lr=1"], tmp_path))
    assert "--set has no effect with --capture unless the job is a HyperDrive sweep" in line
    result = run_dry_run([str(submit), "--plan", *LOCAL, "--", "--lr", "nope"], tmp_path)
    assert "argument --lr: invalid float value: 'nope'" in result.stderr  # argparse's own message
    failed = "the submit script failed (exit code 2): SystemExit: 2, before submitting anything"
    assert failed in one_error(result)


def test_without_an_engine_the_capture_falls_back_to_a_subprocess(tmp_path: Path) -> None:
    submit = write_shape(tmp_path / "project", CONDA)
    nowhere = {"DOCKER_HOST": "unix:///nonexistent/docker.sock", "HOME": str(tmp_path),
               "XDG_RUNTIME_DIR": str(tmp_path)}  # no docker context, no user socket
    result = run_dry_run([str(submit), "--plan", "--capture"], submit.parent, env=nowhere)
    assert result.code == 0, result.stderr
    spec = json.loads(result.stdout)["run_spec"]
    assert spec["capture"]["sandbox"].startswith(f"subprocess {sys.executable}")
    assert "no container engine: the submit script ran in a subprocess of this Python" in spec["notes"]
    # asked for a container engine by name, there is no fallback: one clear error
    line = one_error(run_dry_run([str(submit), "--plan", "--capture", "--engine", "podman"], submit.parent,
                                 env=nowhere))
    assert "no container engine available" in line


def test_the_sweep_example_is_captured(tmp_path: Path) -> None:
    from dryrun_helpers import ROOT

    example = ROOT / "examples" / "dry_run"
    options = ["--plan", *LOCAL, "--data", f"data-dir={example / 'data'}", "--", "--epochs", "30"]
    result = run_dry_run([str(example / "sweep.py"), *options], tmp_path)
    assert result.code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["node_specs"][0]["arguments"] == ["--data-dir", str((example / "data").resolve()), "--epochs",
                                                  "30", "--learning-rate", "0.0105"]
    assert plan["run_spec"]["experiment_name"] == "fruit-sweep"
    assert plan["run_spec"]["source_directory"] == str(example / "src")


def test_a_submit_script_in_a_system_folder_is_not_copied(tmp_path: Path) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".py", dir="/tmp") as loose:  # /tmp itself: never copied
        loose.write("from azureml.core import Experiment\n")
        loose.flush()
        line = one_error(run_dry_run([loose.name, "--plan", *LOCAL], tmp_path))
    assert "the project folder of SUBMIT.py (it is copied for the sandbox): /tmp: refused" in line
