"""Both modes on the issue's shapes with real containers: the capture sandbox is a container of the
capture image (the test base image plus the SDK's wheels), and every job runs in a container."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from dryrun_helpers import Engine, write_project
from shapes import ARGS, CONDA, CONFIG, DEFAULT_IMAGE, ESTIMATORS, PATHS, SWEEP, write_shape

pytestmark = [pytest.mark.container, pytest.mark.sdk]


def project(tmp_path: Path, shape, engine: Engine, notebook: bool = False) -> Path:
    """The shape under tmp_path/project, with the team pin a machine without registry access needs:
    the SDK's default CPU image is built on the local base image."""
    submit = write_shape(tmp_path / "project", shape, notebook)
    (tmp_path / "project" / "pyproject.toml").write_text(textwrap.dedent(f"""
        [tool.aml-migrate.dry-run]
        images = {{ "{DEFAULT_IMAGE}" = "{engine.image}" }}
    """))
    return submit


def report(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "run" / "outputs" / "report.json").read_text())


def modes(capture_options: list[str], capture: bool) -> list[str]:
    """Capture mode's options, or static mode's: the same wheelhouse for the job's image."""
    return capture_options if capture else capture_options[capture_options.index("--wheelhouse"):]


@pytest.mark.parametrize("capture", [True, False], ids=["capture", "static"])
def test_config_file_shape_runs(tmp_path: Path, engine: Engine, container_run, capture_options: list[str],
                                capture: bool) -> None:
    submit = project(tmp_path, CONFIG, engine)
    data = tmp_path / "fruit"
    data.mkdir()
    (data / "apples.csv").write_text("a,b\n")
    result = container_run([str(submit), *modes(capture_options, capture), "--data", f"data-dir={data}",
                            "--output", str(tmp_path / "run")], submit.parent)
    assert result.code == 0, result.stderr
    sandbox = "in the capture sandbox (container localhost/aml-dry-run/capture-sandbox:"
    assert (sandbox in result.stderr) == capture
    found = report(tmp_path)
    assert found["argv"] == ["--data-dir", "/mnt/azureml/data/input_1", "--epochs", "4"]
    assert found["data"] == ["apples.csv"] and found["probe"] == "1.0"
    assert found["env"] == {"FRUIT_SEED": "7", "EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}


@pytest.mark.parametrize("capture", [True, False], ids=["capture", "static"])
def test_file_relative_paths_shape_runs(tmp_path: Path, engine: Engine, container_run,
                                        capture_options: list[str], capture: bool) -> None:
    submit = project(tmp_path, PATHS, engine)
    result = container_run([str(submit), *modes(capture_options, capture), "--output", str(tmp_path / "run")],
                           submit.parent)
    assert result.code == 0, result.stderr
    # In the container sandbox the project sits at its own path: __file__ gives the user's paths.
    assert report(tmp_path)["argv"] == ["--project", "project"] and report(tmp_path)["probe"] == "1.0"


@pytest.mark.parametrize("capture", [True, False], ids=["capture", "static"])
def test_same_name_packages_replace_each_other_in_the_built_image(
    tmp_path: Path, engine: Engine, container_run, capture_options: list[str], capture: bool
) -> None:
    """Both probe versions in one image would not even install: the SDK's rule keeps 2.0 only."""
    submit = project(tmp_path, CONDA, engine, notebook=True)
    options = [*modes(capture_options, capture), "--output", str(tmp_path / "run")]
    result = container_run([str(submit), *options], submit.parent)
    assert result.code == 0, result.stderr
    assert report(tmp_path)["probe"] == "2.0"


@pytest.mark.parametrize("capture", [True, False], ids=["capture", "static"])
def test_argparse_arguments_after_the_double_dash(tmp_path: Path, engine: Engine, container_run,
                                                  capture_options: list[str], capture: bool) -> None:
    submit = project(tmp_path, ARGS, engine)
    options = [*modes(capture_options, capture), "--output", str(tmp_path / "run"),
               "--", "--lr", "0.2", "--fast"]
    result = container_run([str(submit), *options], submit.parent)
    assert result.code == 0, result.stderr
    assert report(tmp_path)["argv"] == ["--lr", "0.2", "--epochs", "3", "--fast"]


def test_hyperdrive_built_by_helper_functions_runs_one_trial(
    tmp_path: Path, engine: Engine, container_run, capture_options: list[str]
) -> None:
    sweep = project(tmp_path, SWEEP, engine)
    options = [*capture_options, "--set", "batch=32", "--output", str(tmp_path / "run")]
    result = container_run([str(sweep), *options], sweep.parent)
    assert result.code == 0, result.stderr
    assert report(tmp_path)["argv"] == ["--epochs", "5", "--lr", "0.05", "--batch", "32"]


def test_estimator_notebook_with_writefile_in_both_modes(tmp_path: Path, engine: Engine, container_run,
                                                         capture_options: list[str]) -> None:
    submit = project(tmp_path, ESTIMATORS, engine, notebook=True)
    captured = container_run([str(submit), *capture_options, "--job", "2", "--image", engine.image,
                              "--output", str(tmp_path / "run")], submit.parent)
    assert captured.code == 0, captured.stderr
    assert "notebook-written train.py ['--evaluate']" in captured.stdout  # written by %%writefile
    static = container_run([str(submit), "--job", "train", "--image", engine.image,
                            "--output", str(tmp_path / "run2")], submit.parent)
    assert static.code == 0, static.stderr
    train = json.loads((tmp_path / "run2" / "outputs" / "report.json").read_text())
    assert train["argv"] == ["--epochs", "2"]


def test_container_sandbox_has_no_network_and_a_failure_is_exit_2(
    tmp_path: Path, engine: Engine, container_run, capture_options: list[str]
) -> None:
    submit = write_project(tmp_path / "project", """
        import socket, subprocess, sys
        interfaces = [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]]
        child = subprocess.run([sys.executable, "-c", "import socket; socket.getaddrinfo('pypi.org', 443)"],
                               capture_output=True)
        print("interfaces", interfaces, "child", child.returncode)
        raise RuntimeError("the workspace is not configured")
    """, {"train.py": ""})
    result = container_run([str(submit), *capture_options, "--output", str(tmp_path / "run")], submit.parent)
    assert "[submit] interfaces ['lo'] child 1" in result.stderr
    assert "[submit] RuntimeError: the workspace is not configured" in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("aml-migrate dry-run: error:")]
    assert result.code == 2 and errors == [
        f"aml-migrate dry-run: error: {submit}: the submit script failed at line 7 (exit code 1): "
        "RuntimeError: the workspace is not configured, before submitting anything; its traceback is above"]


def test_the_sweep_example_runs_one_trial_in_a_container(tmp_path: Path, engine: Engine, container_run,
                                                         capture_options: list[str]) -> None:
    from dryrun_helpers import ROOT

    example = ROOT / "examples" / "dry_run"
    result = container_run([str(example / "sweep.py"), *capture_options, "--image", engine.image,
                            "--data", f"data-dir={example / 'data'}", "--output", str(tmp_path / "run"),
                            "--", "--epochs", "5"], tmp_path)
    assert result.code == 0, result.stderr
    assert "epoch 4: loss" in result.stdout
    model = json.loads((tmp_path / "run" / "outputs" / "model.json").read_text())
    assert model["rows"] > 0
