"""Static mode (no --capture) on the submit-script shapes of issue 14, through `dry-run --plan`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from dryrun_helpers import run_dry_run, write_project
from shapes import ARGS, CONDA, CONFIG, ESTIMATORS, PATHS, SWEEP, write_shape


def plan(submit: Path, *options: str, code: int = 0) -> dict:
    result = run_dry_run([str(submit), "--plan", *options], submit.parent)
    assert result.code == code, result.stderr
    return json.loads(result.stdout) if code == 0 else {"stderr": result.stderr}


def error(submit: Path, *options: str) -> str:
    result = run_dry_run([str(submit), "--plan", *options], submit.parent)
    lines = result.stderr.strip().splitlines()
    assert result.code == 2 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1 and lines[0].startswith("aml-migrate dry-run: error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("notebook", [False, True], ids=["py", "ipynb"])
def test_config_file_values_are_read_from_json_and_yaml(tmp_path: Path, notebook: bool) -> None:
    spec = plan(write_shape(tmp_path, CONFIG, notebook), "--data", f"data-dir={tmp_path}")["run_spec"]
    assert (spec["source_directory"], spec["script"], spec["experiment_name"]) == ("src", "train.py", "fruit")
    assert spec["arguments"][2:] == ["--epochs", "4"] and spec["arguments"][1]["key"] == "input_1"
    assert spec["inputs"][0]["datastore"] == "fruitstore"
    assert spec["inputs"][0]["path_on_datastore"] == "datasets/fruit"
    assert spec["environment_variables"]["FRUIT_SEED"] == "7"
    assert spec["environment"]["pip"] == ["dryrun-probe==1.0"]  # from the conda file config.json names


def test_a_config_file_outside_the_project_or_missing_is_named_with_the_reason(tmp_path: Path) -> None:
    project = tmp_path / "project"
    submit = write_shape(project, CONFIG)
    (project / "config.json").unlink()
    config = project / "config.json"
    missing = f"cannot resolve statically: open('config.json') (line 6: no such file {config});"
    assert missing in error(submit)  # the cause, once, not every value that depends on it
    submit.write_text(submit.read_text().replace('open("config.json")', 'open("../secrets.json")'))
    (tmp_path / "secrets.json").write_text("{}")
    assert f"secrets.json is outside {project}" in error(submit)


def test_file_relative_paths_resolve_from_the_submit_script(tmp_path: Path) -> None:
    spec = plan(write_shape(tmp_path, PATHS))["run_spec"]
    assert spec["source_directory"] == str(tmp_path / "src")
    assert spec["arguments"] == ["--project", tmp_path.name]
    assert spec["environment"]["pip"] == ["dryrun-probe==1.0"]


@pytest.mark.parametrize("notebook", [False, True], ids=["py", "ipynb"])
def test_inline_conda_dependencies_follow_the_sdk_package_rules(tmp_path: Path, notebook: bool) -> None:
    result = plan(write_shape(tmp_path, CONDA, notebook))
    environment = result["run_spec"]["environment"]
    # add_pip_package("dryrun-probe==2.0") replaced the 1.0 entry, as the SDK does.
    assert environment["pip"] == ["dryrun-extra==1.0", "dryrun-probe==2.0"]
    assert environment["conda"] == ["python=3.10.18", "pip"]
    assert result["image"]["build"]["packages"] == ["dryrun-extra==1.0", "dryrun-probe==2.0"]
    # environment_variables assigned on the Environment replace the SDK's example variable.
    assert result["run_spec"]["environment_variables"] == {"FRUIT_SEED": "3"}


def test_argparse_defaults_and_overrides_after_the_double_dash(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, ARGS)
    assert plan(submit)["run_spec"]["arguments"] == ["--lr", "0.1", "--epochs", "3"]
    given = plan(submit, "--", "--lr", "0.2", "--fast", "--compute", "gpu")["run_spec"]
    assert given["arguments"] == ["--lr", "0.2", "--epochs", "3", "--fast"]
    # --set still wins over the parser, for one value
    assert plan(submit, "--set", "args.epochs=9")["run_spec"]["arguments"] == ["--lr", "0.1", "--epochs", "9"]
    line = error(submit, "--", "--lr", "fast")
    assert "its argument parser (line 12) stops: argument --lr: invalid float value: 'fast'" in line
    assert "give the script's arguments after --" in line


def test_unresolvable_values_name_only_what_the_job_needs_and_suggest_capture(tmp_path: Path) -> None:
    line = error(write_shape(tmp_path, SWEEP))
    assert "cannot resolve statically: script (line 13), env (line 13)" in line
    assert "--capture" in line


def test_one_estimator_left_manual_does_not_block_the_other_job(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, ESTIMATORS)
    listing = error(submit)
    assert "several jobs (train (line 7), evaluate (line 9) [not migrated])" in listing
    for choice in ("train", "7", "8"):  # a name, or any original line of its statement
        spec = plan(submit, "--job", choice)["run_spec"]
        assert spec["arguments"] == ["--epochs", "2"]
        assert spec["environment"]["pip"] == ["azureml-defaults", "dryrun-probe==1.0"]
    for choice in ("evaluate", "9"):
        blocked = error(submit, "--job", choice)
        assert "Estimator at lines 9-10 cannot be dry-run: the fixer leaves it for a human " in blocked
        assert "(**kwargs passed through, with keywords known only at run time)" in blocked
        assert "line 7" not in blocked.split("the other jobs")[0]  # only the blocking lines are named
        assert "the other jobs can be dry-run: train (line 7)" in blocked


def test_estimator_notebook_names_cells(tmp_path: Path) -> None:
    submit = write_shape(tmp_path, ESTIMATORS, notebook=True)
    assert "several jobs (train (cell 3 line 1), evaluate (cell 3 line 3) [not migrated])" in error(submit)
    assert plan(submit, "--job", "train")["run_spec"]["arguments"] == ["--epochs", "2"]


@pytest.mark.parametrize("style", ["curated", "exact"])
def test_the_issue_tensorflow_case_installs_one_tensorflow(tmp_path: Path, style: str) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Experiment, Workspace
        from azureml.train.dnn import TensorFlow
        ws = Workspace.from_config()
        est = TensorFlow(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
                         framework_version="1.13", use_gpu=True, pip_packages=["tensorflow-gpu==1.8.0"])
        Experiment(ws, "tf").submit(est)
    """, {"train.py": "print('tf')\n"})
    packages = plan(submit, "--env-style", style)["image"]["build"]["packages"]
    assert [item for item in packages if item.startswith("tensorflow")] == ["tensorflow-gpu==1.8.0"]


def test_set_replacing_a_value_that_carried_packages_warns(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.conda_dependencies import CondaDependencies
        deps = CondaDependencies.create(pip_packages=["torch==2.1", "pandas"], conda_packages=["mkl"])
        env = Environment("e")
        env.python.conda_dependencies = deps
        src = ScriptRunConfig(source_directory="src", script="train.py", environment=env)
    """, {"train.py": ""})
    result = run_dry_run([str(submit), "--set", "deps=None", "--image", "img", "--engine", "local",
                          "--output", str(tmp_path / "run")], tmp_path)
    assert result.code == 0, result.stderr
    assert ("warning: --set deps replaces the value of line 6, which carried the packages mkl, torch==2.1, "
            "pandas: the dry run installs none of them") in result.stderr
    quiet = run_dry_run([str(submit), "--plan", "--set", "src.run_config.target=x"], tmp_path)
    assert "replaces the value" not in quiet.stderr + quiet.stdout


def test_tuples_are_unpacked_and_ternaries_followed(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Environment, ScriptRunConfig
        lr, epochs = 0.3, 7
        debug = False
        src = ScriptRunConfig(source_directory="src", script="train.py", environment=Environment("e"),
                              arguments=["--lr", lr, "--epochs", epochs] + (["--debug"] if debug else []))
    """, {"train.py": ""})
    assert plan(submit)["run_spec"]["arguments"] == ["--lr", "0.3", "--epochs", "7"]


def test_sys_argv_and_pathlib_read_the_arguments_after_the_double_dash(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        import sys
        from pathlib import Path
        from azureml.core import Environment, ScriptRunConfig
        root = Path(__file__).parent
        src = ScriptRunConfig(source_directory=str(root / "src"), script=sys.argv[1],
                              arguments=sys.argv[2:], environment=Environment("e"))
    """, {"train.py": ""})
    spec = plan(submit, "--", "train.py", "--x", "1")["run_spec"]
    assert (spec["source_directory"], spec["script"], spec["arguments"]) == (
        str(tmp_path / "src"), "train.py", ["--x", "1"])


def test_yaml_needs_only_safe_loading(tmp_path: Path) -> None:
    submit = write_project(tmp_path, """
        import yaml
        from azureml.core import Environment, ScriptRunConfig
        settings = yaml.load(open("settings.yml"), Loader=yaml.FullLoader)
        src = ScriptRunConfig(source_directory="src", script="train.py", environment=Environment("e"),
                              arguments=["--lr", settings["lr"]])
    """, {"train.py": ""})
    (tmp_path / "settings.yml").write_text(textwrap.dedent("""
        lr: 0.5
        evil: !!python/object/apply:os.system ["echo pwned"]
    """))
    line = error(submit)
    refused = "yaml.load(open('settings.yml'), Loader=yaml.FullLoader) (line 4: not valid YAML: could not"
    assert refused in line
    (tmp_path / "settings.yml").write_text("lr: 0.5\n")
    assert plan(submit)["run_spec"]["arguments"] == ["--lr", "0.5"]
