"""SDK v2 command jobs run in real containers (podman through its Docker API; see conftest.py): the same
isolation, limits and exit codes as v1 jobs. Few and fast: each runs the test base image as it is."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from dryrun_helpers import Engine
from shapes import write_shape
from v2_shapes import MPI, PLAIN, SWEEP, TIMEOUT

pytestmark = pytest.mark.container


def run(container_run, engine: Engine, submit: Path, *options: str):
    output = str(submit.parent / "run")
    return container_run([str(submit), "--image", engine.image, "--output", output, *options], submit.parent)


def report(submit: Path) -> dict:
    return json.loads((submit.parent / "run" / "outputs" / "report.json").read_text())


def test_command_job_with_arguments_data_and_an_output(tmp_path: Path, engine: Engine, container_run) -> None:
    submit = write_shape(tmp_path, PLAIN)
    data = tmp_path / "fruit"
    data.mkdir()
    (data / "apples.csv").write_text("diameter,weight\n")
    result = run(container_run, engine, submit, "--data", f"fruit={data}")
    assert result.code == 0, result.stderr
    assert "trained with --data /mnt/azureml/data/input_1 --epochs 4" in result.stdout
    found = report(submit)
    assert found["argv"] == ["--data", "/mnt/azureml/data/input_1", "--epochs", "4", "--lr", "0.01",
                             "--model-dir", "/mnt/azureml/outputs/model"]
    assert found["data"] == ["apples.csv"] and found["cwd"] == "/azureml-run"
    assert found["env"] == {"FRUIT_SEED": "7", "FRUIT_MODE": "fast",
                            "AZURE_ML_INPUT_fruit": "/mnt/azureml/data/input_1",
                            "AZURE_ML_OUTPUT_model": "/mnt/azureml/outputs/model"}
    # The output is a folder of the run, written by the job as the caller's user.
    model = tmp_path / "run" / "named-outputs" / "model" / "model.txt"
    assert model.read_text() == "weights" and model.stat().st_uid == os.getuid()


def test_mpi_job_with_two_ranks(tmp_path: Path, engine: Engine, container_run) -> None:
    submit = write_shape(tmp_path, MPI)
    result = run(container_run, engine, submit, "--timeout", "120")
    assert result.code == 0, result.stdout + result.stderr
    rank0 = json.loads((tmp_path / "run" / "outputs" / "rank0.json").read_text())
    [message] = rank0["messages"]
    rank, local, host = message.split()
    assert (rank, local) == ("1", "0") and host != rank0["host"]  # the second instance, its own container
    assert "[rank 0] rank 0 done" in result.stdout and "[rank 1] rank 1 done" in result.stdout
    assert "(2 container(s))" in result.stderr


def test_a_shell_command_past_its_timeout_is_killed(tmp_path: Path, engine: Engine, container_run) -> None:
    submit = write_shape(tmp_path, TIMEOUT)
    started = time.monotonic()
    result = run(container_run, engine, submit, "--timeout", "30")
    assert result.code == 124
    assert time.monotonic() - started < 25
    assert "time limit of 3s reached (timeout): job killed, containers removed" in result.stderr
    assert "in /azureml-run\nstarted" in result.stdout  # the shell ran it, `python` found on its PATH


@pytest.mark.parametrize("capture", [False, True], ids=["static", "capture"])
def test_one_trial_of_a_sweep_runs(tmp_path: Path, engine: Engine, container_run, request,
                                   capture: bool) -> None:
    """Statically, and captured in a container of the capture image with azure-ai-ml (built once)."""
    submit = write_shape(tmp_path, SWEEP)
    modes = ["--capture", "--capture-image", engine.image, "--wheelhouse",
             str(request.getfixturevalue("v2_sdk_wheelhouse"))] if capture else []
    result = run(container_run, engine, submit, *modes, "--set", "kernel=linear", "--", "--epochs", "2")
    assert result.code == 0, result.stderr
    sandbox = "in the capture sandbox (container localhost/aml-dry-run/capture-sandbox:"
    assert (sandbox in result.stderr) == capture
    found = report(submit)
    assert found["argv"] == ["--data", "/mnt/azureml/data/input_1/fruit.csv", "--epochs", "2", "--lr", "0.05",
                             "--kernel", "linear"]
    assert found["data"] == "diameter,weight\n7,150\n"  # the local uri_file, mounted read-only
    assert "sweep: the dry run is one trial, with lr=0.05, kernel=linear" in result.stderr
