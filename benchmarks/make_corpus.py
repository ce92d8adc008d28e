"""Generate corpus B: Azure ML SDK v1 projects in the shapes real 2019-2022 repositories have.

Deterministic: the same ``--seed`` and ``--projects`` always give byte-identical files. Each project
mixes submit scripts (every estimator class, varied keyword subsets and import styles), helpers that
build estimators in functions, pipelines (PythonScriptStep + RunConfiguration, EstimatorStep),
HyperDrive, DataReferences, Datasets, already-migrated ScriptRunConfig code and ordinary code (data
loading, models, utilities, tests), plus nbformat v4 notebooks.

    python benchmarks/make_corpus.py [OUT] [--seed N] [--projects N]
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent / ".corpus" / "b"
DEFAULT_PROJECTS = 26
MARKER = ".aml-migrate-corpus"

FRAMEWORKS: dict[str, tuple[str, tuple[str, ...]]] = {
    # class -> (module users import it from, framework versions)
    "Estimator": ("azureml.train.estimator", ()),
    "PyTorch": ("azureml.train.dnn", ("1.2", "1.4", "1.5", "1.6")),
    "TensorFlow": ("azureml.train.dnn", ("1.13", "2.0", "2.1", "2.2")),
    "Chainer": ("azureml.train.dnn", ("5.1.0", "7.0.0")),
    "SKLearn": ("azureml.train.sklearn", ("0.20.3",)),
}
GPU_IMAGES = (
    "mcr.microsoft.com/azureml/base-gpu:openmpi3.1.2-cuda10.1-cudnn7-ubuntu18.04",
    "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.2-cudnn8-ubuntu18.04",
)
CPU_IMAGES = (
    "mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04",
    "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04",
)
PIP = (
    "azureml-defaults",
    "pandas",
    "scikit-learn",
    "joblib",
    "mlflow",
    "azureml-mlflow",
    "pillow",
    "torchvision",
    "tensorboard",
    "lightgbm",
    "matplotlib",
    "azureml-dataprep[pandas,fuse]",
)
CONDA = ("numpy", "scipy", "pandas", "scikit-learn", "pip", "py-xgboost", "h5py")
TOPICS = (
    "mnist",
    "cifar10",
    "churn",
    "sentiment",
    "fraud",
    "forecast",
    "segmentation",
    "iris",
    "housing",
    "retail-demand",
    "ner",
    "defects",
)
SDK_PINS = ("1.0.83", "1.3.0", "1.10.0", "1.12.0", "1.17.0", "1.19.0", "1.22.0", "1.30.0", "1.38.0")


@dataclass
class Project:
    """One generated repository: its name, its framework and the files made for it."""

    name: str
    cls: str
    topic: str
    rng: random.Random
    files: dict[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return FRAMEWORKS[self.cls][0]

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)


def lines(*parts: str) -> str:
    return "\n".join(parts) + "\n"


def py_literal(value: object) -> str:
    return repr(value)


# ---------------------------------------------------------------------------------------------
# Estimator calls
# ---------------------------------------------------------------------------------------------


def estimator_import(p: Project) -> tuple[str, str]:
    """An import statement for the project's estimator class and the callee text it binds."""
    module, cls = p.module, p.cls
    style = p.rng.randrange(6)
    package, _, leaf = module.rpartition(".")
    if style == 0:
        return f"from {module} import {cls}", cls
    if style == 1:
        alias = {"PyTorch": "PT", "TensorFlow": "TF", "SKLearn": "SK"}.get(cls, cls + "Est")
        return f"from {module} import {cls} as {alias}", alias
    if style == 2:
        return f"import {module} as {leaf}_mod", f"{leaf}_mod.{cls}"
    if style == 3:
        return f"from {package} import {leaf}", f"{leaf}.{cls}"
    if style == 4:
        return f"import {module}", f"{module}.{cls}"
    return f"from {module} import *  # noqa: F401,F403", cls


def script_params(p: Project, data_expr: str | None, indent: str) -> str:
    params: list[tuple[str, str]] = []
    if data_expr:
        params.append(("--data-folder", data_expr))
    options = [
        ("--learning-rate", py_literal(p.rng.choice((0.1, 0.01, 0.001, 3e-4)))),
        ("--batch-size", py_literal(p.rng.choice((16, 32, 64, 128)))),
        ("--epochs", py_literal(p.rng.randint(2, 50))),
        ("--output-dir", "'./outputs'"),
        ("--momentum", "0.9"),
        ("--seed", py_literal(p.rng.randint(0, 9999))),
    ]
    params += p.rng.sample(options, p.rng.randint(1, len(options)))
    inner = indent + "        "
    body = f",\n{inner}".join(f"{key!r}: {value}" for key, value in params)
    return f"{{\n{inner}{body},\n{indent}    }}"


def estimator_keywords(p: Project, data_expr: str | None, compute: str, indent: str = "") -> list[str]:
    """A realistic, random subset of the keywords this estimator class accepts."""
    rng, cls = p.rng, p.cls
    kws = [f"compute_target={compute}", f"entry_script={p.pick('train.py', 'main.py', 'scripts/train.py')!r}"]
    if rng.random() < 0.85:
        kws.append(f"script_params={script_params(p, data_expr, indent)}")
    versions = FRAMEWORKS[cls][1]
    if versions and rng.random() < 0.8:
        kws.append(f"framework_version={rng.choice(versions)!r}")
    if cls != "SKLearn" and rng.random() < 0.6:
        kws.append("use_gpu=True")
    if rng.random() < 0.5:
        kws.append(f"pip_packages={sorted(rng.sample(PIP, rng.randint(1, 4)))!r}")
    if rng.random() < 0.25:
        kws.append(f"conda_packages={sorted(rng.sample(CONDA, rng.randint(1, 3)))!r}")
    if rng.random() < 0.2:
        kws.append(f"custom_docker_image={rng.choice(GPU_IMAGES + CPU_IMAGES)!r}")
    if cls not in ("SKLearn",) and rng.random() < 0.3:
        kws += distributed_keywords(p)
    if rng.random() < 0.15:
        kws.append(f"environment_variables={{'NCCL_DEBUG': 'INFO', 'TOPIC': {p.topic!r}}}")
    if rng.random() < 0.15:
        kws.append(f"max_run_duration_seconds={rng.choice((3600, 7200, 86400))}")
    if rng.random() < 0.1:
        kws.append(f"shm_size={rng.choice(('8g', '16g'))!r}")
    if rng.random() < 0.1:
        kws.append("conda_dependencies_file='environment.yml'")
    if rng.random() < 0.1 and data_expr:
        kws.append(f"inputs=[{data_expr}]")
    return kws


def distributed_keywords(p: Project) -> list[str]:
    rng, cls = p.rng, p.cls
    nodes = rng.choice((2, 4, 8))
    if cls == "TensorFlow" and rng.random() < 0.4:
        return [f"node_count={nodes}", "distributed_training=ParameterServer(worker_count=2)"]
    if cls == "PyTorch" and rng.random() < 0.4:
        return [f"node_count={nodes}", f"distributed_training={rng.choice(('Gloo()', 'Nccl()'))}"]
    if rng.random() < 0.5:
        return [f"node_count={nodes}", "distributed_backend='mpi'", "process_count_per_node=2"]
    return [
        f"node_count={nodes}",
        f"distributed_training=Mpi(process_count_per_node={rng.choice((1, 2, 4))})",
    ]


def backend_import(p: Project, kws: list[str]) -> list[str]:
    used = [name for name in ("Mpi", "Gloo", "Nccl", "ParameterServer") if any(f"={name}(" in k for k in kws)]
    if not used:
        return []
    module = "azureml.train.dnn" if p.cls != "Estimator" else "azureml.train.estimator"
    return [f"from {module} import {', '.join(used)}"]


def estimator_call(p: Project, callee: str, kws: list[str], indent: str = "") -> str:
    source_dir = p.pick("'./src'", "script_folder", "os.path.join(project_root, 'src')", "'.'")
    first = source_dir if p.rng.random() < 0.4 else f"source_directory={source_dir}"
    args = f",\n{indent}    ".join([first, *kws])
    return f"{callee}(\n{indent}    {args},\n{indent})"


# ---------------------------------------------------------------------------------------------
# Shared snippets
# ---------------------------------------------------------------------------------------------


def workspace_block(p: Project) -> str:
    if p.rng.random() < 0.7:
        return lines(
            "ws = Workspace.from_config()",
            "print(ws.name, ws.resource_group, ws.location, ws.subscription_id, sep='\\n')",
        )
    return lines(
        "ws = Workspace.get(",
        "    name=os.environ.get('AML_WORKSPACE', 'ml-workspace'),",
        "    subscription_id=os.environ['AZURE_SUBSCRIPTION_ID'],",
        "    resource_group=os.environ.get('AML_RESOURCE_GROUP', 'ml-rg'),",
        ")",
    )


def compute_block(p: Project) -> str:
    gpu = p.cls != "SKLearn"
    vm = "STANDARD_NC6" if gpu else "STANDARD_D2_V2"
    return lines(
        f"cluster_name = {p.pick('gpu-cluster', 'cpu-cluster', 'nc6-cluster', 'train-cluster')!r}",
        "try:",
        "    compute_target = ComputeTarget(workspace=ws, name=cluster_name)",
        "    print('Found existing compute target.')",
        "except ComputeTargetException:",
        "    print('Creating a new compute target...')",
        f"    compute_config = AmlCompute.provisioning_configuration(vm_size={vm!r}, "
        f"max_nodes={p.rng.randint(2, 8)})",
        "    compute_target = ComputeTarget.create(ws, cluster_name, compute_config)",
        "    compute_target.wait_for_completion(show_output=True, min_node_count=None, "
        "timeout_in_minutes=20)",
    )


COMPUTE_IMPORTS = (
    "from azureml.core.compute import AmlCompute, ComputeTarget",
    "from azureml.core.compute_target import ComputeTargetException",
)


def data_block(p: Project) -> tuple[str, str]:
    """Code that makes the training data reachable, and the expression passed to the script."""
    kind = p.rng.randrange(4)
    if kind == 0:
        return lines(
            "ds = ws.get_default_datastore()",
            f"ds.upload(src_dir='./data', target_path={p.topic!r}, overwrite=True, show_progress=True)",
        ), f"ds.path({p.topic!r}).as_mount()"
    if kind == 1:
        return lines(
            "datastore = ws.get_default_datastore()",
            f"data_ref = datastore.path('{p.topic}/train').as_download()",
        ), "data_ref"
    if kind == 2:
        return lines(
            f"dataset = Dataset.get_by_name(ws, name={p.topic!r})"
        ), f"dataset.as_named_input({p.topic.replace('-', '_')!r}).as_mount()"
    return "", f"'/mnt/data/{p.topic}'"


def main_guard(body: str) -> str:
    indented = "".join(f"    {line}\n" if line else "\n" for line in body.splitlines())
    return f"def main():\n{indented}\n\nif __name__ == '__main__':\n    main()\n"


# ---------------------------------------------------------------------------------------------
# Azure ML files
# ---------------------------------------------------------------------------------------------


def submit_script(p: Project) -> str:
    import_line, callee = estimator_import(p)
    data_code, data_expr = data_block(p)
    kws = estimator_keywords(p, data_expr, "compute_target")
    header = [
        "import os",
        "",
        "from azureml.core import Dataset, Experiment, Workspace",
        *COMPUTE_IMPORTS,
        import_line,
        *backend_import(p, kws),
    ]
    body = "".join(
        [
            workspace_block(p),
            "\n",
            compute_block(p),
            "\n",
            "project_root = os.path.dirname(os.path.abspath(__file__))\n",
            "script_folder = os.path.join(project_root, 'src')\n",
            data_code,
            "\n",
            f"est = {estimator_call(p, callee, kws)}\n\n",
            f"experiment = Experiment(workspace=ws, name={p.topic + '-' + p.cls.lower()!r})\n",
            "run = experiment.submit(est, tags={'framework': %r})\n" % p.cls,
            "print(run.get_portal_url())\n",
            "run.wait_for_completion(show_output=True)\n" if p.rng.random() < 0.6 else "",
        ]
    )
    doc = f'"""Submit the {p.topic} training job to Azure ML ({p.cls} estimator)."""'
    if p.rng.random() < 0.5:
        return lines(doc, *header, "", "") + "\n" + main_guard(body)
    return lines(doc, *header, "") + "\n" + body


def estimator_helpers(p: Project) -> str:
    import_line, callee = estimator_import(p)
    funcs, all_kws = [], []
    for index in range(p.rng.randint(2, 4)):
        kws = estimator_keywords(p, "data_input", "compute_target", indent="    ")
        all_kws += kws
        call = estimator_call(p, callee, kws, indent="    ")
        if p.rng.random() < 0.5:
            funcs.append(
                f"def build_{p.cls.lower()}_estimator_{index}(script_folder, compute_target, data_input, "
                f'project_root=\'.\'):\n    """Estimator for variant {index}."""\n    return {call}\n'
            )
        else:
            funcs.append(
                f"def make_estimator_{index}(script_folder, compute_target, data_input, project_root='.'):\n"
                f"    est = {call}\n    logger.info('built estimator %s', est)\n    return est\n"
            )
    backends = backend_import(p, all_kws)
    subclass = ""
    if p.rng.random() < 0.3:
        subclass = (
            f'\n\nclass Team{p.cls}({callee}):\n    """Adds the team\'s defaults."""\n\n'
            "    def __init__(self, source_directory, **kwargs):\n"
            "        kwargs.setdefault('max_run_duration_seconds', 7200)\n"
            "        super().__init__(source_directory, **kwargs)\n"
        )
    return (
        lines(
            '"""Factories for the estimators this project trains with."""',
            "import logging",
            "import os",
            "",
            import_line,
            *backends,
            "",
            "logger = logging.getLogger(__name__)",
            "",
            "",
        )
        + "\n\n".join(funcs)
        + subclass
        + "\n\nassert os.sep\n"
    )


def pipeline_script(p: Project) -> str:
    with_estimator_step = p.rng.random() < 0.5
    import_line, callee = estimator_import(p)
    steps = "PythonScriptStep, EstimatorStep" if with_estimator_step else "PythonScriptStep"
    header = [
        "import os",
        "",
        "from azureml.core import Experiment, Workspace",
        "from azureml.core.conda_dependencies import CondaDependencies",
        "from azureml.core.runconfig import DEFAULT_CPU_IMAGE, RunConfiguration",
        "from azureml.data.data_reference import DataReference",
        "from azureml.pipeline.core import Pipeline, PipelineData",
        f"from azureml.pipeline.steps import {steps}",
        *COMPUTE_IMPORTS,
    ]
    kws = estimator_keywords(p, None, "compute_target") if with_estimator_step else []
    if with_estimator_step:
        header += [import_line, *backend_import(p, kws)]
    body = [
        workspace_block(p),
        compute_block(p),
        lines(
            "ds = ws.get_default_datastore()",
            "run_config = RunConfiguration()",
            "run_config.environment.docker.enabled = True",
            "run_config.environment.docker.base_image = DEFAULT_CPU_IMAGE",
            "run_config.environment.python.user_managed_dependencies = False",
            f"run_config.environment.python.conda_dependencies = CondaDependencies.create("
            f"pip_packages={sorted(p.rng.sample(PIP, 3))!r})",
            "",
            "raw_data = DataReference(datastore=ds, data_reference_name='raw', "
            f"path_on_datastore='{p.topic}/raw')",
            "prepped = PipelineData('prepped', datastore=ds)",
            "prep_step = PythonScriptStep(",
            "    name='prepare data',",
            "    script_name='prep.py',",
            "    arguments=['--input', raw_data, '--output', prepped],",
            "    inputs=[raw_data],",
            "    outputs=[prepped],",
            "    compute_target=compute_target,",
            "    runconfig=run_config,",
            "    source_directory='./prep',",
            f"    allow_reuse={p.rng.random() < 0.5},",
            ")",
        ),
    ]
    if with_estimator_step:
        body.append(
            f"script_folder = './src'\nproject_root = os.getcwd()\nest = {estimator_call(p, callee, kws)}\n"
            "train_step = EstimatorStep(\n    name='train',\n    estimator=est,\n"
            "    estimator_entry_script_arguments=['--data', prepped],\n    inputs=[prepped],\n"
            "    compute_target=compute_target,\n    allow_reuse=True,\n)\n"
        )
    else:
        body.append(
            lines(
                "train_step = PythonScriptStep(",
                "    name='train',",
                "    script_name='train.py',",
                "    arguments=['--data', prepped],",
                "    inputs=[prepped],",
                "    compute_target=compute_target,",
                "    runconfig=run_config,",
                "    source_directory='./src',",
                ")",
            )
        )
    body.append(
        lines(
            "pipeline = Pipeline(workspace=ws, steps=[prep_step, train_step])",
            "pipeline.validate()",
            f"pipeline_run = Experiment(ws, '{p.topic}-pipeline').submit(pipeline)",
            f"published = pipeline.publish(name='{p.topic}-training', description='nightly')",
            "print(published.endpoint)",
        )
    )
    return lines(f'"""Build and publish the {p.topic} training pipeline."""', *header, "", "") + "\n".join(
        body
    )


def hyperdrive_script(p: Project) -> str:
    migrated = p.rng.random() < 0.35
    header = [
        "import os",
        "",
        "from azureml.core import Experiment, Workspace",
        "from azureml.train.hyperdrive import (",
        "    BanditPolicy,",
        "    HyperDriveConfig,",
        "    PrimaryMetricGoal,",
        "    RandomParameterSampling,",
        "    choice,",
        "    loguniform,",
        ")",
    ]
    if migrated:
        header.insert(2, "from azureml.core import Environment, ScriptRunConfig")
        job = lines(
            f"env = Environment.get(ws, name='AzureML-{p.cls}-1.6-GPU')",
            "run_cfg = ScriptRunConfig(source_directory='./src', script='train.py',",
            "                          compute_target='gpu-cluster', environment=env)",
        )
        keyword = "run_config=run_cfg"
    else:
        import_line, callee = estimator_import(p)
        kws = estimator_keywords(p, None, "'gpu-cluster'")
        header += [import_line, *backend_import(p, kws)]
        job = f"script_folder = './src'\nproject_root = '.'\nest = {estimator_call(p, callee, kws)}\n"
        keyword = "estimator=est"
    return (
        lines(f'"""Hyperparameter sweep for {p.topic}."""', *header, "", "ws = Workspace.from_config()")
        + job
        + lines(
            "param_sampling = RandomParameterSampling({",
            "    '--learning-rate': loguniform(-6, -1),",
            f"    '--batch-size': choice({', '.join(map(str, p.rng.sample((16, 32, 64, 128, 256), 3)))}),",
            "})",
            "early_termination = BanditPolicy(evaluation_interval=2, "
            f"slack_factor={p.rng.choice((0.1, 0.2))})",
            "hyperdrive_config = HyperDriveConfig(",
            f"    {keyword},",
            "    hyperparameter_sampling=param_sampling,",
            "    policy=early_termination,",
            f"    primary_metric_name={p.pick('accuracy', 'val_loss', 'auc', 'f1')!r},",
            "    primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,",
            f"    max_total_runs={p.rng.choice((8, 20, 50))},",
            "    max_concurrent_runs=4,",
            ")",
            f"hd_run = Experiment(ws, '{p.topic}-hd').submit(hyperdrive_config)",
            "best = hd_run.get_best_run_by_primary_metric()",
            "print(best.get_metrics())",
        )
    )


def data_reference_script(p: Project) -> str:
    registered = p.rng.random() < 0.5
    cast = p.rng.random() < 0.5
    ref = "str(data_ref)" if cast else "data_ref"
    register = (
        "src.run_config.data_references = {data_ref.data_reference_name: data_ref.to_config()}\n"
        if registered
        else ""
    )
    return (
        lines(
            f'"""Train {p.topic} on data mounted from the default datastore."""',
            "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace",
            "",
            "ws = Workspace.from_config()",
            "ds = ws.get_default_datastore()",
            f"ds.upload(src_dir='./data/{p.topic}', target_path='{p.topic}', overwrite=True)",
            f"data_ref = ds.path('{p.topic}').as_mount()",
            f"env = Environment.from_conda_specification(name='{p.topic}-env', file_path='environment.yml')",
            "src = ScriptRunConfig(",
            "    source_directory='./src',",
            "    script='train.py',",
            f"    arguments=['--data-folder', {ref}, '--epochs', {p.rng.randint(1, 30)}],",
            f"    compute_target={p.pick('gpu-cluster', 'cpu-cluster')!r},",
            "    environment=env,",
            ")",
        )
        + register
        + lines(f"run = Experiment(ws, '{p.topic}').submit(src)", "run.wait_for_completion(show_output=True)")
    )


def dataset_script(p: Project) -> str:
    return lines(
        f'"""Register the {p.topic} dataset and train with it as a named input."""',
        "from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace",
        "from azureml.core.runconfig import MpiConfiguration" if p.rng.random() < 0.5 else "import json",
        "",
        "ws = Workspace.from_config()",
        "datastore = ws.get_default_datastore()",
        f"dataset = Dataset.File.from_files(path=(datastore, '{p.topic}/'))",
        f"dataset = dataset.register(workspace=ws, name={p.topic!r}, create_new_version=True)",
        f"tabular = Dataset.Tabular.from_delimited_files(path=[(datastore, '{p.topic}/labels.csv')])",
        "env = Environment.from_pip_requirements(name='train-env', file_path='requirements.txt')",
        "src = ScriptRunConfig(",
        "    source_directory='./src',",
        "    script='train.py',",
        f"    arguments=['--data', dataset.as_named_input('{p.topic.replace('-', '_')}').as_mount(),",
        "               '--labels', tabular.as_named_input('labels')],",
        "    compute_target='cpu-cluster',",
        "    environment=env,",
        ")",
        "run = Experiment(ws, 'datasets').submit(src)",
    )


def migrated_script(p: Project) -> str:
    with_env = p.rng.random() < 0.7
    distributed = p.rng.random() < 0.4
    env_line = (
        f"    environment=Environment.get(ws, "
        f"{p.pick('AzureML-PyTorch-1.6-GPU', 'AzureML-Tutorial', 'AzureML-Minimal')!r}),\n"
        if with_env
        else ""
    )
    dist_line = "    distributed_job_config=PyTorchConfiguration(node_count=2),\n" if distributed else ""
    return (
        lines(
            f'"""Submit {p.topic} training with ScriptRunConfig (already migrated)."""',
            "import argparse",
            "",
            "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace",
            "from azureml.core.runconfig import PyTorchConfiguration",
            "",
            "",
            "def parse_args():",
            "    parser = argparse.ArgumentParser()",
            "    parser.add_argument('--experiment', default=%r)" % p.topic,
            "    parser.add_argument('--cluster', default='gpu-cluster')",
            "    return parser.parse_args()",
            "",
            "",
            "def submit(ws, args):",
            "    src = ScriptRunConfig(",
            "        source_directory='./src',",
            "        script='train.py',",
            f"        arguments=['--epochs', {p.rng.randint(1, 40)}, '--lr', {p.rng.choice((0.1, 0.01))}],",
            "        compute_target=args.cluster,",
        )
        + "".join("    " + line for line in (env_line + dist_line).splitlines(True))
        + lines(
            "    )",
            "    return Experiment(ws, args.experiment).submit(src)",
            "",
            "",
            "if __name__ == '__main__':",
            "    run = submit(Workspace.from_config(), parse_args())",
            "    print(run.id)",
        )
    )


def requirements(p: Project) -> str:
    pin = p.rng.choice(SDK_PINS)
    extras = sorted(p.rng.sample(PIP, 3))
    return lines(f"azureml-sdk=={pin}", *extras)


# ---------------------------------------------------------------------------------------------
# Ordinary code
# ---------------------------------------------------------------------------------------------


def train_script(p: Project) -> str:
    metric = p.pick("accuracy", "val_loss", "auc")
    return lines(
        f'"""Training entry point for {p.topic}; runs on the cluster."""',
        "import argparse",
        "import os",
        "",
        "import numpy as np",
        "from azureml.core import Run",
        "",
        "from data import load_split",
        "from model import build_model",
        "",
        "run = Run.get_context()",
        "",
        "",
        "def parse_args(argv=None):",
        "    parser = argparse.ArgumentParser(description=__doc__)",
        "    parser.add_argument('--data-folder', type=str, default='./data')",
        "    parser.add_argument('--learning-rate', type=float, default=0.01)",
        "    parser.add_argument('--batch-size', type=int, default=32)",
        "    parser.add_argument('--epochs', type=int, default=10)",
        "    parser.add_argument('--output-dir', type=str, default='./outputs')",
        "    return parser.parse_args(argv)",
        "",
        "",
        "def main(argv=None):",
        "    args = parse_args(argv)",
        "    x_train, y_train, x_val, y_val = load_split(args.data_folder)",
        "    model = build_model(x_train.shape[1], learning_rate=args.learning_rate)",
        "    for epoch in range(args.epochs):",
        "        order = np.random.permutation(len(x_train))",
        "        for start in range(0, len(order), args.batch_size):",
        "            batch = order[start:start + args.batch_size]",
        "            model.partial_fit(x_train[batch], y_train[batch])",
        "        score = model.score(x_val, y_val)",
        f"        run.log({metric!r}, float(score))",
        "        print(f'epoch {epoch}: {score:.4f}')",
        "    os.makedirs(args.output_dir, exist_ok=True)",
        "    model.save(os.path.join(args.output_dir, 'model.bin'))",
        "",
        "",
        "if __name__ == '__main__':",
        "    main()",
    )


def model_module(p: Project) -> str:
    layers = [p.rng.choice((32, 64, 128, 256, 512)) for _ in range(p.rng.randint(2, 5))]
    blocks = "\n".join(
        f"        self.fc{i} = nn.Linear({a}, {b})" for i, (a, b) in enumerate(zip([784, *layers], layers))
    )
    calls = "\n".join(f"        x = F.relu(self.fc{i}(x))" for i in range(len(layers)))
    return (
        lines(
            f'"""Model definitions for {p.topic}."""',
            "import torch",
            "import torch.nn as nn",
            "import torch.nn.functional as F",
            "",
            "",
            "class Net(nn.Module):",
            "    def __init__(self, num_classes=10, dropout=0.25):",
            "        super().__init__()",
        )
        + blocks
        + "\n"
        + lines(
            f"        self.head = nn.Linear({layers[-1]}, num_classes)",
            "        self.dropout = nn.Dropout(dropout)",
            "",
            "    def forward(self, x):",
            "        x = torch.flatten(x, 1)",
        )
        + calls
        + "\n"
        + lines(
            "        x = self.dropout(x)",
            "        return F.log_softmax(self.head(x), dim=1)",
            "",
            "",
            "class Wrapper:",
            "    def __init__(self, net, learning_rate):",
            "        self.net = net",
            "        self.optimizer = torch.optim.SGD(net.parameters(), lr=learning_rate, momentum=0.9)",
            "",
            "    def partial_fit(self, x, y):",
            "        self.optimizer.zero_grad()",
            "        loss = F.nll_loss(self.net(torch.as_tensor(x)), torch.as_tensor(y))",
            "        loss.backward()",
            "        self.optimizer.step()",
            "        return float(loss)",
            "",
            "    def score(self, x, y):",
            "        with torch.no_grad():",
            "            predicted = self.net(torch.as_tensor(x)).argmax(dim=1)",
            "        return (predicted == torch.as_tensor(y)).float().mean().item()",
            "",
            "    def save(self, path):",
            "        torch.save(self.net.state_dict(), path)",
            "",
            "",
            "def build_model(n_features, learning_rate=0.01):",
            "    return Wrapper(Net(), learning_rate)",
        )
    )


def data_module(p: Project) -> str:
    columns = p.rng.sample(
        ("age", "tenure", "balance", "income", "clicks", "visits", "price", "score", "region"), 4
    )
    return lines(
        f'"""Loading and splitting the {p.topic} data."""',
        "import glob",
        "import os",
        "",
        "import numpy as np",
        "import pandas as pd",
        "",
        f"FEATURES = {columns!r}",
        "LABEL = 'label'",
        "",
        "",
        "def read_frames(folder):",
        "    paths = sorted(glob.glob(os.path.join(folder, '**', '*.csv'), recursive=True))",
        "    if not paths:",
        "        raise FileNotFoundError(f'no csv files under {folder}')",
        "    return pd.concat((pd.read_csv(path) for path in paths), ignore_index=True)",
        "",
        "",
        "def clean(frame):",
        "    frame = frame.dropna(subset=[LABEL])",
        "    for column in FEATURES:",
        "        frame[column] = frame[column].fillna(frame[column].median())",
        "    return frame",
        "",
        "",
        f"def load_split(folder, val_fraction={p.rng.choice((0.1, 0.2, 0.25))}, "
        f"seed={p.rng.randint(0, 99)}):",
        "    frame = clean(read_frames(folder))",
        "    rng = np.random.default_rng(seed)",
        "    mask = rng.random(len(frame)) < val_fraction",
        "    x = frame[FEATURES].to_numpy(dtype=np.float32)",
        "    y = frame[LABEL].to_numpy()",
        "    return x[~mask], y[~mask], x[mask], y[mask]",
    )


def utils_module(p: Project) -> str:
    extra = [
        lines(
            "def chunked(items, size):",
            "    for start in range(0, len(items), size):",
            "        yield items[start:start + size]",
        ),
        lines(
            "def read_json(path):",
            "    with open(path, encoding='utf-8') as handle:",
            "        return json.load(handle)",
        ),
        lines(
            "def write_json(path, payload):",
            "    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)",
            "    with open(path, 'w', encoding='utf-8') as handle:",
            "        json.dump(payload, handle, indent=2)",
        ),
        lines(
            "class Timer:",
            "    def __enter__(self):",
            "        self.start = time.perf_counter()",
            "        return self",
            "",
            "    def __exit__(self, *exc):",
            "        self.elapsed = time.perf_counter() - self.start",
            "        logger.info('took %.2fs', self.elapsed)",
        ),
        lines(
            "def seed_everything(seed):",
            "    random.seed(seed)",
            "    os.environ['PYTHONHASHSEED'] = str(seed)",
        ),
    ]
    chosen = p.rng.sample(extra, p.rng.randint(3, len(extra)))
    return lines(
        '"""Small helpers shared by the scripts."""',
        "import json",
        "import logging",
        "import os",
        "import random",
        "import time",
        "",
        "logger = logging.getLogger(__name__)",
        "",
        "",
    ) + "\n\n".join(chosen)


def test_module(p: Project) -> str:
    return lines(
        f'"""Tests for the {p.topic} data helpers."""',
        "import numpy as np",
        "import pandas as pd",
        "import pytest",
        "",
        "from data import FEATURES, LABEL, clean",
        "",
        "",
        "@pytest.fixture",
        "def frame():",
        "    rows = {name: [1.0, None, 3.0] for name in FEATURES}",
        "    rows[LABEL] = [0, 1, None]",
        "    return pd.DataFrame(rows)",
        "",
        "",
        "def test_clean_drops_unlabelled(frame):",
        "    assert len(clean(frame)) == 2",
        "",
        "",
        "def test_clean_fills_medians(frame):",
        "    assert not clean(frame)[FEATURES].isna().any().any()",
        "",
        "",
        f"@pytest.mark.parametrize('size', [1, 2, {p.rng.randint(3, 9)}])",
        "def test_shapes(size):",
        "    assert np.zeros((size, len(FEATURES))).shape[1] == len(FEATURES)",
    )


def features_module(p: Project) -> str:
    transforms = (
        ("log1p", "np.log1p(frame[column].clip(lower=0))"),
        ("zscore", "(frame[column] - frame[column].mean()) / (frame[column].std() or 1.0)"),
        ("rank", "frame[column].rank(pct=True)"),
        ("bucket", "pd.qcut(frame[column], q={q}, labels=False, duplicates='drop')"),
        ("clip", "frame[column].clip(frame[column].quantile(0.01), frame[column].quantile(0.99))"),
        ("rolling", "frame[column].rolling({q}, min_periods=1).mean()"),
        ("diff", "frame[column].diff().fillna(0.0)"),
        ("square", "frame[column] ** 2"),
    )
    funcs = []
    for name, expr in p.rng.sample(transforms, p.rng.randint(4, len(transforms))):
        funcs.append(
            lines(
                f"def add_{name}(frame, columns):",
                f'    """Add a ``<column>_{name}`` feature for each column."""',
                "    frame = frame.copy()",
                "    for column in columns:",
                "        if column not in frame:",
                "            raise KeyError(column)",
                f"        frame[f'{{column}}_{name}'] = {expr.format(q=p.rng.randint(3, 10))}",
                "    return frame",
            )
        )
    names = [f"add_{line.split('add_')[1].split('(')[0]}" for line in funcs]
    pipeline = lines(
        "",
        "PIPELINE = [",
        *(f"    {name}," for name in names),
        "]",
        "",
        "",
        "def build_features(frame, columns):",
        "    for step in PIPELINE:",
        "        frame = step(frame, columns)",
        "    return frame",
    )
    return (
        lines(
            f'"""Feature engineering for {p.topic}."""', "import numpy as np", "import pandas as pd", "", ""
        )
        + "\n\n".join(funcs)
        + pipeline
    )


def evaluate_module(p: Project) -> str:
    return lines(
        f'"""Offline evaluation of a trained {p.topic} model."""',
        "import argparse",
        "import json",
        "import os",
        "",
        "import matplotlib",
        "matplotlib.use('Agg')",
        "import matplotlib.pyplot as plt  # noqa: E402",
        "import numpy as np  # noqa: E402",
        "",
        "",
        "def confusion(y_true, y_pred, n_classes):",
        "    matrix = np.zeros((n_classes, n_classes), dtype=int)",
        "    for truth, guess in zip(y_true, y_pred):",
        "        matrix[truth, guess] += 1",
        "    return matrix",
        "",
        "",
        "def precision_recall(matrix):",
        "    tp = np.diag(matrix).astype(float)",
        "    precision = tp / np.maximum(matrix.sum(axis=0), 1)",
        "    recall = tp / np.maximum(matrix.sum(axis=1), 1)",
        "    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)",
        "    return {'precision': precision.tolist(), 'recall': recall.tolist(), 'f1': f1.tolist()}",
        "",
        "",
        "def plot_matrix(matrix, path):",
        "    fig, ax = plt.subplots(figsize=(6, 6))",
        "    ax.imshow(matrix, cmap='Blues')",
        "    for (row, col), value in np.ndenumerate(matrix):",
        "        ax.text(col, row, str(value), ha='center', va='center')",
        "    ax.set_xlabel('predicted')",
        "    ax.set_ylabel('actual')",
        "    fig.savefig(path, bbox_inches='tight')",
        "    plt.close(fig)",
        "",
        "",
        "def main():",
        "    parser = argparse.ArgumentParser()",
        "    parser.add_argument('predictions')",
        "    parser.add_argument('--out', default='outputs')",
        f"    parser.add_argument('--classes', type=int, default={p.rng.choice((2, 3, 10))})",
        "    args = parser.parse_args()",
        "    data = np.load(args.predictions)",
        "    matrix = confusion(data['y_true'], data['y_pred'], args.classes)",
        "    os.makedirs(args.out, exist_ok=True)",
        "    plot_matrix(matrix, os.path.join(args.out, 'confusion.png'))",
        "    with open(os.path.join(args.out, 'metrics.json'), 'w') as handle:",
        "        json.dump(precision_recall(matrix), handle, indent=2)",
        "",
        "",
        "if __name__ == '__main__':",
        "    main()",
    )


def score_script(p: Project) -> str:
    return lines(
        f'"""Scoring script for the {p.topic} web service."""',
        "import json",
        "import os",
        "",
        "import joblib",
        "import numpy as np",
        "from azureml.core.model import Model",
        "",
        "model = None",
        "",
        "",
        "def init():",
        "    global model",
        f"    path = os.getenv('AZUREML_MODEL_DIR') or Model.get_model_path({p.topic!r})",
        "    model = joblib.load(os.path.join(path, 'model.pkl'))",
        "",
        "",
        "def run(raw_data):",
        "    try:",
        "        data = np.array(json.loads(raw_data)['data'])",
        "        return model.predict(data).tolist()",
        "    except Exception as error:  # the service returns the message to the caller",
        "        return {'error': str(error)}",
    )


def deploy_script(p: Project) -> str:
    return lines(
        f'"""Register the trained {p.topic} model and deploy it to ACI."""',
        "from azureml.core import Environment, Model, Workspace",
        "from azureml.core.model import InferenceConfig",
        "from azureml.core.webservice import AciWebservice",
        "",
        "ws = Workspace.from_config()",
        f"model = Model.register(ws, model_path='outputs/model.pkl', model_name={p.topic!r},",
        f"                       tags={{'area': {p.topic!r}}}, description='{p.cls} model')",
        "env = Environment.from_conda_specification('scoring-env', 'environment.yml')",
        "inference_config = InferenceConfig(entry_script='score.py', source_directory='./src', "
        "environment=env)",
        f"aci_config = AciWebservice.deploy_configuration(cpu_cores={p.rng.choice((1, 2))}, "
        "memory_gb=2, auth_enabled=True)",
        f"service = Model.deploy(ws, '{p.topic}-svc', [model], inference_config, aci_config, overwrite=True)",
        "service.wait_for_deployment(show_output=True)",
        "print(service.scoring_uri)",
    )


# ---------------------------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------------------------


def code_cell(source: str, count: int, output: str | None = None) -> dict[str, object]:
    outputs = [{"name": "stdout", "output_type": "stream", "text": output.splitlines(True)}] if output else []
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {},
        "outputs": outputs,
        "source": source.rstrip("\n").splitlines(True),
    }


def markdown_cell(text: str) -> dict[str, object]:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(True)}


def notebook(p: Project) -> str:
    import_line, callee = estimator_import(p)
    data_code, data_expr = data_block(p)
    kws = estimator_keywords(p, data_expr, "compute_target")
    cells = [
        markdown_cell(
            f"# Train {p.topic} with Azure ML\n\nThis notebook submits the training script to a cluster."
        ),
        code_cell(
            "%pip install --upgrade azureml-sdk[notebooks]"
            if p.rng.random() < 0.5
            else "!pip list | grep azureml",
            1,
            "Requirement already satisfied: azureml-sdk\n",
        ),
        code_cell(
            lines(
                "import os",
                "import azureml.core",
                "from azureml.core import Dataset, Experiment, Workspace",
                *COMPUTE_IMPORTS,
                import_line,
                *backend_import(p, kws),
                "print('SDK version:', azureml.core.VERSION)",
            ),
            2,
            "SDK version: 1.19.0\n",
        ),
        code_cell(workspace_block(p), 3, "ml-workspace\nml-rg\nwesteurope\n"),
        markdown_cell("## Compute target"),
        code_cell(compute_block(p), 4, "Found existing compute target.\n"),
        code_cell("project_root = os.getcwd()\nscript_folder = './src'\n" + data_code, 5),
        markdown_cell("## Configure the estimator"),
        code_cell(f"est = {estimator_call(p, callee, kws)}", 6),
        code_cell(lines(f"run = Experiment(ws, {p.topic!r}).submit(est)", "run"), 7),
        code_cell(lines("from azureml.widgets import RunDetails", "RunDetails(run).show()"), 8),
    ]
    if p.rng.random() < 0.4:
        cells.append(
            code_cell(
                lines(
                    "metrics = run.get_metrics()",
                    "for name, value in metrics.items():",
                    "    print(name, value)",
                ),
                9,
                "accuracy 0.97\n",
            )
        )
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3.6 - AzureML",
                "language": "python",
                "name": "python3-azureml",
            },
            "language_info": {"name": "python", "version": "3.6.9"},
        },
        "nbformat": 4,
        "nbformat_minor": 2,
    }
    return json.dumps(nb, indent=1, sort_keys=True) + "\n"


def exploration_notebook(p: Project) -> str:
    cells = [
        markdown_cell(f"# Exploring the {p.topic} data"),
        code_cell(lines("import pandas as pd", "import matplotlib.pyplot as plt", "%matplotlib inline"), 1),
        code_cell(
            lines(
                "from data import read_frames, clean",
                "frame = clean(read_frames('./data'))",
                "frame.describe()",
            ),
            2,
            "count 1000\n",
        ),
        code_cell(lines("frame.hist(figsize=(12, 8))", "plt.tight_layout()"), 3),
    ]
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    return json.dumps(nb, indent=1, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------

OPTIONAL_FILES: tuple[tuple[float, str, Callable[[Project], str]], ...] = (
    (0.6, "aml/estimators.py", estimator_helpers),
    (0.6, "aml/pipeline.py", pipeline_script),
    (0.6, "aml/hyperdrive.py", hyperdrive_script),
    (0.5, "aml/submit_mounted.py", data_reference_script),
    (0.5, "aml/register_data.py", dataset_script),
    (0.6, "aml/submit_src.py", migrated_script),
    (0.5, "src/score.py", score_script),
    (0.5, "aml/deploy.py", deploy_script),
    (0.4, "notebooks/explore.ipynb", exploration_notebook),
)


def make_project(index: int, rng: random.Random) -> Project:
    cls = tuple(FRAMEWORKS)[index % len(FRAMEWORKS)]
    topic = rng.choice(TOPICS)
    p = Project(f"project_{index:02d}_{topic.replace('-', '_')}", cls, topic, random.Random(rng.random()))
    p.files = {
        "requirements.txt": requirements(p),
        "src/train.py": train_script(p),
        "src/model.py": model_module(p),
        "src/data.py": data_module(p),
        "src/utils.py": utils_module(p),
        "src/features.py": features_module(p),
        "src/evaluate.py": evaluate_module(p),
        "tests/test_data.py": test_module(p),
        "src/__init__.py": "",
        "notebooks/train.ipynb": notebook(p),
    }
    for number in range(p.rng.randint(1, 3)):
        p.files[f"aml/submit_{p.cls.lower()}_{number}.py"] = submit_script(p)
    for probability, path, make in OPTIONAL_FILES:
        if p.rng.random() < probability:
            p.files[path] = make(p)
    return p


def check_syntax(path: str, text: str) -> None:
    """Fail loudly when the generator itself writes invalid Python (magics are stripped first)."""
    if path.endswith(".py"):
        ast.parse(text, filename=path)
    elif path.endswith(".ipynb"):
        for cell in json.loads(text)["cells"]:
            if cell["cell_type"] == "code":
                code = "".join(line for line in cell["source"] if not line.lstrip().startswith(("%", "!")))
                ast.parse(code, filename=path)


def prepare(out: Path) -> None:
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise SystemExit(f"{out} exists and was not made by make_corpus.py; refusing to delete it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("generated by benchmarks/make_corpus.py\n", encoding="utf-8")


def generate(out: Path, *, seed: int = 2019, projects: int = DEFAULT_PROJECTS) -> dict[str, int]:
    """Write the corpus into ``out`` (replacing an earlier one) and return file counts by suffix."""
    prepare(out)
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    for index in range(projects):
        project = make_project(index, rng)
        for rel, text in project.files.items():
            check_syntax(rel, text)
            target = out / project.name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            suffix = target.suffix or target.name
            counts[suffix] = counts.get(suffix, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--projects", type=int, default=DEFAULT_PROJECTS)
    args = parser.parse_args(argv)
    counts = generate(args.out, seed=args.seed, projects=args.projects)
    print(f"{args.out}: " + ", ".join(f"{n} {suffix}" for suffix, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
