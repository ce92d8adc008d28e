"""SDK v2 (azure-ai-ml) submit scripts in static mode, through `aml-migrate dry-run --plan` (no engine,
no SDK needed): the command job resolved, its data, outputs, environment, layout and limits, and one
clear line for what cannot be dry-run."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from dryrun_helpers import run_dry_run, write_project
from shapes import write_shape
from v2_shapes import MPI, PLAIN, SWEEP, TIMEOUT

HEADER = """\
from azure.ai.ml import Input, MLClient, MpiDistribution, Output, PyTorchDistribution, TensorFlowDistribution
from azure.ai.ml import command
from azure.ai.ml.entities import BuildContext, Environment
from azure.identity import DefaultAzureCredential
ml_client = MLClient.from_config(DefaultAzureCredential())
"""
ENV = 'Environment(image="python:3.11-slim")'
JOB = "job = command(code='src', command='python train.py', "


def plan(submit: Path, *options: str) -> dict:
    result = run_dry_run([str(submit), "--plan", *options], submit.parent)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def error(submit: Path, *options: str) -> str:
    result = run_dry_run([str(submit), "--plan", *options], submit.parent)
    lines = result.stderr.strip().splitlines()
    assert result.code == 2 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1 and lines[0].startswith("aml-migrate dry-run: error: "), result.stderr
    return lines[0].removeprefix("aml-migrate dry-run: error: ")


def v2_project(tmp_path: Path, body: str, scripts: dict[str, str] | None = None) -> Path:
    return write_project(tmp_path, HEADER + textwrap.dedent(body), scripts or {"train.py": "print('hi')\n"})


def line_of(submit: Path, text: str) -> int:
    return next(number for number, line in enumerate(submit.read_text().splitlines(), 1) if text in line)


def test_command_job_with_inputs_outputs_and_environment(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, PLAIN)
    data = tmp_path / "fruit"
    data.mkdir()
    found = plan(submit, "--data", f"fruit={data}")
    spec = found["run_spec"]
    assert (spec["sdk"], spec["source_directory"], spec["script"]) == ("v2", "./src", "train.py")
    assert spec["shell_command"] is None
    marker = {"key": "input_1", "prefix": "", "suffix": ""}
    output = {"key": "output_1", "prefix": "", "suffix": ""}
    assert spec["arguments"] == ["--data", marker, "--epochs", "4", "--lr", "0.01", "--model-dir", output]
    [fruit] = spec["inputs"]
    assert (fruit["name"], fruit["kind"], fruit["asset_type"], fruit["mode"]) == (
        "fruit", "input", "uri_folder", "ro_mount")
    assert fruit["uri"] == "azureml://datastores/workspaceblobstore/paths/fruit/"
    assert fruit["local_path"] is None
    assert [(item["key"], item["name"]) for item in spec["outputs"]] == [("output_1", "model")]
    assert spec["environment"]["base_image"] == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
    assert spec["environment"]["pip"] == ["dryrun-probe==1.0"]
    assert spec["environment_variables"] == {"FRUIT_SEED": "7", "FRUIT_MODE": "fast"}  # set after, too
    assert spec["experiment_name"] == "fruit"  # create_or_update(job, experiment_name=...)
    assert spec["job_line"] == line_of(submit, "job = command(") and spec["job_name"] == "job"
    assert found["image"]["build"]["packages"] == ["dryrun-probe==1.0"]  # conda's python and pip: the image's
    [node] = found["node_specs"]
    assert node["arguments"] == ["--data", "/mnt/azureml/data/input_1", "--epochs", "4", "--lr", "0.01",
                                 "--model-dir", "/mnt/azureml/outputs/model"]
    [create] = [call["kwargs"] for call in found["engine_calls"] if call["op"] == "containers.create"]
    assert create["shm_size"] == "2g"  # the service's default for a command job
    assert create["environment"]["AZURE_ML_INPUT_fruit"] == "/mnt/azureml/data/input_1"
    assert create["environment"]["AZURE_ML_OUTPUT_model"] == "/mnt/azureml/outputs/model"
    assert create["volumes"][str(data)] == {"bind": "/mnt/azureml/data/input_1", "mode": "ro,z"}
    [model] = found["outputs"]
    assert create["volumes"][model["local_folder"]] == {"bind": "/mnt/azureml/outputs/model", "mode": "rw,Z"}
    assert model["local_folder"].endswith("/named-outputs/model")


def test_a_remote_input_needs_data_and_the_error_says_where(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, PLAIN)
    line = error(submit)
    assert line == (f"{submit} line {line_of(submit, 'job = command(')}: the job's input 'fruit' "
                    "(azureml://datastores/workspaceblobstore/paths/fruit/) is not on this machine: give a "
                    "local copy with --data fruit=FOLDER")
    assert "no input named 'apples'" in error(submit, "--data", f"apples={tmp_path}")


def test_a_notebook_names_the_cell(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, PLAIN, notebook=True)
    assert error(submit).startswith(f"{submit} cell 3 line 6: the job's input 'fruit' (azureml://")
    spec = plan(submit, "--data", f"fruit={tmp_path}")["run_spec"]
    assert spec["arguments"][2:6] == ["--epochs", "4", "--lr", "0.01"] and spec["experiment_name"] == "fruit"


def test_a_job_built_by_functions_and_swept_is_one_trial(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, SWEEP)
    found = plan(submit)
    spec = found["run_spec"]
    table = {"key": "input_1", "prefix": "", "suffix": ""}
    # argparse's default epochs, the middle of the lr range, the first kernel; $[[--seed ...]] left out.
    assert spec["arguments"] == ["--data", table, "--epochs", "5", "--lr", "0.05", "--kernel", "rbf"]
    assert spec["sweep"]["trial"] == {"lr": 0.05, "kernel": "rbf"}
    assert spec["sweep"]["search_space"]["kernel"] == {"type": "choice", "values": ["rbf", "linear"]}
    assert any(note.startswith("sweep: the dry run is one trial, with lr=0.05, kernel=rbf")
               for note in spec["notes"])
    # azure-ai-ml raises a sweep time limit under a minute to 60 s; its job(...) forgets experiment_name.
    assert (spec["max_run_duration_seconds"], spec["time_limit_name"]) == (60, "sweep trial_timeout")
    assert spec["experiment_name"] == "dry-run"
    # The environment the script registers and then names: its conda file's packages.
    assert spec["environment"]["name"] == "fruit-sweep-env"
    assert spec["environment"]["pip"] == ["dryrun-probe==1.0"]
    [data] = spec["inputs"]
    assert (data["asset_type"], data["local_path"]) == ("uri_file", str(tmp_path / "data" / "fruit.csv"))
    # A file keeps its name.
    assert found["node_specs"][0]["arguments"][1] == "/mnt/azureml/data/input_1/fruit.csv"
    chosen = plan(submit, "--set", "lr=0.02", "--set", "kernel=linear", "--", "--epochs", "7")["run_spec"]
    assert chosen["arguments"][2:] == ["--epochs", "7", "--lr", "0.02", "--kernel", "linear"]


def _ranks(found: dict) -> list[list[dict]]:
    """Each node's per-process variables, the run's own host names made comparable."""
    text = json.dumps([node["processes"] for node in found["node_specs"]])
    return json.loads(re.sub(r"aml-dryrun-[0-9a-f]{6}", "HOST", text))


@pytest.mark.parametrize("v2, v1", [
    ("instance_count=2, distribution=MpiDistribution(process_count_per_instance=2)",
     "MpiConfiguration(process_count_per_node=2, node_count=2)"),
    ("instance_count=2, distribution=PyTorchDistribution(process_count_per_instance=3)",
     "PyTorchConfiguration(process_count=6, node_count=2)"),
    ("instance_count=2, distribution={'type': 'pytorch', 'process_count_per_instance': 3}",
     "PyTorchConfiguration(process_count=6, node_count=2)"),
    ("distribution=TensorFlowDistribution(worker_count=2, parameter_server_count=1)",
     "TensorflowConfiguration(worker_count=2, parameter_server_count=1)"),
], ids=["mpi", "pytorch", "pytorch-dict", "tensorflow"])
def test_distributions_get_the_ranks_of_the_v1_layouts(tmp_path: Path, v2: str, v1: str) -> None:
    new = v2_project(tmp_path / "v2", f"{JOB}environment={ENV}, {v2})")
    old = write_project(tmp_path / "v1", f"""
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.runconfig import MpiConfiguration, PyTorchConfiguration, TensorflowConfiguration
        src = ScriptRunConfig(source_directory="src", script="train.py", environment=Environment("e"),
                              distributed_job_config={v1})
    """, {"train.py": ""})
    assert _ranks(plan(new)) == _ranks(plan(old))
    assert len(_ranks(plan(new))) > 1


def test_the_mpi_shape_and_its_shared_memory(tmp_path: Path) -> None:
    found = plan(write_shape(tmp_path, MPI))
    assert [len(node["processes"]) for node in found["node_specs"]] == [1, 1]
    creates = [call["kwargs"] for call in found["engine_calls"] if call["op"] == "containers.create"]
    assert [create["shm_size"] for create in creates] == ["256m", "256m"]


@pytest.mark.parametrize("reference", [
    "azureml:AzureML-Scikit-learn-0.20.3@latest", "AzureML-Scikit-learn-0.20.3:5",
    "azureml://registries/azureml/environments/AzureML-Scikit-learn-0.20.3/labels/latest",
])
def test_a_curated_environment_is_the_one_v1_dry_runs_know(tmp_path: Path, reference: str) -> None:
    new = v2_project(tmp_path / "v2", f"{JOB}environment={reference!r})")
    old = write_project(tmp_path / "v1", """
        from azureml.core import Environment, ScriptRunConfig, Workspace
        env = Environment.get(Workspace.from_config(), "AzureML-Scikit-learn-0.20.3")
        src = ScriptRunConfig(source_directory="src", script="train.py", environment=env)
    """, {"train.py": ""})
    image = plan(new)["image"]
    assert image["build"]["base"] == plan(old)["image"]["build"]["base"]
    assert image["build"]["packages"] == plan(old)["image"]["build"]["packages"]
    assert "scikit-learn==0.20.3" in image["build"]["packages"]


def test_an_unknown_environment_is_one_line_unless_pinned(tmp_path: Path) -> None:
    submit = v2_project(tmp_path, """
        job = command(code="src", command="python train.py",
                      environment="azureml:team-env:3")
    """)
    line = error(submit)
    job_line = line_of(submit, "job = command(")
    assert line.startswith(f"{submit} line {job_line}: no image known for environment 'team-env'")
    assert "pass --image IMAGE or pin it in pyproject.toml" in line
    assert plan(submit, "--image", "python:3.12")["image"]["image"] == "python:3.12"
    pin = '[tool.aml-migrate.dry-run]\nimages = { "team-env" = "team:1" }\n'
    (tmp_path / "pyproject.toml").write_text(pin)
    assert plan(submit)["image"]["image"] == "team:1"


def test_a_command_that_is_not_python_script_runs_in_the_shell(tmp_path: Path) -> None:
    submit = v2_project(tmp_path, f"""
        job = command(code="src", inputs={{"raw": Input(path="src"), "n": 3}}, environment={ENV},
                      command="bash prepare.sh ${{{{inputs.raw}}}} && "
                              "python -m fruit.train --n=${{{{inputs.n}}}}")
    """)
    found = plan(submit)
    spec = found["run_spec"]
    assert (spec["script"], spec["arguments"]) == ("", [])
    assert spec["shell_command"] == ["bash prepare.sh ", {"key": "input_1", "prefix": "", "suffix": ""},
                                     " && python -m fruit.train --n=3"]
    assert found["node_specs"][0]["command"] == ("bash prepare.sh /mnt/azureml/data/input_1 && "
                                                 "python -m fruit.train --n=3")
    assert spec["inputs"][0]["local_path"] == str(tmp_path / "src")  # a local input: mounted as it is


@pytest.mark.parametrize("command, script, arguments, shell", [
    ("python train.py --name 'a b' --x=${{inputs.n}}", "train.py", ["--name", "a b", "--x=3"], None),
    # A value is put in the text as it is, and the shell splits it, as on the service.
    ("python train.py --kernel ${{inputs.kernel}} --fast ${{inputs.fast}}", "train.py",
     ["--kernel", "rbf", "linear", "--fast", "True"], None),
    ("python3 train.py $[[--opt ${{inputs.n}}]] $[[--gone ${{inputs.none}}]]", "train.py", ["--opt", "3"],
     None),
    ("python train.py | tee log.txt", "", [], ["python train.py | tee log.txt"]),
    ("python train.py --lr $LR", "", [], ["python train.py --lr $LR"]),
    ("python -u train.py", "", [], ["python -u train.py"]),
], ids=["quoted", "text-value", "optional", "pipe", "variable", "option"])
def test_python_script_or_shell(tmp_path: Path, command: str, script: str, arguments: list, shell) -> None:
    submit = v2_project(tmp_path, f"""
        job = command(code="src", command={command!r}, environment={ENV},
                      inputs={{"n": 3, "none": Input(type="integer", optional=True), "kernel": "rbf linear",
                              "fast": True}})
    """)
    spec = plan(submit)["run_spec"]
    assert (spec["script"], spec["arguments"], spec["shell_command"]) == (script, arguments, shell)


def test_timeout_and_a_job_without_code(tmp_path: Path) -> None:
    spec = plan(write_shape(tmp_path / "a", TIMEOUT))["run_spec"]
    assert (spec["max_run_duration_seconds"], spec["time_limit_name"]) == (3, "timeout")
    submit = v2_project(tmp_path / "b", f"""
        job = command(command="echo hello", environment={ENV}, instance_count=2)
    """)
    found = plan(submit)
    assert found["run_spec"]["source_directory"] == "" and found["node_specs"][0]["command"] == "echo hello"
    assert any("instance_count=2 without a distribution" in note for note in found["run_spec"]["notes"])


def test_the_submitted_job_is_chosen(tmp_path: Path) -> None:
    submit = v2_project(tmp_path, f"""
        prepare = command(code="src", command="python prep.py", environment={ENV})
        train = command(code="src", command="python train.py", environment={ENV})
        ml_client.jobs.create_or_update(train)
    """, {"prep.py": "", "train.py": ""})
    assert plan(submit)["run_spec"]["script"] == "train.py"
    assert plan(submit, "--job", "prepare")["run_spec"]["script"] == "prep.py"
    by_line = str(line_of(submit, "prepare = command("))
    assert plan(submit, "--job", by_line)["run_spec"]["script"] == "prep.py"
    submit.write_text(submit.read_text().replace("ml_client.jobs.create_or_update(train)", ""))
    assert "several jobs (prepare (line 7), train (line 8)); choose one with --job" in error(submit)


@pytest.mark.parametrize("body, message", [
    ("print('nothing')", "line 1: imports azure.ai.ml but builds no command(...) job"),
    ("job = {'type': 'command'}\nml_client.jobs.create_or_update(job)",
     "line 7: job is not an azure.ai.ml command job (nor a sweep of one): only those can be dry-run"),
    (f"job = command(code='src', command='python train.py --x ${{{{inputs.x}}}}', environment={ENV})",
     "line 6: the command uses ${{inputs.x}} but the job has no input 'x' with a value (none)"),
    (f"{JOB}environment={ENV}, distribution={{'type': 'ray'}})",
     "line 6: a ray distribution cannot be dry-run (MPI, PyTorch and TensorFlow can)"),
    (f"{JOB}environment=Environment(build=BuildContext(path='d')))",
     "line 6: environment (inline) is built from a Docker build context; build it yourself and pass --image"),
    ("import os\njob = command(code=os.environ['CODE'], command='python train.py', environment='e:1',\n"
     "              inputs={'d': Input(path=os.environ['DATA'])})",
     "cannot resolve statically: os.environ['CODE'] (line 7), os.environ['DATA'] (line 8); supply each with"),
    (f"{JOB}environment={ENV}, instance_count='two')",
     "line 6: the command job does not read as a command job should (ValueError: invalid literal for int()"),
], ids=["no-job", "not-a-command", "no-such-input", "ray", "docker-build", "unresolvable", "wrong-kind"])
def test_what_cannot_be_dry_run_is_one_line_with_file_and_line(
        tmp_path: Path, body: str, message: str) -> None:
    submit = v2_project(tmp_path, body)
    line = error(submit)
    assert line.startswith(str(submit)) and message in line, line
