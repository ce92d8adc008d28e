"""Run-spec extraction, data naming, layouts, images and engine discovery (no containers needed)."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import pytest

from lint_plugin.dryrun.engine import _socket_candidates
from lint_plugin.dryrun.image import plan_build, project_images, resolve_image
from lint_plugin.dryrun.layout import build_layout, cap
from lint_plugin.dryrun.extract import load_spec
from lint_plugin.dryrun.plan import time_limit
from lint_plugin.dryrun.spec import Distributed, DryRunError, EnvironmentSpec, InputArg
from lint_plugin.sdk.frameworks import DEFAULT_CPU_IMAGE

HEADER = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.runconfig import MpiConfiguration, PyTorchConfiguration, TensorflowConfiguration
import os
ws = Workspace.from_config()
"""


def spec_of(
    tmp_path: Path, body: str, job: str | None = None, overrides: dict | None = None, name: str = "s.py"
):
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body))
    return load_spec(path, job, overrides or {})


def test_literals_and_module_names_are_resolved(tmp_path: Path) -> None:
    spec = spec_of(
        tmp_path,
        """
        ROOT = "jobs"
        LR = 0.5
        flags = ["--lr", LR]
        src = ScriptRunConfig(source_directory=os.path.join(ROOT, "train"), script=f"{ROOT}.py",
                              arguments=flags + ["--name", "n" + str(3), "--neg", -1],
                              environment=Environment("e"), max_run_duration_seconds=60 * 5)
        src.run_config.environment_variables["A"] = 1
    """,
    )
    assert spec.source_directory == "jobs/train" and spec.script == "jobs.py"
    assert spec.arguments == ["--lr", "0.5", "--name", "n3", "--neg", "-1"]
    # A new Environment carries the SDK's example variable, and the cloud job gets it too.
    assert spec.environment_variables == {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE", "A": "1"}
    assert spec.max_run_duration_seconds == 300


def test_unresolvable_names_are_all_reported_with_lines(tmp_path: Path) -> None:
    body = """
        import argparse
        args = argparse.ArgumentParser().parse_args()
        src = ScriptRunConfig(source_directory=os.environ["SRC"], script="t.py",
                              arguments=["--lr", args.lr], environment=Environment("e"))
    """
    with pytest.raises(DryRunError) as error:
        spec_of(tmp_path, body)
    message = str(error.value)
    assert "os.environ['SRC'] (line 9)" in message and "args.lr (line 10)" in message and "--set" in message
    spec = spec_of(tmp_path, body, overrides={"args.lr": 0.01, "os.environ['SRC']": "src"})
    assert spec.arguments == ["--lr", "0.01"] and spec.source_directory == "src"


def test_submitted_job_is_chosen_and_job_option_selects(tmp_path: Path) -> None:
    body = """
        a = ScriptRunConfig(source_directory=".", script="a.py", environment=Environment("e"))
        b = ScriptRunConfig(source_directory=".", script="b.py", environment=Environment("e"))
        Experiment(ws, "x").submit(b)
    """
    assert spec_of(tmp_path, body).script == "b.py"
    assert spec_of(tmp_path, body, job="a").script == "a.py"
    assert spec_of(tmp_path, body, job="7").script == "a.py"
    with pytest.raises(DryRunError, match="--job c matches 0 of the jobs: a .line 7., b .line 8."):
        spec_of(tmp_path, body, job="c")


def test_several_unsubmitted_jobs_need_a_choice(tmp_path: Path) -> None:
    with pytest.raises(DryRunError, match="several jobs .* choose one with --job"):
        spec_of(
            tmp_path,
            """
            a = ScriptRunConfig(source_directory=".", script="a.py")
            b = ScriptRunConfig(source_directory=".", script="b.py")
        """,
        )


def test_data_inputs_answer_to_their_names_and_flags(tmp_path: Path) -> None:
    spec = spec_of(
        tmp_path,
        """
        store = ws.get_default_datastore()
        raw = store.path("raw").as_mount()
        named = store.path("x", data_reference_name="named").as_download()
        ds = Dataset.get_by_name(ws, name="fruit")
        src = ScriptRunConfig(source_directory=".", script="t.py", environment=Environment("e"),
                              arguments=["--raw", str(raw), "--named", named,
                                         "--fruit", ds.as_named_input("f").as_mount(),
                                         "--x=$AZUREML_DATAREFERENCE_named"])
    """,
    )
    aliases = [item.aliases for item in spec.inputs]
    assert aliases == [["input_1", "raw"], ["input_2", "named"], ["input_3", "f", "fruit"]]
    assert [item.kind for item in spec.inputs] == ["reference", "reference", "dataset"]
    assert spec.inputs[1].mode == "download" and spec.inputs[0].datastore == "workspaceblobstore"
    assert spec.arguments[1] == InputArg("input_1") and spec.arguments[-1] == InputArg("input_2", "--x=")


def test_notebook_locations_name_the_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "source": ["# title"]},
        {"cell_type": "code", "source": ["%pip install x\n", HEADER]},
        {"cell_type": "code", "source": ["src = ScriptRunConfig(source_directory='.', script=name)\n"]},
    ]
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(DryRunError, match=r"name \(cell 2 line 1\)"):
        load_spec(path, None, {})


def test_environments_curated_clone_custom_and_files(tmp_path: Path) -> None:
    (tmp_path / "req.txt").write_text("numpy==1.26  # pinned\n\nscipy\n")
    (tmp_path / "conda.yml").write_text(
        "name: x\ndependencies:\n  - python=3.10\n  - lightgbm\n  - pip:\n    - pandas==2.0\n"
    )
    curated = spec_of(
        tmp_path,
        """
        env = Environment.get(ws, "AzureML-PyTorch-1.6-CPU").clone("mine")
        env.python.conda_dependencies.add_pip_package("rich")
        src = ScriptRunConfig(source_directory=".", script="t.py", environment=env)
    """,
    ).environment
    # A curated clone holds the curated packages (the SDK's own list), the added one at the end.
    assert (curated.name, curated.curated, curated.pip[-2:]) == (
        "mine", "AzureML-PyTorch-1.6-CPU", ["future==0.17.1", "rich"])
    assert curated.pip[:2] == ["azureml-defaults", "torch==1.6.0"] and curated.conda == ["python=3.6.2"]
    custom = spec_of(
        tmp_path,
        """
        env = Environment("custom")
        env.docker.base_image = "python:3.11"
        deps = CondaDependencies.create(pip_packages=["a==1"], conda_packages=["b"])
        deps.add_pip_package("c")
        env.python.conda_dependencies = deps
        env.environment_variables = {"E": "1"}
        src = ScriptRunConfig(source_directory=".", script="t.py", environment=env)
    """,
    ).environment
    assert (custom.base_image, custom.pip, custom.conda, custom.variables) == (
        "python:3.11",
        ["a==1", "c"],
        ["python=3.10.18", "b"],
        {"E": "1"},
    )
    from_files = spec_of(
        tmp_path,
        """
        pip_env = Environment.from_pip_requirements("p", "req.txt")
        conda_env = Environment.from_conda_specification("c", "conda.yml")
        a = ScriptRunConfig(source_directory=".", script="t.py", environment=pip_env)
        b = ScriptRunConfig(source_directory=".", script="t.py", environment=conda_env)
    """,
        job="b",
    ).environment
    assert (from_files.conda, from_files.pip) == (["python=3.10", "lightgbm"], ["pandas==2.0"])
    assert spec_of(
        tmp_path,
        """
        pip_env = Environment.from_pip_requirements("p", "req.txt")
        src = ScriptRunConfig(source_directory=".", script="t.py", environment=pip_env)
    """,
    ).environment.pip == ["numpy==1.26  # pinned", "", "scipy"]  # as the SDK keeps the file's lines


def test_distributed_configurations(tmp_path: Path) -> None:
    def layout_of(config: str) -> Distributed:
        return spec_of(
            tmp_path,
            f"""
            dist = {config}
            src = ScriptRunConfig(source_directory=".", script="t.py", distributed_job_config=dist)
        """,
        ).distributed

    assert layout_of("MpiConfiguration(process_count_per_node=2, node_count=3)") == Distributed("mpi", 3, 2)
    assert layout_of("PyTorchConfiguration(process_count=4, node_count=2)") == Distributed(
        "pytorch", 2, 2, backend="nccl"
    )
    assert layout_of("TensorflowConfiguration(worker_count=2, parameter_server_count=1)") == Distributed(
        "tensorflow", 3, 1, 2, 1
    )


def test_rank_variables_per_framework() -> None:
    mpi = build_layout(Distributed("mpi", 2, 2), lambda node: f"h{node.index}", lambda node: 6105)
    last = mpi.nodes[1].processes[1]
    assert (
        last["OMPI_COMM_WORLD_RANK"],
        last["OMPI_COMM_WORLD_SIZE"],
        last["OMPI_COMM_WORLD_LOCAL_RANK"],
        last["MASTER_ADDR"],
    ) == ("3", "4", "1", "h0")
    torch = build_layout(Distributed("pytorch", 2, 1), lambda node: f"h{node.index}", lambda node: 6105)
    second = torch.nodes[1].processes[0]
    assert {key: second[key] for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "NODE_RANK", "MASTER_PORT")} == {
        "RANK": "1",
        "WORLD_SIZE": "2",
        "LOCAL_RANK": "0",
        "NODE_RANK": "1",
        "MASTER_PORT": "6105",
    }
    tf = build_layout(
        Distributed("tensorflow", 3, 1, 2, 1), lambda node: f"{node.role}{node.role_index}", lambda node: 2222
    )
    config = json.loads(tf.nodes[2].processes[0]["TF_CONFIG"])
    assert config["cluster"] == {"worker": ["worker0:2222", "worker1:2222"], "ps": ["ps0:2222"]}
    assert config["task"] == {"type": "ps", "index": 0}


def test_max_ranks_caps_the_simulation() -> None:
    capped, notes = cap(Distributed("mpi", 4, 4), 6)
    assert (capped.node_count, capped.process_count_per_node) == (4, 1)
    assert "instead of 4 x 4" in notes[0]
    assert cap(Distributed("mpi", 2, 2), 8) == (Distributed("mpi", 2, 2), [])


def test_time_limit_is_the_shorter_one(tmp_path: Path) -> None:
    spec = spec_of(
        tmp_path, 'src = ScriptRunConfig(source_directory=".", script="t.py", max_run_duration_seconds=100)\n'
    )
    assert time_limit(spec, 30) == (30, "--timeout")
    assert time_limit(spec, 300) == (100, "max_run_duration_seconds")


def test_images_curated_pinned_custom_and_unknown(tmp_path: Path) -> None:
    env = spec_of(tmp_path, """
        env = Environment.get(ws, "AzureML-PyTorch-1.6-CPU").clone("mine")
        env.python.conda_dependencies.add_pip_package("torch==1.7.0")
        src = ScriptRunConfig(source_directory=".", script="t.py", environment=env)
    """).environment
    curated = resolve_image(env, None, {}, None)
    assert curated.build.base == "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04"
    # add_pip_package replaced the curated torch, as the SDK does: one torch is installed.
    assert [item for item in curated.build.packages if item.startswith("torch==")] == ["torch==1.7.0"]
    on_pin = resolve_image(env, None, {"AzureML-PyTorch-1.6-CPU": "team/torch:1"}, None)
    assert (on_pin.build.base, on_pin.build.packages) == ("team/torch:1", ["torch==1.7.0"])
    pinned = resolve_image(EnvironmentSpec("team", curated=None), None, {"team": "reg/team:1"}, None)
    assert (pinned.image, pinned.build) == ("reg/team:1", None)
    assert resolve_image(EnvironmentSpec("x"), "img:1", {}, None).image == "img:1"
    plain = resolve_image(EnvironmentSpec("x", user_managed=True, pip=["a"]), None, {}, None)
    assert (plain.image, plain.build) == (DEFAULT_CPU_IMAGE, None)
    with pytest.raises(DryRunError, match="no image known for curated environment 'AzureML-new'"):
        resolve_image(EnvironmentSpec("AzureML-new", curated="AzureML-new"), None, {}, None)


def test_derived_image_tag_hashes_environment_and_wheelhouse(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / "a-1-py3-none-any.whl").write_bytes(b"one")
    first = plan_build("base:1", ["a==1"], wheels, "My Env")
    assert first.tag.startswith("localhost/aml-dry-run/my-env:")
    assert first.tag == plan_build("base:1", ["a==1"], wheels, "My Env").tag
    assert "--no-index --find-links /tmp/aml-dry-run-wheels a==1" in first.dockerfile
    assert first.dockerfile.startswith("FROM base:1\nCOPY wheelhouse/ ")
    (wheels / "a-1-py3-none-any.whl").write_bytes(b"two")
    assert plan_build("base:1", ["a==1"], wheels, "My Env").tag != first.tag
    assert (
        plan_build("base:1", ["a==2"], None, "My Env").tag
        != plan_build("base:1", ["a==1"], None, "My Env").tag
    )


def test_project_config_is_found_above_the_submit_script(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.aml-migrate.dry-run]\nimages = { "e" = "img:2" }\n')
    (tmp_path / "jobs").mkdir()
    assert project_images(tmp_path / "jobs") == ({"e": "img:2"}, tmp_path / "pyproject.toml")


def test_engine_candidates_follow_docker_host_then_context(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "docker"
    meta = config / "contexts" / "meta" / hashlib.sha256(b"remote").hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Endpoints": {"docker": {"Host": "tcp://ctx:2375"}}}))
    (config / "config.json").write_text(json.dumps({"currentContext": "remote"}))
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    monkeypatch.setenv("DOCKER_HOST", "unix:///tmp/first.sock")
    candidates = _socket_candidates("auto")
    assert candidates[:2] == [
        ("unix:///tmp/first.sock", "DOCKER_HOST"),
        ("tcp://ctx:2375", "docker context 'remote'"),
    ]


def test_dataset_registered_only_in_run_config_data_is_mounted_once(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, """
        named = Dataset.get_by_name(ws, name="table").as_named_input("rows")
        src = ScriptRunConfig(source_directory=".", script="t.py", arguments=["--rows", named])
        src.run_config.data = {"rows": named}
    """)
    assert [item.aliases for item in spec.inputs] == [["input_1", "rows", "table"]]
    assert spec.arguments == ["--rows", InputArg("input_1")]


def test_private_framework_image_becomes_its_public_base_and_packages(tmp_path: Path) -> None:
    env = spec_of(tmp_path, """
        env = Environment("est-env")
        env.docker.base_image = 'pytorch:1.6-cpu'
        env.docker.base_image_registry.address = 'viennaprivate.azurecr.io'
        env.python.user_managed_dependencies = True
        src = ScriptRunConfig(source_directory=".", script="t.py", environment=env)
    """).environment
    image = resolve_image(env, None, {}, None)
    assert image.build.base == "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04"
    assert "torch==1.6.0" in image.build.packages and "private framework image" in image.notes[0]


def test_notebook_job_with_magics_is_extracted(tmp_path: Path) -> None:
    cells = [{"cell_type": "code", "source": ["%pip install azureml-core\n", "!ls\n", HEADER]},
             {"cell_type": "markdown", "source": ["Submit:"]},
             {"cell_type": "code", "source": ["if True:\n", "    %time x = 1\n",
                                              "job = ScriptRunConfig(source_directory='.', script='t.py')\n",
                                              "Experiment(ws, 'nb').submit(config=job)\n"]}]
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    spec = load_spec(path, None, {})
    assert (spec.job_name, spec.script, spec.experiment_name) == ("job", "t.py", "nb")


def test_values_set_in_ways_not_followed_are_reported_not_guessed(tmp_path: Path) -> None:
    with pytest.raises(DryRunError, match=r"lr \(line 8\), env.docker.base_image \(line 11\)"):
        spec_of(tmp_path, """
            lr = 0.1
            lr, *epochs = 0.2, 3
            env = Environment("e")
            env.docker.base_image = "a:1"
            for env.docker.base_image in ["b:1"]: pass
            src = ScriptRunConfig(source_directory=".", script="t.py", arguments=[lr], environment=env)
        """)


def test_non_numeric_counts_are_reported(tmp_path: Path) -> None:
    with pytest.raises(DryRunError, match=r"MpiConfiguration\(node_count='two'\) \(line 8\)"):
        spec_of(tmp_path, """
            src = ScriptRunConfig(source_directory=".", script="t.py",
                                  distributed_job_config=MpiConfiguration(node_count='two'))
        """)


def test_distributed_settings_on_a_run_configuration_are_named_not_dropped(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, """
        from azureml.core.runconfig import RunConfiguration
        rc = RunConfiguration()
        rc.node_count = 2
        rc.communicator = "IntelMpi"
        src = ScriptRunConfig(source_directory=".", script="t.py", run_config=rc)
    """)
    assert spec.distributed is None
    assert "rc.node_count, rc.communicator set on the RunConfiguration: not simulated" in spec.notes[-1]
