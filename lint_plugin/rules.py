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

    def format(self, **fields: str) -> str:
        return self.message.format(**fields)


# The DataReference examples of AML301 and AML302 end in the same migrated code.
_CAST_REFERENCE = (
            "from azureml.core import ScriptRunConfig\n"
            "\n"
            "data = ws.get_default_datastore().path('mnist').as_mount()\n"
            "src = ScriptRunConfig(source_directory='src', script='train.py', arguments=['--data', str(data)],\n"
            "                      environment=env)\n"
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
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_SYMBOL: dict[str, Rule] = {rule.symbol: rule for rule in RULES}
CODE_PREFIX = "AML"


def select_codes(select: list[str] | None, ignore: list[str] | None) -> frozenset[str]:
    """Codes enabled by flake8-style prefix lists (``AML1`` selects AML101..AML105)."""

    def matches(code: str, prefixes: list[str]) -> bool:
        return any(code.startswith(prefix) for prefix in prefixes)

    chosen = [r.code for r in RULES if select is None or matches(r.code, select)]
    return frozenset(code for code in chosen if not (ignore and matches(code, ignore)))


def unknown_codes(prefixes: list[str]) -> list[str]:
    """Prefixes that select no rule at all: a typo the user should hear about."""
    return [p for p in prefixes if not any(r.code.startswith(p) for r in RULES)]
