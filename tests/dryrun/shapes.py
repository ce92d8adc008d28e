"""Realistic submit scripts, the shapes real MLOps repositories have (issue 14), each as a small
project: a submit script (`.py`, or a notebook where the shape exists in notebooks), `src/train.py`,
and the files the script reads. Used by the static, capture and container tests alike.

Packages are `dryrun-probe` versions: tests build them as tiny wheels, so images build offline, and
a job can tell which version it got."""

from __future__ import annotations

import json
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1"  # the SDK's CPU image

# The training script of every shape: it reports what it was given, as a cloud job would see it.
TRAIN = """
    import json, os, sys
    try:
        import dryrun_probe
        probe = dryrun_probe.VERSION
    except ImportError:
        probe = None
    found = {"argv": sys.argv[1:], "probe": probe, "cwd_files": sorted(os.listdir(".")),
             "env": {k: v for k, v in os.environ.items() if k in ("FRUIT_SEED", "EXAMPLE_ENV_VAR")}}
    if "--data-dir" in sys.argv:
        found["data"] = sorted(os.listdir(sys.argv[sys.argv.index("--data-dir") + 1]))
    os.makedirs("outputs", exist_ok=True)
    with open("outputs/report.json", "w") as handle:
        json.dump(found, handle)
    print("trained with", " ".join(sys.argv[1:]))
"""


@dataclass
class Shape:
    name: str
    submit: str
    files: dict[str, str] = field(default_factory=dict)
    cells: list[str] | None = None  # the same script as notebook cells, where notebooks have it


CONFIG = Shape(
    "config-file",
    """
    import json

    import yaml
    from azureml.core import Datastore, Environment, Experiment, ScriptRunConfig, Workspace

    with open("config.json") as handle:
        config = json.load(handle)
    settings = yaml.safe_load(open("settings.yml"))

    ws = Workspace.from_config()
    store = Datastore.get(ws, config["datastore"])
    data = store.path(config["data_folder"]).as_mount()
    env = Environment.from_conda_specification("fruit-env", config["conda_file"])
    src = ScriptRunConfig(source_directory=config["source_dir"], script=config["script"],
                          arguments=["--data-dir", str(data), "--epochs", settings["training"]["epochs"]],
                          compute_target=config["compute"], environment=env)
    src.run_config.data_references = {data.data_reference_name: data.to_config()}
    src.run_config.environment_variables = {"FRUIT_SEED": str(settings["seed"])}
    run = Experiment(ws, config["experiment"]).submit(src)
    run.wait_for_completion(show_output=True)
    """,
    {
        "config.json": json.dumps({"datastore": "fruitstore", "data_folder": "datasets/fruit",
                                   "source_dir": "src", "script": "train.py", "compute": "cpu-cluster",
                                   "experiment": "fruit", "conda_file": "environment.yml"}),
        "settings.yml": "training:\n  epochs: 4\nseed: 7\n",
        "environment.yml": "name: fruit\ndependencies:\n  - python=3.11\n  - pip:\n    - dryrun-probe==1.0\n",
    },
    cells=[
        "import json\nimport yaml\n"
        "from azureml.core import Datastore, Environment, Experiment, ScriptRunConfig, Workspace",
        "with open('config.json') as handle:\n    config = json.load(handle)\n"
        "settings = yaml.safe_load(open('settings.yml'))",
        "ws = Workspace.from_config()\nstore = Datastore.get(ws, config['datastore'])\n"
        "data = store.path(config['data_folder']).as_mount()\n"
        "env = Environment.from_conda_specification('fruit-env', config['conda_file'])",
        "src = ScriptRunConfig(source_directory=config['source_dir'], script=config['script'],\n"
        "                      arguments=['--data-dir', str(data),\n"
        "                                 '--epochs', settings['training']['epochs']],\n"
        "                      compute_target=config['compute'], environment=env)\n"
        "src.run_config.data_references = {data.data_reference_name: data.to_config()}\n"
        "src.run_config.environment_variables = {'FRUIT_SEED': str(settings['seed'])}",
        "run = Experiment(ws, config['experiment']).submit(src)\nrun",
    ],
)

PATHS = Shape(
    "file-relative-paths",
    """
    import os
    from pathlib import Path

    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.core.conda_dependencies import CondaDependencies

    HERE = os.path.dirname(os.path.realpath(__file__))
    ROOT = Path(__file__).resolve().parent

    ws = Workspace.from_config()
    env = Environment("paths-env")
    env.python.conda_dependencies = CondaDependencies(os.path.join(HERE, "environment.yml"))
    src = ScriptRunConfig(source_directory=str(ROOT / "src"), script="train.py",
                          arguments=["--project", os.path.basename(HERE)], environment=env)
    Experiment(ws, "paths").submit(src)
    """,
    {"environment.yml": "name: paths\ndependencies:\n  - python=3.11\n  - pip:\n    - dryrun-probe==1.0\n"},
)

CONDA = Shape(
    "inline-conda",
    """
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.core.conda_dependencies import CondaDependencies

    ws = Workspace.from_config()
    env = Environment("inline-env")
    env.python.conda_dependencies = CondaDependencies.create(
        conda_packages=["pip"], pip_packages=["dryrun-probe==1.0", "dryrun-extra==1.0"])
    # Same package name: the SDK keeps only this one (add_pip_package replaces the 1.0 entry).
    env.python.conda_dependencies.add_pip_package("dryrun-probe==2.0")
    env.environment_variables = {"FRUIT_SEED": "3"}
    src = ScriptRunConfig(source_directory="src", script="train.py", environment=env)
    Experiment(ws, "inline").submit(src)
    """,
    cells=[
        "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "from azureml.core.conda_dependencies import CondaDependencies\nws = Workspace.from_config()",
        "%pip install azureml-core\nenv = Environment('inline-env')\n"
        "env.python.conda_dependencies = CondaDependencies.create(\n"
        "    conda_packages=['pip'], pip_packages=['dryrun-probe==1.0', 'dryrun-extra==1.0'])\n"
        "env.python.conda_dependencies.add_pip_package('dryrun-probe==2.0')\n"
        "env.environment_variables = {'FRUIT_SEED': '3'}",
        "src = ScriptRunConfig(source_directory='src', script='train.py', environment=env)\n"
        "Experiment(ws, 'inline').submit(src)",
    ],
)

ARGS = Shape(
    "argparse-defaults",
    """
    import argparse

    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.core.conda_dependencies import CondaDependencies

    if __name__ == "__main__":
        parser = argparse.ArgumentParser(description="Submit the fruit model")
        parser.add_argument("--lr", type=float, default=0.1, help=f"learning rate (default %(default)s)")
        parser.add_argument("--epochs", type=int, default=3)
        parser.add_argument("--compute", default="cpu-cluster")
        parser.add_argument("--fast", action="store_true")
        args = parser.parse_args()

        ws = Workspace.from_config()
        env = Environment("args-env")
        env.python.conda_dependencies = CondaDependencies.create(pip_packages=["dryrun-probe==1.0"])
        src = ScriptRunConfig(source_directory="src", script="train.py",
                              arguments=["--lr", args.lr, "--epochs", args.epochs]
                              + (["--fast"] if args.fast else []),
                              compute_target=args.compute, environment=env)
        Experiment(ws, "args").submit(src)
    """,
)

ESTIMATORS = Shape(
    "estimator-left-manual",
    """
    import json
    from azureml.core import Experiment, Workspace
    from azureml.train.estimator import Estimator

    ws = Workspace.from_config()
    common = json.loads('{"compute_target": "cpu-cluster"}')  # settings known when the script runs
    train = Estimator(source_directory="src", entry_script="train.py", script_params={"--epochs": 2},
                      pip_packages=["dryrun-probe==1.0"], compute_target="cpu-cluster")
    evaluate = Estimator(source_directory="src", entry_script="train.py", script_params={"--evaluate": ""},
                         **common)
    exp = Experiment(ws, "two-jobs")
    exp.submit(train)
    exp.submit(evaluate)
    """,
    cells=[
        "import json\nfrom azureml.core import Experiment, Workspace\nfrom azureml.train.estimator import Estimator\n"
        "ws = Workspace.from_config()\ncommon = json.loads('{\"compute_target\": \"cpu-cluster\"}')",
        "%%writefile src/train.py\nimport sys\nprint('notebook-written train.py', sys.argv[1:])",
        "train = Estimator(source_directory='src', entry_script='train.py', script_params={'--epochs': 2},\n"
        "                  pip_packages=['dryrun-probe==1.0'], compute_target='cpu-cluster')\n"
        "evaluate = Estimator(source_directory='src', entry_script='train.py',\n"
        "                     script_params={'--evaluate': ''}, **common)",
        "exp = Experiment(ws, 'two-jobs')\nexp.submit(train)\nexp.submit(evaluate)",
    ],
)

SWEEP = Shape(
    "hyperdrive-from-helpers",
    """
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.core.conda_dependencies import CondaDependencies
    from azureml.train.hyperdrive import (HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling,
                                          choice, uniform)


    def training_environment(name, packages):
        env = Environment(name)
        env.python.conda_dependencies = CondaDependencies.create(pip_packages=packages)
        return env


    def job(script, env, compute="gpu-cluster"):
        return ScriptRunConfig(source_directory="src", script=script, arguments=["--epochs", 5],
                               compute_target=compute, environment=env)


    ws = Workspace.from_config()
    sampling = RandomParameterSampling({"--lr": uniform(0.01, 0.09), "batch": choice(16, 32)})
    env = training_environment("sweep-env", ["dryrun-probe==1.0"])
    sweep = HyperDriveConfig(run_config=job("train.py", env),
                             hyperparameter_sampling=sampling, primary_metric_name="loss",
                             primary_metric_goal=PrimaryMetricGoal.MINIMIZE, max_total_runs=8)
    Experiment(ws, "sweep").submit(sweep)
    """,
)

SHAPES = [CONFIG, PATHS, CONDA, ARGS, ESTIMATORS, SWEEP]


def write_shape(root: Path, shape: Shape, notebook: bool = False) -> Path:
    """The shape's project under root; returns the submit script (submit.py or submit.ipynb)."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "src" / "train.py").write_text(textwrap.dedent(TRAIN))
    for name, text in shape.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    if not notebook:
        path = root / "submit.py"
        path.write_text(textwrap.dedent(shape.submit).lstrip())
        return path
    assert shape.cells is not None, f"{shape.name} has no notebook form"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"# {shape.name}"]}]
    cells += [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
               "source": cell.splitlines(keepends=True)} for cell in shape.cells]
    path = root / "submit.ipynb"
    notebook_json = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook_json, indent=1))
    return path


def probe_wheel(folder: Path, version: str, name: str = "dryrun-probe") -> Path:
    """A minimal pure-Python wheel, so an image build needs no package index."""
    module = name.replace("-", "_")
    stem = f"{module}-{version}"
    path = folder / f"{stem}-py3-none-any.whl"
    files = {
        f"{module}.py": f"VERSION = {version!r}\n",
        f"{stem}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{stem}.dist-info/WHEEL":
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{stem}.dist-info/RECORD": "",
    }
    with zipfile.ZipFile(path, "w") as wheel:
        for member, text in files.items():
            # A fixed date: the same wheel byte for byte, so images built from it are reused.
            wheel.writestr(zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return path
