"""The rule registry: the single source of truth for every rule.

flake8 codes, pylint ``msgs``, ``aml-migrate rules``, ``--select/--ignore`` and ``rules.md``
are all generated from :data:`RULES`. Rule tests read the examples from here too, so the
documentation cannot drift from behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Applicability = Literal["safe", "unsafe", "manual"]
Scope = Literal["python", "requirements"]


@dataclass(frozen=True)
class Rule:
    code: str
    pylint_id: str
    symbol: str
    summary: str
    message: str  # str.format template; the analysis fills the fields
    fixes: tuple[Applicability, ...]  # what a fix of this rule can be; empty when hint only
    since: str  # the azureml-sdk version the deprecation applies from
    flags: str
    why: str
    example: str
    fixed_example: str
    scope: Scope = "python"
    # Off by default: on only when a select/extend-select prefix names it, or the configured target is
    # SDK v2 (``target = "v2"``). The SDK v2 family (AML6xx) is opt-in: ScriptRunConfig is still the
    # supported v1 API, so flagging it is a choice the project makes when it moves to azure-ai-ml.
    opt_in: bool = False

    def format(self, **fields: str) -> str:
        return self.message.format(**fields)

    @property
    def description(self) -> str:
        """What the rule flags, and for an opt-in rule how to turn it on (docs, ``explain``, SARIF)."""
        return f"{self.flags} {_OPT_IN_NOTE.format(symbol=self.symbol)}" if self.opt_in else self.flags


_OPT_IN_NOTE = ("Off by default: `--extend-select AML6` (check, flake8), `--enable={symbol}` (pylint) or "
                "`target = \"v2\"` in the configuration turns it on; `aml-migrate fix --target v2` fixes it.")


# The DataReference examples of AML301 and AML302 end in the same migrated code.
_CAST_REFERENCE = (
            "from azureml.core import ScriptRunConfig\n"
            "\n"
            "data = ws.get_default_datastore().path('mnist').as_mount()\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', arguments=['--data', str(data)],\n"
            "                      environment=env)\n"
)
# The SDK v2 family: SDK v1 as a whole is deprecated and out of support; it applies whatever the version.
_V1 = "1.0.0"
_END_OF_V1 = ("SDK v1 (`azureml-core` and friends) is deprecated since 2025-03-31 and its support ended on "
              "2026-06-30; its successor is SDK v2, `azure-ai-ml`.")
# What ``fix --target v2`` makes of the AML6xx examples (a test holds them to it).
_FIXED_602 = (
    "from azure.ai.ml import MLClient, command\n"
    "from azure.identity import DefaultAzureCredential\n"
    "\n"
    "ws = MLClient.from_config(DefaultAzureCredential())\n"
    "src = command(code='src', command='python train.py --lr 0.1', compute='cpu-cluster', "
    "environment='azureml:team-env@latest',\n"
    "              timeout=2592000,\n"
    "              shm_size='2g')\n"
)
_FIXED_604 = (
    "from azure.ai.ml import MLClient, command\n"
    "from azure.identity import DefaultAzureCredential\n"
    "\n"
    "ws = MLClient.from_config(DefaultAzureCredential())\n"
    "src = command(code='src', command='python train.py', compute='cpu-cluster',\n"
    "              environment='azureml:team-env@latest',\n"
    "              timeout=2592000,\n"
    "              shm_size='2g')\n"
    "run = ws.jobs.create_or_update(src, experiment_name='demo')\n"
    "ws.jobs.stream(run.name)\n"
)
_FIXED_606 = (
    "from azure.ai.ml import command\n"
    "from azure.ai.ml.sweep import Uniform\n"
    "\n"
    "src = command(code='src', command='python train.py --lr ${{inputs.lr}}', "
    "compute='gpu-cluster', environment='azureml:team-env@latest',\n"
    "              timeout=2592000,\n"
    "              shm_size='2g',\n"
    "              inputs={'lr': 0.01})\n"
    "hd = src(lr=Uniform(min_value=0.001, max_value=0.1)).sweep(\n"
    "    compute='gpu-cluster',\n"
    "    sampling_algorithm='random',\n"
    "    primary_metric='accuracy',\n"
    "    goal='Maximize',\n"
    ")\n"
    "hd.set_limits(max_total_trials=8, timeout=604800)\n"
)
_REGISTERED_REFERENCE = _CAST_REFERENCE + "src.run_config.data_references.update({data.data_reference_name: data.to_config()})\n"

RULES: tuple[Rule, ...] = (
    Rule(
        code="AML101",
        pylint_id="W9101",
        symbol="deprecated-estimator",
        summary="deprecated estimator constructed",
        message="{cls} is deprecated since azureml-sdk 1.19.0: {advice}",
        fixes=("safe", "unsafe", "manual"),
        since="1.19.0",
        flags=(
            "A call constructing `Estimator`, `PyTorch`, `TensorFlow`, `Chainer`, `SKLearn`, "
            "`ReinforcementLearningEstimator` or another estimator class an SDK package ships "
            "(`azureml.contrib.gbdt.LightGBM`), through any import path, alias, module-qualified call, or a "
            "class of yours that subclasses one of them."
        ),
        why=(
            "Estimators are deprecated since azureml-sdk 1.19.0. `ScriptRunConfig` with an explicit "
            "`Environment` is the supported way to configure a training run; the estimator hides the "
            "environment it builds, so the job's packages and image change silently between SDK releases."
        ),
        example=(
            "from azureml.core import Experiment, Workspace\n"
            "from azureml.train.dnn import PyTorch\n"
            "\n"
            "ws = Workspace.from_config()\n"
            "est = PyTorch(source_directory='src', entry_script='train.py',\n"
            "              script_params={'--epochs': 10}, compute_target='gpu-cluster',\n"
            "              framework_version='1.6', use_gpu=True)\n"
            "Experiment(ws, 'demo').submit(est)\n"
        ),
        fixed_example=(
            "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
            "\n"
            "ws = Workspace.from_config()\n"
            "est_env = Environment.get(ws, 'AzureML-PyTorch-1.6-GPU')\n"
            "est = ScriptRunConfig(source_directory='src', script='train.py',\n"
            "                      arguments=['--epochs', 10], compute_target='gpu-cluster',\n"
            "                      environment=est_env)\n"
            "Experiment(ws, 'demo').submit(est)\n"
        ),
    ),
    Rule(
        code="AML102",
        pylint_id="W9102",
        symbol="deprecated-estimator-import",
        summary="import of a deprecated estimator module or class",
        message="deprecated import of {what}: {replacement}",
        fixes=("safe",),
        since="1.19.0",
        flags=(
            "An import of the estimator classes or their modules (`azureml.train.estimator`, "
            "`azureml.train.dnn`, `azureml.train.sklearn`, `azureml.contrib.train.rl`), or of "
            "`EstimatorStep`. An import used only in a type annotation is still flagged. An old import "
            "inside `try: <new API> except ImportError:` is a compatibility shim and is not flagged."
        ),
        why=(
            "The modules stay importable only for backwards compatibility; importing them keeps a "
            "dependency on code that no longer receives fixes (and `azureml.train.hyperdrive` no longer "
            "imports them for you since azureml-train-core 1.62)."
        ),
        example="from azureml.train.estimator import Estimator\n",
        fixed_example="from azureml.core import ScriptRunConfig\n",
    ),
    Rule(
        code="AML103",
        pylint_id="W9103",
        symbol="deprecated-distributed-backend",
        summary="deprecated distributed-training object or backend string",
        message="{what} is deprecated: use {replacement} as ScriptRunConfig(distributed_job_config=...)",
        fixes=("safe", "manual"),
        since="1.19.0",
        flags=(
            "A call to `Mpi()`, `Gloo()`, `Nccl()` or `ParameterServer()` from `azureml.train.dnn` / "
            "`azureml.train.estimator`, and the `distributed_backend=` keyword of an estimator."
        ),
        why=(
            "These objects only work with estimators. `MpiConfiguration`, `PyTorchConfiguration` and "
            "`TensorflowConfiguration` from `azureml.core.runconfig` are their supported replacements "
            "and go to `ScriptRunConfig(distributed_job_config=...)`."
        ),
        example=(
            "from azureml.train.dnn import Mpi\n"
            "\n"
            "distributed = Mpi(process_count_per_node=2)\n"
        ),
        fixed_example=(
            "from azureml.core.runconfig import MpiConfiguration\n"
            "\n"
            "distributed = MpiConfiguration(process_count_per_node=2)\n"
        ),
    ),
    Rule(
        code="AML104",
        pylint_id="W9104",
        symbol="hyperdrive-estimator",
        summary="HyperDriveConfig given an estimator",
        message="{cls}(estimator=...) is deprecated: pass a ScriptRunConfig as run_config=",
        fixes=("safe", "unsafe", "manual"),
        since="1.19.0",
        flags="`HyperDriveConfig(estimator=...)` (keyword or positional) and `HyperDriveRunConfig(estimator=...)`.",
        why=(
            "HyperDrive accepts a `ScriptRunConfig` through `run_config=`. Note that with `run_config=` "
            "HyperDrive no longer removes fixed arguments that the parameter space also sets, so the fix "
            "drops those from `arguments`."
        ),
        example=(
            "from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal\n"
            "\n"
            "hd = HyperDriveConfig(estimator=est, hyperparameter_sampling=sampling,\n"
            "                      primary_metric_name='accuracy',\n"
            "                      primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=8)\n"
        ),
        fixed_example=(
            "from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal\n"
            "\n"
            "hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling,\n"
            "                      primary_metric_name='accuracy',\n"
            "                      primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=8)\n"
        ),
    ),
    Rule(
        code="AML105",
        pylint_id="W9105",
        symbol="deprecated-estimator-step",
        summary="EstimatorStep in a pipeline",
        message="EstimatorStep is deprecated: use CommandStep, or PythonScriptStep(runconfig=src.run_config)",
        fixes=("safe", "manual"),
        since="1.19.0",
        flags="A call constructing `azureml.pipeline.steps.EstimatorStep`.",
        why=(
            "`EstimatorStep` wraps a deprecated estimator and mutates it; the SDK recommends `CommandStep`, "
            "and `PythonScriptStep` with the run configuration of a `ScriptRunConfig` is its exact equivalent."
        ),
        example=(
            "from azureml.pipeline.steps import EstimatorStep\n"
            "\n"
            "step = EstimatorStep(name='train', estimator=est, estimator_entry_script_arguments=['--lr', 0.1],\n"
            "                     compute_target=cluster)\n"
        ),
        fixed_example=(
            "from azureml.pipeline.steps import PythonScriptStep\n"
            "\n"
            "step = PythonScriptStep(name='train', script_name=src.script, arguments=['--lr', 0.1],\n"
            "                        compute_target=cluster, runconfig=src.run_config,\n"
            "                        source_directory=src.source_directory)\n"
        ),
    ),
    Rule(
        code="AML201",
        pylint_id="W9111",
        symbol="explicit-runconfiguration",
        summary="RunConfiguration built by hand for a job",
        message="RunConfiguration built for a job: pass its settings to ScriptRunConfig({keywords}) instead",
        fixes=("safe", "manual"),
        since="1.15.0",
        flags=(
            "`RunConfiguration(...)` built and used as a job's configuration: passed to "
            "`ScriptRunConfig(run_config=)`, submitted, or configured and then never used; also when a "
            "function of the module returns it to, or is given it by, code that does so (followed through "
            "two function calls). Not flagged when it only feeds pipeline steps "
            "(`PythonScriptStep(runconfig=...)` and friends), where it is still the supported API, or when it "
            "goes somewhere the analysis cannot follow."
        ),
        why=(
            "`ScriptRunConfig` ignores its own `compute_target`, `environment`, `distributed_job_config`, "
            "`max_run_duration_seconds` and `docker_runtime_config` arguments when `run_config=` is given; "
            "passing the settings as keywords keeps one source of truth (`src.run_config` stays reachable)."
        ),
        example=(
            "from azureml.core import ScriptRunConfig\n"
            "from azureml.core.runconfig import RunConfiguration\n"
            "\n"
            "rc = RunConfiguration()\n"
            "rc.target = 'cpu-cluster'\n"
            "rc.environment = env\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', run_config=rc)\n"
        ),
        fixed_example=(
            "from azureml.core import ScriptRunConfig\n"
            "\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster',\n"
            "                      environment=env)\n"
        ),
    ),
    Rule(
        code="AML301",
        pylint_id="W9121",
        symbol="uncast-datareference",
        summary="DataReference or Datastore passed as an argument without str()",
        message="{what} {name} passed in {where} without str(): use {replacement}",
        fixes=("safe",),
        since="1.15.0",
        flags=(
            "A DataReference (`datastore.path(...).as_mount()/as_download()/as_upload()`, "
            "`datastore.as_mount()`, `DataReference(...)`, the return of `datastore.upload(...)`) or a "
            "Datastore itself (`ws.get_default_datastore()`, `Datastore.get(...)`, `ws.datastores[...]`), "
            "directly or through a variable, as a value in `ScriptRunConfig(arguments=[...])` or an "
            "estimator's `script_params`, not wrapped in `str()`. Datasets (`dataset.as_mount()`, "
            "`dataset.as_named_input(...)`) are not DataReferences and are never flagged."
        ),
        why=(
            "Estimators converted DataReferences in `script_params` for you, and mounted a Datastore at its "
            "root; `ScriptRunConfig` does neither, so the object itself would be serialised into the "
            "command line and nothing mounted. `str(ref)` gives the `$AZUREML_DATAREFERENCE_<name>` "
            "placeholder the service substitutes with the mount path (`str(datastore.as_mount())` for a "
            "datastore's root)."
        ),
        example=(
            "from azureml.core import ScriptRunConfig\n"
            "\n"
            "data = ws.get_default_datastore().path('mnist').as_mount()\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', arguments=['--data', data],\n"
            "                      environment=env)\n"
        ),
        fixed_example=_REGISTERED_REFERENCE,
    ),
    Rule(
        code="AML302",
        pylint_id="W9122",
        symbol="unregistered-datareference",
        summary="DataReference argument not registered in run_config.data_references",
        message=(
            "{what} {name} is used in ScriptRunConfig arguments but {config}.run_config.data_references "
            "is never set: the data will not be mounted"
        ),
        fixes=("safe", "manual"),
        since="1.15.0",
        flags=(
            "A DataReference used in a `ScriptRunConfig`'s arguments (cast with `str()` or not) while "
            "nothing sets that configuration's `run_config.data_references`."
        ),
        why=(
            "Only references registered in `run_config.data_references` are mounted on the compute; an "
            "unregistered `$AZUREML_DATAREFERENCE_<name>` reaches the script as a literal string."
        ),
        example=_CAST_REFERENCE,
        fixed_example=_REGISTERED_REFERENCE,
    ),
    Rule(
        code="AML401",
        pylint_id="W9131",
        symbol="missing-environment",
        summary="ScriptRunConfig without an environment",
        message="ScriptRunConfig has no environment: the job silently runs in the default CPU image; pass environment=",
        fixes=("manual",),
        since="1.15.0",
        flags=(
            "`ScriptRunConfig(...)` with no `environment=`, no `run_config=` that carries one, and no later "
            "`src.run_config.environment = ...` in the same scope."
        ),
        why=(
            "Without an environment the run uses `default-environment`: the default CPU base image with "
            "only `azureml-defaults`, whatever packages the script needs."
        ),
        example=(
            "from azureml.core import ScriptRunConfig\n"
            "\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster')\n"
        ),
        fixed_example=(
            "from azureml.core import Environment, ScriptRunConfig\n"
            "\n"
            "env = Environment.from_conda_specification('train-env', 'src/environment.yml')\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster',\n"
            "                      environment=env)\n"
        ),
    ),
    Rule(
        code="AML501",
        pylint_id="W9141",
        symbol="sdk-too-old-for-scriptrunconfig",
        summary="azureml SDK pinned below 1.15.0",
        message="{package} is pinned to {spec}: ScriptRunConfig migration needs azureml-sdk >= 1.15.0",
        fixes=(),
        since="1.15.0",
        flags=(
            "A requirement on `azureml-sdk` or `azureml-core` that allows no version at or above 1.15.0, in "
            "requirements files, `setup.cfg`, `setup.py`, `pyproject.toml` or conda YAML files "
            "(command line only: flake8 and pylint do not read these files)."
        ),
        why="`ScriptRunConfig(environment=..., distributed_job_config=...)` exists from azureml-sdk 1.15.0 on.",
        example="azureml-sdk==1.0.83\n",
        fixed_example="azureml-sdk>=1.15.0\n",
        scope="requirements",
    ),
    Rule(
        code="AML601",
        pylint_id="W9151",
        symbol="v1-workspace",
        summary="SDK v1 Workspace (SDK v2: MLClient)",
        message="{what} is SDK v1: use {replacement} (azure.ai.ml)",
        fixes=("safe", "manual"),
        since=_V1,
        flags=(
            "`Workspace.from_config()`, `Workspace.get(...)` and `Workspace(...)` from `azureml.core`."
        ),
        why=_END_OF_V1 + " `MLClient` is the SDK v2 handle on a workspace: jobs, data and environments go through it.",
        example=(
            "from azureml.core import Workspace\n"
            "\n"
            "ws = Workspace.from_config()\n"
        ),
        fixed_example=(
            "from azure.ai.ml import MLClient\n"
            "from azure.identity import DefaultAzureCredential\n"
            "\n"
            "ws = MLClient.from_config(DefaultAzureCredential())\n"
        ),
        opt_in=True,
    ),
    Rule(
        code="AML602",
        pylint_id="W9152",
        symbol="v1-script-run-config",
        summary="SDK v1 ScriptRunConfig job (SDK v2: command)",
        message="ScriptRunConfig is SDK v1: use azure.ai.ml.command(code=..., command=..., environment=..., compute=...)",
        fixes=("safe", "unsafe", "manual"),
        since=_V1,
        flags="A call constructing `azureml.core.ScriptRunConfig`.",
        why=_END_OF_V1 + (" A v2 command job takes the source folder as `code`, the script and its arguments as "
                          "one `command` line (data inputs as `${{inputs.NAME}}`), and the environment, compute, "
                          "distribution and limits as parameters."),
        example=(
            "from azureml.core import Environment, ScriptRunConfig, Workspace\n"
            "\n"
            "ws = Workspace.from_config()\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', arguments=['--lr', 0.1],\n"
            "                      compute_target='cpu-cluster', environment=Environment.get(ws, 'team-env'))\n"
        ),
        fixed_example=_FIXED_602,
        opt_in=True,
    ),
    Rule(
        code="AML603",
        pylint_id="W9153",
        symbol="v1-run-configuration",
        summary="SDK v1 RunConfiguration for a job (SDK v2: command parameters)",
        message="RunConfiguration for a job is SDK v1: pass its settings as azure.ai.ml.command({keywords}) parameters",
        fixes=("safe", "unsafe", "manual"),
        since=_V1,
        flags=(
            "`RunConfiguration(...)` built for a job, as AML201 finds it (passed to `ScriptRunConfig(run_config=)`, "
            "submitted, or configured and then never used)."
        ),
        why=_END_OF_V1 + " A v2 command job has no separate run configuration: its settings are the job's parameters.",
        example=(
            "from azureml.core import ScriptRunConfig\n"
            "from azureml.core.runconfig import RunConfiguration\n"
            "\n"
            "rc = RunConfiguration()\n"
            "rc.target = 'cpu-cluster'\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', run_config=rc)\n"
        ),
        fixed_example=(
            "from azure.ai.ml import command\n"
            "\n"
            "src = command(code='src', command='python train.py', compute='cpu-cluster')\n"
        ),
        opt_in=True,
    ),
    Rule(
        code="AML604",
        pylint_id="W9154",
        symbol="v1-experiment-submit",
        summary="SDK v1 Experiment.submit of a job (SDK v2: ml_client.jobs.create_or_update)",
        message="Experiment.submit is SDK v1: use {client}.jobs.create_or_update(job, experiment_name=...)",
        fixes=("safe", "manual"),
        since=_V1,
        flags=(
            "`experiment.submit(config)` where the experiment is an `azureml.core.Experiment` and the "
            "configuration a `ScriptRunConfig`, `RunConfiguration`, `HyperDriveConfig` or estimator. Its run "
            "handle's `wait_for_completion()` and `get_portal_url()` are migrated with it."
        ),
        why=_END_OF_V1 + (" SDK v2 submits jobs through `MLClient.jobs`; `jobs.stream(name)` follows a run as "
                          "`wait_for_completion(show_output=True)` did, and the job's `studio_url` is its portal link."),
        example=(
            "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
            "\n"
            "ws = Workspace.from_config()\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster',\n"
            "                      environment=Environment.get(ws, 'team-env'))\n"
            "run = Experiment(ws, 'demo').submit(src)\n"
            "run.wait_for_completion(show_output=True)\n"
        ),
        fixed_example=_FIXED_604,
        opt_in=True,
    ),
    Rule(
        code="AML605",
        pylint_id="W9155",
        symbol="v1-environment",
        summary="SDK v1 Environment for a job (SDK v2: azure.ai.ml.entities.Environment)",
        message="azureml.core.Environment is SDK v1: use {replacement}",
        fixes=("safe", "unsafe", "manual"),
        since=_V1,
        flags=(
            "`Environment(...)`, `Environment.get(...)`, `Environment.from_conda_specification(...)`, "
            "`Environment.from_pip_requirements(...)` and `Environment.from_docker_image(...)` from "
            "`azureml.core` when the environment reaches a job (`ScriptRunConfig(environment=)`, "
            "`run_config.environment = ...`, an estimator's `environment_definition=`)."
        ),
        why=_END_OF_V1 + (" A v2 environment is an image plus an optional conda specification "
                          "(`Environment(image=..., conda_file=...)`) or a registered or curated environment named "
                          "`azureml:NAME@latest`; v2 environments have no environment variables (the job carries "
                          "them)."),
        example=(
            "from azureml.core import Environment, ScriptRunConfig\n"
            "\n"
            "env = Environment.from_conda_specification('train-env', 'environment.yml')\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', environment=env)\n"
        ),
        fixed_example=(
            "from azure.ai.ml.entities import Environment\n"
            "\n"
            "env = Environment(image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',\n"
            "                  conda_file='environment.yml')\n"
        ),
        opt_in=True,
    ),
    Rule(
        code="AML606",
        pylint_id="W9156",
        symbol="v1-hyperdrive",
        summary="SDK v1 HyperDriveConfig (SDK v2: command(...).sweep(...))",
        message="{cls} is SDK v1: use the command job's .sweep(...) (azure.ai.ml.sweep) with set_limits(...)",
        fixes=("safe", "manual"),
        since=_V1,
        flags=(
            "`HyperDriveConfig(...)` and `HyperDriveRunConfig(...)` from `azureml.train.hyperdrive`."
        ),
        why=_END_OF_V1 + (" In SDK v2 a sweep is a command job called with search-space distributions for its "
                          "inputs (`job(lr=Uniform(...)).sweep(sampling_algorithm=..., primary_metric=..., goal=..., "
                          "early_termination_policy=...)`), its budget set with `set_limits`."),
        example=(
            "from azureml.core import Environment, ScriptRunConfig\n"
            "from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling, "
            "uniform\n"
            "\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', arguments=['--lr', 0.01],\n"
            "                      compute_target='gpu-cluster', environment=Environment.get(None, 'team-env'))\n"
            "hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({'--lr': "
            "uniform(0.001, 0.1)}),\n"
            "                      primary_metric_name='accuracy', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,\n"
            "                      max_total_runs=8)\n"
        ),
        fixed_example=_FIXED_606,
        opt_in=True,
    ),
    Rule(
        code="AML607",
        pylint_id="W9157",
        symbol="v1-pipeline-step",
        summary="SDK v1 pipeline step (SDK v2: @dsl.pipeline of command components)",
        message="{cls} is an SDK v1 pipeline step: build the pipeline with @dsl.pipeline from command components "
                "(azure.ai.ml.dsl)",
        fixes=("manual",),
        since=_V1,
        flags=(
            "A call constructing a step of `azureml.pipeline.steps` (`PythonScriptStep`, `EstimatorStep`, "
            "`CommandStep`, `MpiStep`, `HyperDriveStep`, ...)."
        ),
        why=_END_OF_V1 + (" SDK v2 pipelines are functions decorated with `@dsl.pipeline` that call command "
                          "components; the step graph, its data bindings and reuse settings are rewritten by hand."),
        example=(
            "from azureml.pipeline.steps import PythonScriptStep\n"
            "\n"
            "step = PythonScriptStep(name='train', script_name='train.py', source_directory='src',\n"
            "                        compute_target='cpu-cluster')\n"
        ),
        fixed_example=(
            "from azure.ai.ml import command, dsl\n"
            "\n"
            "train = command(code='src', command='python train.py', environment=env)\n"
            "\n"
            "\n"
            "@dsl.pipeline(compute='cpu-cluster')\n"
            "def training():\n"
            "    train()\n"
        ),
        opt_in=True,
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_SYMBOL: dict[str, Rule] = {rule.symbol: rule for rule in RULES}
CODE_PREFIX = "AML"


def select_codes(select: list[str] | None, ignore: list[str] | None, *, extend: list[str] | None = None,
                 opt_in: bool = False) -> frozenset[str]:
    """Codes enabled by flake8-style prefix lists (``AML1`` selects AML101..AML105).

    Opt-in rules are on when ``opt_in`` says so (the target is SDK v2) or a prefix of ``select`` or
    ``extend`` names them: their family (``AML6``) or themselves; ``AML``, every rule, leaves them off."""

    def matches(rule: Rule, prefixes: list[str] | None) -> bool:
        return any(rule.code.startswith(prefix) and (not rule.opt_in or names_opt_in(prefix))
                   for prefix in prefixes or ())

    def chosen(rule: Rule) -> bool:
        if matches(rule, extend) or (select is not None and matches(rule, select)):
            return True
        return select is None and (opt_in or not rule.opt_in)

    ignored = tuple(ignore or ())
    return frozenset(rule.code for rule in RULES if chosen(rule) and not rule.code.startswith(ignored))


def names_opt_in(prefix: str) -> bool:
    """A prefix that names opt-in rules on purpose: their family or one of them, not all of AML."""
    return len(prefix) > len(CODE_PREFIX) and any(code.startswith(prefix) for code in OPT_IN_CODES)


# What runs when nothing is selected: every rule but the opt-in ones.
DEFAULT_CODES: frozenset[str] = frozenset(rule.code for rule in RULES if not rule.opt_in)
OPT_IN_CODES: frozenset[str] = frozenset(rule.code for rule in RULES if rule.opt_in)


def unknown_codes(prefixes: list[str]) -> list[str]:
    """Prefixes that select no rule at all: a typo the user should hear about."""
    return [p for p in prefixes if not any(r.code.startswith(p) for r in RULES)]
