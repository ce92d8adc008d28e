"""`dry-run --capture` of SDK v2 submit scripts with the subprocess sandbox: the script runs with the real
azure-ai-ml, `MLClient` replaced offline, and each `create_or_update` recorded from the objects it built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dryrun_helpers import run_dry_run, write_project
from needs import require_module
from shapes import write_shape
from v2_shapes import MPI, PLAIN, SWEEP

require_module("azure.ai.ml", "capture runs SDK v2 submit scripts under azure-ai-ml")

pytestmark = pytest.mark.sdk
LOCAL = ["--capture", "--engine", "local"]


def spec_of(submit: Path, *options: str) -> dict:
    result = run_dry_run([str(submit), "--plan", *options], submit.parent)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)["run_spec"]


def one_error(result) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("aml-migrate dry-run: error: ")]
    assert result.code == 2 and len(errors) == 1, result.stderr
    return errors[0]


def _comparable(spec: dict) -> dict:
    """What the static and the captured spec must agree on (paths as the user's, inputs by name)."""
    keys = {item["key"]: item["name"] for item in [*spec["inputs"], *spec["outputs"]]}
    root = Path(spec["submit_path"]).parent
    return {
        "code": str((root / spec["source_directory"]).resolve()),
        "script": spec["script"],
        "arguments": [f"<{keys[item['key']]}>" if isinstance(item, dict) else item
                      for item in spec["arguments"]],
        "shell": spec["shell_command"],
        "inputs": [(item["name"], item["asset_type"], item["mode"], item["uri"],
                    item["local_path"] and Path(item["local_path"]).name) for item in spec["inputs"]],
        "outputs": [(item["name"], item["asset_type"]) for item in spec["outputs"]],
        "environment": {key: spec["environment"][key]
                        for key in ("name", "curated", "base_image", "pip", "conda")},
        "variables": spec["environment_variables"],
        "distributed": spec["distributed"],
        "limit": (spec["max_run_duration_seconds"], spec["time_limit_name"]),
        "shm_size": spec["shm_size"],
        "sweep": spec["sweep"] and {key: spec["sweep"][key] for key in ("search_space", "limits", "trial")},
        "experiment": spec["experiment_name"],
    }


@pytest.mark.parametrize("shape, notebook, options", [
    (PLAIN, False, ["--data", "fruit=data"]), (PLAIN, True, ["--data", "fruit=data"]), (MPI, False, []),
    (SWEEP, False, ["--", "--epochs", "7"])], ids=["plain", "plain-ipynb", "mpi", "sweep"])
def test_static_and_captured_specs_agree(tmp_path: Path, shape, notebook: bool, options: list[str]) -> None:
    """The static resolver's model of azure-ai-ml gives what the SDK's own objects hold."""
    submit = write_shape(tmp_path, shape, notebook)
    (tmp_path / "data").mkdir(exist_ok=True)
    static = spec_of(submit, *options)
    captured = spec_of(submit, *LOCAL, *options)
    assert _comparable(captured) == _comparable(static)
    assert captured["capture"]["sandbox"].startswith("subprocess ")
    assert captured["snapshot_from"] != captured["source_directory"]  # taken from the sandbox's copy


def test_the_recorded_job_is_what_azure_ai_ml_holds(tmp_path: Path) -> None:
    """The record against the SDK's own serialisation of the same job, built here."""
    from azure.ai.ml import Input, Output, command
    from azure.ai.ml.entities import Environment

    submit = write_shape(tmp_path, PLAIN)
    recorded = spec_of(submit, *LOCAL, "--data", f"fruit={tmp_path}")["capture"]["job"]
    env = Environment(image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",
                      conda_file={"name": "fruit", "channels": ["conda-forge"],
                                  "dependencies": ["python=3.10", "pip", {"pip": ["dryrun-probe==1.0"]}]})
    job = command(code="./src", command=recorded["command"], environment=env, compute="cpu-cluster",
                  inputs={"fruit": Input(type="uri_folder", mode="ro_mount",
                                         path="azureml://datastores/workspaceblobstore/paths/fruit/"),
                          "epochs": 4, "lr": 0.01},
                  outputs={"model": Output(type="uri_folder")},
                  environment_variables={"FRUIT_SEED": "7", "FRUIT_MODE": "fast"})
    serialised = job._to_dict()
    assert recorded["command"] == serialised["component"]["command"]
    assert recorded["environment"]["image"] == serialised["environment"]["image"]
    assert recorded["environment"]["conda_file"] == serialised["environment"]["conda_file"]
    assert recorded["environment_variables"] == serialised["environment_variables"]
    assert recorded["inputs"]["fruit"] == serialised["inputs"]["fruit"]
    assert {name: recorded["inputs"][name] for name in ("epochs", "lr")} == {"epochs": 4, "lr": 0.01}
    assert recorded["outputs"] == serialised["outputs"]
    assert recorded["code"] == str(Path(recorded["code"]).parent / "src")  # made absolute, as the SDK does


def test_ml_client_is_offline_and_its_services_stand_in(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        from azure.ai.ml import Input, MLClient, command
        from azure.identity import DefaultAzureCredential

        ml_client = MLClient.from_config(credential=DefaultAzureCredential())
        cluster = ml_client.compute.get("cpu-cluster")
        fruit = ml_client.data.get(name="fruit", version="3")
        env = ml_client.environments.get("AzureML-Scikit-learn-0.20.3", label="latest")
        job = command(code="src", command="python train.py --data ${{inputs.fruit}}",
                      inputs={"fruit": Input(type="uri_folder", path=fruit.id)}, environment=env,
                      compute=cluster.name)
        submitted = ml_client.jobs.create_or_update(job, experiment_name="offline")
        ml_client.jobs.stream(submitted.name)
        print("studio:", submitted.studio_url)
    """, {"train.py": ""})
    config = {"subscription_id": "s", "resource_group": "r", "workspace_name": "w"}
    (tmp_path / "config.json").write_text(json.dumps(config))
    result = run_dry_run([str(submit), "--plan", *LOCAL, "--data", f"fruit={tmp_path}"], tmp_path)
    assert result.code == 0, result.stderr
    assert "[submit] studio: (aml-migrate dry-run: nothing was submitted)" in result.stderr
    spec = json.loads(result.stdout)["run_spec"]
    assert spec["inputs"][0]["uri"] == "azureml:fruit:3" and spec["experiment_name"] == "offline"
    assert spec["environment"]["curated"] == "AzureML-Scikit-learn-0.20.3"
    # Anything that would reach the service or the network fails at once, with the script's traceback.
    submit.write_text("from azure.identity import DefaultAzureCredential\n"
                      "DefaultAzureCredential().get_token('https://management.azure.com/.default')\n")
    failed = run_dry_run([str(submit), *LOCAL], tmp_path)
    assert "the submit script failed at line 2" in one_error(failed)
    assert "Traceback" in failed.stderr


def test_a_sweep_trial_is_chosen_with_set(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, SWEEP)
    spec = spec_of(submit, *LOCAL, "--set", "lr=0.02")
    assert spec["arguments"][4:] == ["--lr", "0.02", "--kernel", "rbf"]
    assert spec["capture"]["hyperparameters"] == {"lr": 0.02, "kernel": "rbf"}
    line = one_error(run_dry_run([str(submit), "--plan", *LOCAL, "--set", "momentum=0.9"], tmp_path))
    assert "--set momentum: not a hyperparameter of the sweep (lr, kernel)" in line


def test_an_interpreter_without_azure_ai_ml_is_one_clear_error(tmp_path: Path, bare_python: Path) -> None:
    submit = write_shape(tmp_path / "project", PLAIN)
    result = run_dry_run([str(submit), "--capture", "--python", str(bare_python)], submit.parent)
    assert f"{bare_python} has no azure-ai-ml (No module named 'azure')" in one_error(result)
    assert "(pip install azure-ai-ml)" in one_error(result)


def test_the_static_model_names_what_azure_ai_ml_has() -> None:
    """The static resolver's tables against the installed azure-ai-ml: its constants, the classes it
    models (by the import paths scripts use) and the search spaces' parameters."""
    import importlib
    import inspect

    from azure.ai.ml import sweep
    from azure.ai.ml.constants import AssetTypes, InputOutputModes

    from lint_plugin.dryrun.sweep import centre, from_v2
    from lint_plugin.dryrun.v2_values import _SPACES, CONSTANTS, module_call

    real = {f"azure.ai.ml.constants.{owner.__name__}.{name}": value
            for owner in (AssetTypes, InputOutputModes) for name, value in vars(owner).items()
            if not name.startswith("_")}
    assert CONSTANTS == real
    for path in ("azure.ai.ml.command", "azure.ai.ml.Input", "azure.ai.ml.Output", "azure.ai.ml.MLClient",
                 "azure.ai.ml.MpiDistribution", "azure.ai.ml.PyTorchDistribution",
                 "azure.ai.ml.TensorFlowDistribution",
                 "azure.ai.ml.entities.Environment", "azure.ai.ml.entities.BuildContext",
                 "azure.ai.ml.entities.JobResourceConfiguration", "azure.ai.ml.entities.CommandJobLimits",
                 *[f"azure.ai.ml.sweep.{name}" for name in _SPACES]):
        module, name = path.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name), path
        assert module_call(path) is not None, path
    samples = {"Choice": ([3, 4],), "Randint": (5,), "Normal": (1.0, 0.5), "LogNormal": (0.0, 1.0),
               "QNormal": (8.0, 1.0, 2), "QLogNormal": (1.0, 1.0, 2), "Uniform": (0.01, 0.09),
               "LogUniform": (0.0, 2.0), "QUniform": (1, 11, 2), "QLogUniform": (0.0, 2.0, 1)}
    expected = {"Choice": 3, "Randint": 0, "Normal": 1.0, "LogNormal": 1.0, "QNormal": 8, "QLogNormal": 2,
                "Uniform": 0.05, "LogUniform": 2.718281828459045, "QUniform": 6, "QLogUniform": 3}
    for name, parameters in _SPACES.items():
        cls = getattr(sweep, name)
        assert tuple(inspect.signature(cls.__init__).parameters)[1:len(parameters) + 1] == parameters, name
        described = {key: value for key, value in vars(cls(*samples[name])).items()
                     if not key.startswith("_")}
        assert centre(name, from_v2(name, described)) == pytest.approx(expected[name]), name


def test_a_job_loaded_from_yaml_is_captured(tmp_path: Path) -> None:
    """`load_job("job.yml")`, not followed statically, is what the SDK loads in capture mode."""
    submit = write_project(tmp_path, """
        from azure.ai.ml import MLClient, load_job
        from azure.identity import DefaultAzureCredential

        ml_client = MLClient.from_config(DefaultAzureCredential())
        ml_client.jobs.create_or_update(load_job(source="job.yml"), experiment_name="yaml")
    """, {"train.py": ""})
    (tmp_path / "job.yml").write_text("code: src\ncommand: python train.py --lr ${{inputs.lr}}\n"
                                      "inputs:\n  lr: 0.3\nenvironment:\n  image: python:3.11-slim\n"
                                      "resources:\n  instance_count: 2\ndistribution:\n  type: pytorch\n")
    assert "cannot resolve statically: load_job(source='job.yml') (line 6)" in one_error(
        run_dry_run([str(submit), "--plan"], tmp_path))
    spec = spec_of(submit, *LOCAL)
    assert (spec["script"], spec["arguments"]) == ("train.py", ["--lr", "0.3"])
    assert spec["experiment_name"] == "yaml"
    assert spec["source_directory"] == str(tmp_path / "src")
    assert (spec["distributed"]["kind"], spec["distributed"]["node_count"]) == ("pytorch", 2)
    assert spec["environment"]["base_image"] == "python:3.11-slim"
