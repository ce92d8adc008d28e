"""Focused before/after cases for single behaviours of the fixer (django-upgrade style)."""

from __future__ import annotations

import json
import textwrap

from lint_plugin.fix import fix_notebook, fix_source

HEADER = "from azureml.core import Workspace\nws = Workspace.from_config()\n"


def check_noop(source: str, *, reason: str | None = None, style: str = "curated") -> None:
    source = textwrap.dedent(source)
    result = fix_source(source, env_style=style)
    assert result.source == source
    if reason is not None:
        assert any(reason in item.reason for item in result.manual), result.manual


def check_transformed(source: str, expected: str, *, style: str = "curated") -> None:
    result = fix_source(textwrap.dedent(source), env_style=style)
    assert result.source == textwrap.dedent(expected)


def test_script_params_follow_the_sdk_algorithm_exactly() -> None:
    """SDK_FACTS.md section 3, item 5: the full example."""
    check_transformed(
        """\
        from azureml.train.estimator import Estimator
        est = Estimator('src', entry_script='t.py', compute_target='c', script_params={'--a':1,'--flag-empty':'','--flag-none':None,'--t':True,'--f':False,'--zero':0,'--list':[1,'x',[2,3]],'--tuple':(4,5),'--dict':{'k':'v'},'':'orphan','--s':'str'})
        """,
        """\
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.runconfig import DockerConfiguration

        est_env = Environment('est-env')
        est_env.spark.precache_packages = False
        est = ScriptRunConfig('src', script='t.py', compute_target='c', arguments=['--a', 1, '--flag-empty', '--flag-none', '--t', True, '--f', False, '--zero', 0, '--list', 1, 'x', '[2, 3]', '--tuple', 4, 5, '--dict', 'k', 'orphan', '--s', 'str'], environment=est_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)
        """)


def test_noqa_leaves_the_estimator_alone() -> None:
    check_noop(
        """\
        from azureml.train.estimator import Estimator
        est = Estimator('src', entry_script='t.py', compute_target='c')  # noqa: AML101
        """,
        reason="still used")


def test_a_user_subclass_is_manual() -> None:
    check_noop(
        """\
        from azureml.train.estimator import Estimator
        class MyEstimator(Estimator):
            pass
        est = MyEstimator('src', entry_script='t.py', compute_target='c')
        """,
        reason="a class of yours built on an estimator")


def test_inline_estimator_without_follow_ups_is_rewritten_in_place() -> None:
    check_transformed(
        """\
        from azureml.core import Experiment, Workspace
        from azureml.train.sklearn import SKLearn
        ws = Workspace.from_config()
        Experiment(ws, 'x').submit(SKLearn('src', entry_script='t.py', compute_target='c'))
        """,
        """\
        from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
        from azureml.core.runconfig import DockerConfiguration

        ws = Workspace.from_config()
        src_env = Environment.get(ws, 'AzureML-Scikit-learn-0.20.3')
        Experiment(ws, 'x').submit(ScriptRunConfig('src', script='t.py', compute_target='c', environment=src_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None))
        """)


def test_inline_estimator_that_needs_follow_ups_is_manual() -> None:
    check_noop(
        """\
        from azureml.core import Experiment, Workspace
        from azureml.train.sklearn import SKLearn
        ws = Workspace.from_config()
        Experiment(ws, 'x').submit(SKLearn('src', entry_script='t.py', compute_target='c', environment_variables={'A': '1'}))
        """,
        reason="built inline")


def test_a_parameter_of_unknown_type_is_not_taken_for_a_workspace() -> None:
    check_transformed(
        """\
        from azureml.core import Experiment
        from azureml.train.dnn import PyTorch
        def submit(exp: Experiment):
            est = PyTorch('src', entry_script='t.py', compute_target='c', framework_version='1.6')
            exp.submit(est)
        """,
        """\
        from azureml.core import Environment, ScriptRunConfig, Experiment
        from azureml.core.runconfig import DockerConfiguration

        def submit(exp: Experiment):
            est_env = Environment('est-env')
            est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04'
            est_env.python.conda_dependencies.set_python_version('3.6.2')
            est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.6.0', 'torchvision==0.5.0', 'horovod==0.19.5', 'tensorboard==1.14.0', 'future==0.17.1'])
            est_env.spark.precache_packages = False
            est_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
            est = ScriptRunConfig('src', script='t.py', compute_target='c', environment=est_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)
            exp.submit(est)
        """)


def test_experiment_bound_in_scope_lends_its_workspace() -> None:
    result = fix_source(textwrap.dedent(
        """\
        from azureml.core import Experiment
        from azureml.train.dnn import PyTorch
        def submit(ws_name):
            exp = Experiment(ws_name, 'x')
            est = PyTorch('src', entry_script='t.py', compute_target='c', framework_version='1.6')
            exp.submit(est)
        """), env_style="curated")
    assert "est_env = Environment.get(exp.workspace, 'AzureML-PyTorch-1.6-CPU')" in result.source


def test_no_workspace_in_reach_never_invents_one() -> None:
    result = fix_source("from azureml.train.dnn import PyTorch\n"
                        "est = PyTorch('src', entry_script='t.py', compute_target='c', framework_version='1.6')\n",
                        env_style="curated")
    assert "Environment.get" not in result.source and "Environment('est-env')" in result.source
    assert "no Workspace is bound where the estimator is built" in result.applied[-1].summary


def test_star_and_private_module_imports() -> None:
    result = fix_source("from azureml.train.dnn import *\nfrom azureml.train.dnn._pytorch import PyTorch as P\n"
                        "a = Chainer('s', entry_script='t.py', compute_target='c')\n"
                        "b = P('s', entry_script='t.py', compute_target='c')\n")
    assert result.source.count("ScriptRunConfig('s'") == 2 and "import *" not in result.source
    assert "PyTorch as P" not in result.source


def test_a_dict_unpacking_another_is_converted_at_run_time() -> None:
    result = fix_source("from azureml.train.estimator import Estimator\n"
                        "est = Estimator('src', entry_script='t.py', compute_target='c', "
                        "script_params={'--a': 1, **extra})\n")
    assert not result.manual
    assert "est.arguments = _estimator_arguments({'--a': 1, **extra}, est.run_config)\n" in result.source
    assert result.source.count("def _estimator_arguments(") == 1


def test_pip_requirements_file_is_read_when_the_job_is_built_and_merged_as_the_estimator_did() -> None:
    result = fix_source("from azureml.train.estimator import Estimator\n"
                        "est = Estimator('src', entry_script='t.py', compute_target='c', pip_requirements_file='req.txt')\n")
    assert not result.manual
    assert ("with open(os.path.join('src', 'req.txt')) as requirements:\n"
            "    est_env_requirements = CondaDependencies.merge_requirements(requirements.read().splitlines())\n"
            ) in result.source
    assert "est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', *est_env_requirements])" \
        in result.source


def test_estimator_ignoring_its_distributed_config_is_manual() -> None:
    check_noop(
        """\
        from azureml.core.runconfig import PyTorchConfiguration
        from azureml.train.dnn import PyTorch
        est = PyTorch('src', entry_script='t.py', compute_target='c', distributed_training=PyTorchConfiguration())
        """,
        reason="ignored distributed_training=PyTorchConfiguration")


def test_safe_only_keeps_unsafe_rewrites_out() -> None:
    source = HEADER + ("from azureml.train.dnn import PyTorch\n"
                       "est = PyTorch('src', entry_script='t.py', compute_target='c', framework_version='1.6')\n")
    assert fix_source(source, safe_only=True, env_style="curated").source == source
    assert "Environment('est-env')" in fix_source(source, safe_only=True, env_style="exact").source


def test_conda_dependencies_file_is_joined_to_the_source_directory() -> None:
    result = fix_source("from azureml.train.estimator import Estimator\n"
                        "est = Estimator('src', entry_script='t.py', compute_target='c', conda_dependencies_file='env.yml')\n")
    assert "est_env.python.conda_dependencies = CondaDependencies(os.path.join('src', 'env.yml'))" in result.source
    assert result.source.startswith("import os\n")


def test_estimators_built_in_a_comprehension_are_manual() -> None:
    check_noop(
        """\
        from azureml.train.estimator import Estimator
        jobs = [Estimator('src', entry_script=f'{n}.py', compute_target='c', pip_packages=[n]) for n in ('a', 'b')]
        """,
        reason="inside a lambda or comprehension")


def test_one_line_bodies_and_compound_headers_are_manual() -> None:
    check_noop(
        """\
        from azureml.train.estimator import Estimator
        if True: est = Estimator('src', entry_script='t.py', compute_target='c')
        for job in [Estimator('src', entry_script='t.py', compute_target='c')]:
            pass
        """,
        reason="compound statement's header or one-line body")


def test_a_plan_the_tree_cannot_take_is_refused_not_half_applied() -> None:
    import pytest

    from lint_plugin.fix.apply import apply_plan
    from lint_plugin.fix.plan import Plan, StatementEdit

    plan = Plan(statements=[StatementEdit((9, 0), before=["x = 1"])])
    with pytest.raises(ValueError, match="planned edits found no node"):
        apply_plan("a = 1\n", plan)


def test_columns_after_non_ascii_text_on_the_line() -> None:
    """ast counts columns in UTF-8 bytes, libcst in characters (found by tests/reliability)."""
    result = fix_source("from azureml.train.dnn import PyTorch\n"
                        "x = 'é'; est = PyTorch(source_directory='.', entry_script='t.py')\n")
    assert "x = 'é'; est = ScriptRunConfig(source_directory='.', script='t.py'" in result.source


def test_removing_statements_is_deterministic() -> None:
    """A dropped statement's id could be reused by a node made later, which then vanished too
    (found by tests/reliability): the same input must always give the same output."""
    source = ("from azureml.core import RunConfiguration, ScriptRunConfig\n"
              "for attempt in range(2):\n    rc = RunConfiguration()\n    rc.target = 'cpu'\n"
              "for attempt in range(2):\n    src = ScriptRunConfig(run_config=rc)\n")
    outputs = {fix_source(source).source for _ in range(50)}
    assert outputs == {"from azureml.core import ScriptRunConfig\nfor attempt in range(2):\n    pass\n"
                       "for attempt in range(2):\n"
                       "    src = ScriptRunConfig(compute_target='cpu', max_run_duration_seconds=None)\n"}


def test_both_distributed_settings_is_manual() -> None:
    """The estimator raises TrainingException for the pair; a rewrite would make broken code run."""
    check_noop(
        """\
        from azureml.train.dnn import Mpi, PyTorch
        est = PyTorch('src', entry_script='t.py', compute_target='c', distributed_backend='mpi',
                      distributed_training=Mpi())
        """,
        reason="both distributed_backend and distributed_training")


def test_comments_of_the_arguments_a_rewrite_drops_go_above_the_statement() -> None:
    source = textwrap.dedent("""\
        from azureml.train.dnn import PyTorch

        def build(cluster):
            est = PyTorch(source_directory='src',
                          entry_script='train.py',  # the training loop
                          # the V100 nodes
                          use_gpu=True,
                          pip_packages=['transformers==3.5.1'],  # for the tokenizer
                          framework_version='1.6',
                          compute_target=cluster)
            return est
        """)
    result = fix_source(source).source
    assert "    # the V100 nodes\n    # pip_packages: for the tokenizer\n    est_env = Environment(" in result
    assert "script='train.py',  # the training loop\n" in result
    assert result.count("the V100 nodes") == 1 and result.count("for the tokenizer") == 1


def test_a_rewrite_leaves_no_blank_first_line_and_no_unused_dict() -> None:
    source = textwrap.dedent("""\
        script_params = {'--lr': 0.1}

        est = Estimator(source_directory='src', entry_script='t.py', compute_target='c', script_params=script_params)
        """)
    result = fix_source("from azureml.train.estimator import Estimator\n" + source).source
    assert "script_params =" not in result and "arguments=['--lr', 0.1]" in result
    cell = fix_notebook(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "from azureml.train.estimator import Estimator"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}]}))
    fixed = json.loads(cell.source)["cells"][1]["source"]
    assert fixed.startswith("est_env = Environment('est-env')\n") and "script_params" not in fixed


def test_no_second_import_of_a_class_the_module_imports_from_another_path() -> None:
    result = fix_source("from azureml.core.script_run_config import ScriptRunConfig\n"
                        "from azureml.train.estimator import Estimator\n"
                        "est = Estimator('src', entry_script='t.py', compute_target='c')\n").source
    assert result.count("import ScriptRunConfig") == 1 and "from azureml.core import Environment\n" in result


HELPER_TO_HYPERDRIVE = """\
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import HyperDriveConfig, GridParameterSampling, PrimaryMetricGoal, choice

def build(gpu, **extra):
    if gpu:
        return Estimator(source_directory='.', entry_script='train.py', compute_target='gpu', **extra)
    return Estimator(source_directory='.', entry_script='train.py', compute_target='cpu'{second})

est = build(False)
params = GridParameterSampling({{'--batch': choice(16, 32)}})
hd = HyperDriveConfig(estimator=est, hyperparameter_sampling=params, primary_metric_name='loss',
                      primary_metric_goal=PrimaryMetricGoal.MINIMIZE, max_total_runs=2)
"""


def test_estimators_a_helper_returns_to_hyperdrive_are_rewritten_together_or_not_at_all() -> None:
    result = fix_source(HELPER_TO_HYPERDRIVE.format(second=""))
    assert {m.code for m in result.manual} >= {"AML101", "AML104"} and result.source.count("Estimator(") == 2
    assert "**kwargs passed through" in " ".join(m.reason for m in result.manual)
    together = fix_source(HELPER_TO_HYPERDRIVE.format(second="").replace(", **extra)", ")").replace(", **extra", ""))
    assert not together.manual and "run_config=_hyperdrive_run_config(est, params)" in together.source


TUNED_ESTIMATOR = """\
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import HyperDriveConfig, RandomParameterSampling, PrimaryMetricGoal, uniform
est = Estimator('src', entry_script='t.py', compute_target='c', script_params={script_params})
hd = HyperDriveConfig(estimator=est, hyperparameter_sampling=RandomParameterSampling({{'--{tuned}': uniform(0, 1)}}),
                      primary_metric_name='acc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=4)
"""


def test_hyperdrive_tuning_of_literal_script_params() -> None:
    """HyperDrive dropped the tuned names from the estimator's arguments, read as key/value pairs."""
    pairs = fix_source(TUNED_ESTIMATOR.format(script_params="{'--lr': 0.1, '--epochs': 3}", tuned="lr")).source
    assert "arguments=['--epochs', 3]" in pairs and "_hyperdrive_run_config" not in pairs
    untouched = fix_source(TUNED_ESTIMATOR.format(script_params="{'--lr': 0.1}", tuned="momentum")).source
    assert "arguments=['--lr', 0.1]" in untouched and "HyperDriveConfig(run_config=est," in untouched
    # a flag without a value shifts the pairs: only the run-time pairing knows what HyperDrive dropped
    flag = fix_source(TUNED_ESTIMATOR.format(script_params="{'--verbose': '', '--lr': 'x'}", tuned="x")).source
    assert "arguments=['--verbose', '--lr', 'x']" in flag and "run_config=_hyperdrive_run_config(est," in flag


def test_resume_from_on_a_shared_script_params_dict_is_manual() -> None:
    """The estimator added --resume-from to the caller's dict, which a later estimator then saw too."""
    source = textwrap.dedent("""\
        from azureml.core import Workspace
        from azureml.data.datapath import DataPath
        from azureml.train.dnn import PyTorch
        ws = Workspace.from_config()
        params = {'--epochs': 3}
        first = PyTorch('src', entry_script='t.py', compute_target='c', script_params=params,
                        framework_version='1.6', resume_from=DataPath(ws.get_default_datastore(), 'ckpt'))
        second = PyTorch('src', entry_script='t.py', compute_target='c', script_params=params, framework_version='1.6')
        """)
    result = fix_source(source)
    reasons = {m.line: m.reason for m in result.manual if m.code == "AML101"}
    assert "--resume-from to params, which is used again on line 8" in reasons[6]
    assert "the estimator on line 6 added --resume-from to params, which this one may have seen" in reasons[8]
    assert result.source.count(" = PyTorch(") == 2
    # built before the resumed one, the other estimator never saw the flag (arguments are made when built)
    lines = source.splitlines(keepends=True)
    before = fix_source("".join(lines[:5] + lines[7:] + lines[5:7]))
    assert not [m for m in before.manual if m.code == "AML101"] and "PyTorch(" not in before.source


def test_a_loop_variable_over_written_out_scalars_is_a_plain_argument() -> None:
    loop = """\
from azureml.train.estimator import Estimator
jobs = []
for value in {values}:
    jobs.append(Estimator('src', entry_script='t.py', compute_target='c', script_params={{'--x': value}}))
"""
    assert "arguments=['--x', value]" in fix_source(loop.format(values="[0.1, 'a', -2]")).source
    # None is dropped from the arguments and a list flattened: only the run-time conversion knows which
    for values in ("(3, None)", "[[1, 2], 3]", "range(3)"):
        check_noop(loop.format(values=values), reason="built inline")


def test_a_copied_dict_with_comments_stays() -> None:
    """Its literal goes into the arguments without the comments: removing it would lose them."""
    source = ("from azureml.train.estimator import Estimator\n"
              "script_params = {\n"
              "    '--lr': 0.1,  # tuned on the 2019 data\n"
              "}\n"
              "est = Estimator('src', entry_script='t.py', compute_target='c', script_params=script_params)\n")
    result = fix_source(source).source
    assert "'--lr': 0.1,  # tuned on the 2019 data" in result and "arguments=['--lr', 0.1]" in result
    assert "script_params = {" not in fix_source(source.replace("  # tuned on the 2019 data", "")).source


def test_a_version_that_is_never_none_needs_no_default_at_run_time() -> None:
    estimator = ("from azureml.train.dnn import PyTorch\nimport sys\n"
                 "est = PyTorch('src', entry_script='t.py', compute_target='c', framework_version={version})\n")
    assert "}[f'1.{sys.argv[1]}']" in fix_source(estimator.format(version="f'1.{sys.argv[1]}'")).source
    called = fix_source(estimator.format(version="str(sys.argv[1])")).source
    assert "est_env_version = str(sys.argv[1])\n" in called
    assert "}[est_env_version]" in called  # evaluated once, as by the estimator
    fallback = fix_source(estimator.format(version="sys.argv[1]")).source
    assert "}[sys.argv[1] if sys.argv[1] is not None else '1.4']" in fallback
