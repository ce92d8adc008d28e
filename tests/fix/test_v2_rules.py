"""Focused before/after cases of ``fix --target v2`` (django-upgrade style): one behaviour each, and every
reason a job stays SDK v1."""

from __future__ import annotations

import textwrap

import pytest

from lint_plugin.fix import fix_source

WORKSPACE = "from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig\nws = Workspace.from_config()\n"


def v2(source: str, style: str = "exact", safe_only: bool = False):
    return fix_source(textwrap.dedent(source), env_style=style, target="v2", safe_only=safe_only)


def check_transformed(source: str, expected: str, style: str = "exact") -> None:
    assert v2(source, style).source == textwrap.dedent(expected)


def check_manual(source: str, code: str, reason: str, style: str = "exact") -> None:
    result = v2(source, style)
    reasons = [item.reason for item in result.manual if item.code == code]
    assert any(reason in text for text in reasons), (reasons, result.manual)


def test_a_plain_job_becomes_a_command_job_in_place() -> None:
    check_transformed(
        """\
        from azureml.core import Environment, ScriptRunConfig
        env = Environment.get(None, "team-env", version="3")
        src = ScriptRunConfig(source_directory="src", script="train.py", arguments=["--lr", 0.1, "--name", "a b"],
                              compute_target="cpu-cluster", environment=env, max_run_duration_seconds=None)
        """,
        """\
        from azure.ai.ml import command

        env = 'azureml:team-env:3'
        src = command(code="src", command="python train.py --lr 0.1 --name 'a b'", compute="cpu-cluster", environment=env, shm_size='2g')
        """)


def test_values_only_run_time_knows_are_quoted_there() -> None:
    check_manual("""\
        from azureml.core import ScriptRunConfig
        def make(lr):
            return ScriptRunConfig("src", "train.py", ["--lr", lr], compute_target="c")
        """, "AML602", "not bound to a name")
    result = v2("""\
        import sys
        from azureml.core import ScriptRunConfig
        lr = float(sys.argv[1])
        src = ScriptRunConfig("src", "train.py", ["--lr", lr, *sys.argv[2:]], compute_target="c")
        """)
    assert "import shlex" in result.source
    assert "command=\"python train.py --lr \" + shlex.quote(str(lr)) + \" \" + ' '.join(shlex.quote(str(item)) " \
           "for item in sys.argv[2:])" in result.source


def test_a_list_data_goes_into_at_run_time_stays_manual() -> None:
    check_manual(
        """\
        from azureml.core import Environment, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        ref = ws.get_default_datastore().path("x").as_mount()
        args = ["--epochs", 3]
        args.append(str(ref))
        src = ScriptRunConfig("src", "train.py", arguments=args, compute_target="c", environment=Environment("e"))
        src.run_config.data_references = {ref.data_reference_name: ref.to_config()}
        """, "AML602", "may hold data")


@pytest.mark.parametrize(("compute", "expected"), [
    ('ComputeTarget(workspace=ws, name="gpu")', "compute='gpu'"),
    ('ws.compute_targets["gpu"]', "compute='gpu'"),
    ("sys.argv[1]", "compute=sys.argv[1].name"),
])
def test_the_compute_is_named(compute: str, expected: str) -> None:
    result = v2(f"""\
        import sys
        from azureml.core import Environment, ScriptRunConfig, Workspace
        from azureml.core.compute import ComputeTarget
        ws = Workspace.from_config()
        cluster = {compute}
        src = ScriptRunConfig("src", "train.py", compute_target=cluster, environment=Environment("e"))
        """)
    assert expected.replace("sys.argv[1].name", "getattr(cluster, 'name', cluster)") in result.source \
        or expected in result.source


@pytest.mark.parametrize(("setup", "reason"), [
    ('compute_target=HDInsightCompute(ws, "hdi")', "is a HDInsight target"),
    ('compute_target="amlcompute"', "creates its compute when it runs"),
    ('compute_target="c", resume_from=checkpoint', "resume_from has no v2 equivalent"),
    ('compute_target="c", **settings', "**kwargs passed through"),
])
def test_what_v2_command_jobs_cannot_do_stays_manual(setup: str, reason: str) -> None:
    check_manual(f"""\
        from azureml.core import Environment, ScriptRunConfig, Workspace
        from azureml.core.compute import HDInsightCompute
        ws = Workspace.from_config()
        src = ScriptRunConfig("src", "train.py", environment=Environment("e"), {setup})
        """, "AML602", reason)


def test_a_workspace_still_used_for_v1_keeps_its_name_and_the_jobs_get_an_ml_client() -> None:
    result = v2(WORKSPACE + textwrap.dedent("""\
        model = ws.models["best"]
        src = ScriptRunConfig("src", "train.py", compute_target="c", environment=Environment("e"))
        run = Experiment(ws, "x").submit(src)
        """))
    assert "ws = Workspace.from_config()\nml_client = MLClient.from_config(DefaultAzureCredential())" in result.source
    assert "run = ml_client.jobs.create_or_update(src, experiment_name=\"x\")" in result.source
    assert any("ws is still used for SDK v1 on line 3" in m.reason for m in result.manual if m.code == "AML601")


def test_workspace_get_without_its_subscription_stays_manual() -> None:
    check_manual("""\
        from azureml.core import Workspace
        ws = Workspace.get("ml")
        """, "AML601", "MLClient needs them")


def test_a_retired_curated_environment_is_manual_in_exact_style_and_the_nearest_in_curated_style() -> None:
    source = WORKSPACE + 'src = ScriptRunConfig("s", "t.py", compute_target="c", environment=Environment.get(ws, ' \
                         '"AzureML-PyTorch-1.6-GPU"))\n'
    check_manual(source, "AML602", "was retired and has no v2 counterpart")
    result = v2(source, "curated")
    assert "environment='azureml://registries/azureml/environments/acpt-pytorch-2.2-cuda12.1/labels/latest'" \
        in result.source
    job = next(f for f in result.applied if f.code == "AML602")
    assert job.applicability == "unsafe" and "nearest current one" in job.changes[0]


def test_an_environment_shared_with_a_job_that_stays_manual_keeps_both_jobs_v1() -> None:
    check_manual(WORKSPACE + textwrap.dedent("""\
        env = Environment("shared")
        a = ScriptRunConfig("s", "t.py", compute_target="c", environment=env)
        b = ScriptRunConfig("s", "t.py", compute_target="amlcompute", environment=env)
        """), "AML602", "it shares its environment env with the job on line 5, which stays manual")


def test_the_run_handle_moves_with_the_submission_or_keeps_it_v1() -> None:
    result = v2(WORKSPACE + textwrap.dedent("""\
        src = ScriptRunConfig("s", "t.py", compute_target="c", environment=Environment("e"))
        run = Experiment(ws, "x").submit(src)
        run.wait_for_completion()
        print(run.id, run.get_status(), run.get_portal_url())
        """))
    assert "ws.jobs.stream(run.name)\nprint(run.name, ws.jobs.get(run.name).status, run.studio_url)" in result.source
    submit = next(f for f in result.applied if f.code == "AML604")
    assert submit.applicability == "unsafe" and "waited silently" in submit.changes[0]
    check_manual(WORKSPACE + textwrap.dedent("""\
        src = ScriptRunConfig("s", "t.py", compute_target="c", environment=Environment("e"))
        run = Experiment(ws, "x").submit(src)
        metrics = run.get_metrics()
        """), "AML604", "the run is used on line 5 (run.get_metrics)")


def test_pipeline_steps_stay_manual_naming_the_v2_construct() -> None:
    check_manual("""\
        from azureml.pipeline.steps import PythonScriptStep
        step = PythonScriptStep(name="p", script_name="p.py", source_directory="s")
        """, "AML607", "@dsl.pipeline function of command components")


def test_a_sweep_maps_sampling_policy_goal_and_limits() -> None:
    result = v2(WORKSPACE + textwrap.dedent("""\
        from azureml.train.hyperdrive import (GridParameterSampling, HyperDriveConfig, NoTerminationPolicy,
                                              PrimaryMetricGoal, choice)
        src = ScriptRunConfig("s", "t.py", arguments=["--optimizer", "adam"], compute_target="c",
                              environment=Environment("e"))
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=GridParameterSampling({"optimizer": choice("adam", "sgd")}),
                              policy=NoTerminationPolicy(), primary_metric_name="loss",
                              primary_metric_goal=PrimaryMetricGoal.MINIMIZE, max_total_runs=2, max_duration_minutes=30)
        """))
    assert "--optimizer ${{inputs.optimizer}}" in result.source and "inputs={'optimizer': 'adam'}" in result.source
    assert "hd = src(optimizer=Choice(values=[\"adam\", \"sgd\"])).sweep(" in result.source
    assert "sampling_algorithm='grid'" in result.source and "goal='Minimize'" in result.source
    assert "early_termination_policy" not in result.source
    # v1 sent max_concurrent_runs=None as max_total_runs; the ScriptRunConfig's default 2592000 s is the trials'
    assert "hd.set_limits(max_total_trials=2, max_concurrent_trials=2, timeout=1800, trial_timeout=2592000)" \
        in result.source


def test_a_sweep_v2_cannot_express_stays_manual() -> None:
    check_manual(WORKSPACE + textwrap.dedent("""\
        from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling, uniform
        src = ScriptRunConfig("s", "t.py", compute_target="c", environment=Environment("e"))
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({"lr": uniform(0, 1)}),
                              primary_metric_name="loss", primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
                              max_total_runs=2, resume_from=previous)
        """), "AML606", "resume_from has no v2 sweep equivalent")


@pytest.mark.parametrize(("data", "reason"), [
    ('"--x=" + str(ws.get_default_datastore().path("x").as_mount())', "makes a string of data"),
    ('Dataset.get_by_name(ws, "iris").as_named_input("iris")', "passes the dataset whole (direct mode)"),
    ('Dataset.Tabular.from_delimited_files(path="https://x/y.csv").as_named_input("t").as_mount()',
     "tabular datasets need an MLTable"),
])
def test_data_v2_cannot_take_as_it_is_stays_manual(data: str, reason: str) -> None:
    check_manual(WORKSPACE + "from azureml.core import Dataset\n" + textwrap.dedent(f"""\
        src = ScriptRunConfig("s", "t.py", arguments=["--data", {data}], compute_target="c", environment=Environment("e"))
        """), "AML602", reason)


def test_safe_only_leaves_a_job_whose_rewrite_changes_something() -> None:
    source = WORKSPACE + 'env = Environment.from_conda_specification("e", "env.yml")\n' \
                         'src = ScriptRunConfig("s", "t.py", compute_target="c", environment=env)\n'
    assert any(f.code == "AML602" and f.applicability == "unsafe" for f in v2(source).applied)
    result = v2(source, safe_only=True)
    assert any("unsafe fix not applied (--safe-only)" in m.reason for m in result.manual if m.code == "AML602")
    assert "ScriptRunConfig(" in result.source
