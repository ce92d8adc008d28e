"""Semantic equivalence with the real SDK (SDK_FACTS.md, intro): every estimator golden case is run
offline twice, as written and as fixed, and what each would send to the service is compared.

``exact`` style: equal after only the normalisations listed in :func:`normalise`, each with its reason.
``curated`` style: equal except the environment, which must be the documented curated one (with the
estimator's extra packages). A difference fails the test.
"""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from typing import Any
from unittest import mock

import pytest

from lint_plugin.fix import fix_source

from .golden_cases import GOLDEN

azureml_core = pytest.importorskip("azureml.core", reason="the azureml SDK (setup.cfg extra 'sdk') is not installed")
pytest.importorskip("azureml.train.estimator", reason="azureml-train-core is not installed")

pytestmark = pytest.mark.sdk

# Estimators that HyperDrive or an EstimatorStep consume are compared through what those send (the
# step mutates its estimator), in the tests at the end.
# The curated environment SDK_FACTS.md section 5 documents for each case (None: none documented, so
# curated style falls back to reproducing the estimator's environment), and the extra pip/conda
# packages the estimator had.
CURATED: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "est_estimator_basic": (None, ()),
    "est_filled_params": (None, ()),
    "est_estimator_gpu_vm_size": (None, ()),
    "est_datarefs": (None, ()),
    "est_chainer": (None, ()),
    "est_pytorch_environment_definition": (None, ()),
    "est_pytorch_mpi": ("AzureML-PyTorch-1.6-GPU", ("pillow==8.0.0", "torchvision==0.7.0")),
    "est_pytorch_gloo_backend": ("AzureML-PyTorch-1.5-CPU", ()),
    "est_pytorch_vm_size": ("AzureML-PyTorch-1.4-GPU", ()),
    "est_helper_function": ("AzureML-PyTorch-1.6-GPU", ()),
    "est_tensorflow_parameter_server": ("AzureML-TensorFlow-2.0-GPU", ("pandas",)),
    "est_tensorflow_ps_backend": ("AzureML-TensorFlow-1.13-CPU", ("cmake",)),
    "est_sklearn": ("AzureML-Scikit-learn-0.20.3", ("scikit-learn==0.22.2", "joblib")),
    "distributed_variable": ("AzureML-PyTorch-1.6-GPU", ()),
    "imports_module_qualified": (None, ()),
    "est_tensorflow_vm_size_with_target": ("AzureML-TensorFlow-2.2-GPU", ()),
}


def _offline_compute(workspace: Any = None, name: str = "cluster") -> Any:
    from azureml.core.compute import AmlCompute

    compute = object.__new__(AmlCompute)
    compute.name, compute.location, compute.vm_size = name, "westeurope", "STANDARD_NC6"
    compute.cluster_location = compute.location
    return compute


class _OfflineWorkspace:
    """What the golden cases ask of a Workspace, without a service."""

    def __init__(self) -> None:
        from azureml.data.azure_storage_datastore import AzureBlobDatastore

        self.datastore = AzureBlobDatastore(workspace=None, name="workspaceblobstore", container_name="c",
                                            account_name="a")
        self.datastores = {"workspaceblobstore": self.datastore}

    def get_default_datastore(self) -> Any:
        return self.datastore


class _OfflineExperiment:
    """Submitting is the service's business; the tests compare what would be submitted."""

    def __init__(self, workspace: Any, name: str) -> None:
        self.workspace, self.name = workspace, name

    def submit(self, config: Any, **overrides: Any) -> Any:
        return config


def _execute(source: str, requested: list[str]) -> dict[str, Any]:
    from azureml.core import Environment, Workspace
    import azureml.core
    import azureml.core.compute
    import azureml.pipeline.core

    def environment_get(workspace: Any, name: str, version: str | None = None) -> Environment:
        requested.append(name)
        return Environment(name)

    namespace: dict[str, Any] = {"__name__": "golden_case"}
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(Workspace, "from_config", staticmethod(lambda *a, **k: _OfflineWorkspace())))
        stack.enter_context(mock.patch.object(Environment, "get", staticmethod(environment_get)))
        stack.enter_context(mock.patch.object(azureml.core.compute, "ComputeTarget", _offline_compute))
        stack.enter_context(mock.patch.object(azureml.core, "Experiment", _OfflineExperiment))
        stack.enter_context(mock.patch.object(azureml.pipeline.core, "Pipeline", lambda **kw: kw))
        exec(compile(source, "<golden>", "exec"), namespace)  # noqa: S102 - our own golden files
    return namespace


def _wire(config: Any) -> dict[str, Any]:
    from azureml.core._serialization_utils import _serialize_to_dict
    from azureml.core.script_run_config import get_run_config_from_script_run

    if hasattr(config, "_get_script_run_config"):
        config = config._get_script_run_config()
    return json.loads(json.dumps(_serialize_to_dict(get_run_config_from_script_run(config)), default=str))


_SPELLING = {"Mpi": "IntelMpi", "Gloo": "gloo", "Nccl": "nccl"}
_FRAMEWORKS = {"python": "Python", "pytorch": "PyTorch", "tensorflow": "TensorFlow"}


def normalise(wire: dict[str, Any]) -> dict[str, Any]:
    """The only differences accepted between the estimator's and the rewrite's run configuration."""
    # Random names (SDK_FACTS.md intro and section 7): datastore.path() names references uuid4().hex;
    # each is renamed after what it points at, so two references cannot collapse into one.
    text = json.dumps(wire, sort_keys=True)
    for name, reference in wire["dataReferences"].items():
        if re.fullmatch(r"[0-9a-f]{32}", name):
            text = text.replace(name, f"<ref {reference['dataStoreName']}/{reference['pathOnDataStore']}>")
    text = re.sub(r"input__[0-9a-f]{8}", "input__<hex>", text)
    wire = json.loads(text)
    # The deprecated objects' spelling (section 6, "Comparing old and new distributed settings"):
    # Mpi() sends communicator 'Mpi' / framework 'python', Gloo() 'Gloo' / 'pytorch'; their
    # replacements send 'IntelMpi' / 'gloo' and 'Python' / 'PyTorch' for the same setting.
    wire["communicator"] = _SPELLING.get(wire["communicator"], wire["communicator"])
    wire["framework"] = _FRAMEWORKS.get(wire["framework"], wire["framework"])
    # Gloo()/Nccl() never fill the pytorch section (section 12.1), Mpi() leaves mpi.nodeCount at 1
    # (section 6 table): the communicator and the top-level nodeCount carry the setting.
    if wire["communicator"] in ("gloo", "nccl"):
        wire["pytorch"] = {"communicationBackend": wire["communicator"], "processCount": None,
                           "nodeCount": wire["nodeCount"]}
    if wire["communicator"] == "IntelMpi":
        wire["mpi"]["nodeCount"] = wire["nodeCount"]
    # clusterMaxNodeCount is only read for run-based 'amlcompute' targets (section 2, "(implicit)" row).
    if wire["target"] != "amlcompute":
        wire["amlcompute"]["clusterMaxNodeCount"] = None
    # No environment variables: the estimator sends null, RunConfiguration's default is {} (section 2).
    wire["environmentVariables"] = wire["environmentVariables"] or {}
    # The environment's name is a label: the estimator's was RunConfiguration's placeholder
    # 'default-environment', the rewrite names it after the variable.
    wire["environment"]["name"] = "<label>"
    return wire


def _pairs(case: str, style: str) -> tuple[list[tuple[str, dict[str, Any], dict[str, Any]]], list[str], Any]:
    from azureml.train.estimator import MMLBaseEstimator  # noqa: AML102 - what the old side builds

    source = (GOLDEN / f"{case}.py").read_text(encoding="utf-8")
    result = fix_source(source, env_style=style)
    assert result.changed and not result.manual, result.manual
    before = _execute(source, [])
    requested: list[str] = []
    after = _execute(result.source, requested)
    pairs = [(name, _wire(value), _wire(after[name])) for name, value in before.items()
             if isinstance(value, MMLBaseEstimator)]
    assert pairs, "the case builds no estimator at module level"
    return pairs, requested, result


@pytest.mark.parametrize("case", sorted(CURATED))
def test_exact_style_sends_what_the_estimator_sent(case: str) -> None:
    pairs, _, result = _pairs(case, "exact")
    for name, old, new in pairs:
        old, new = normalise(old), normalise(new)
        if any("prebuilt image" in change for fix in result.applied for change in fix.changes):
            # documented in the fix's behaviour changes: only the image differs
            old["environment"]["docker"], new["environment"]["docker"] = None, None
            old["environment"]["python"], new["environment"]["python"] = None, None
        if any("NCCL_TREE_THRESHOLD" in change for fix in result.applied for change in fix.changes):
            old["environment"]["environmentVariables"].pop("NCCL_TREE_THRESHOLD")
        assert new == old, name


@pytest.mark.parametrize("case", sorted(CURATED))
def test_curated_style_changes_only_the_environment(case: str) -> None:
    curated, extra = CURATED[case]
    pairs, requested, _ = _pairs(case, "curated")
    for name, old, new in pairs:
        environment = new.pop("environment")
        old.pop("environment")
        assert normalise_without_environment(new) == normalise_without_environment(old), name
        if curated is None:
            assert requested == []
            continue
        assert requested == [curated] * len(pairs)
        dependencies = environment["python"]["condaDependencies"]["dependencies"]
        pip = next((d["pip"] for d in dependencies if isinstance(d, dict)), [])
        assert all(package in pip or package in dependencies for package in extra)


def normalise_without_environment(wire: dict[str, Any]) -> dict[str, Any]:
    wire = dict(wire, environment={"name": None})
    return normalise(wire)


def _executed_pair(case: str, style: str = "exact") -> tuple[dict[str, Any], dict[str, Any]]:
    source = (GOLDEN / f"{case}.py").read_text(encoding="utf-8")
    return _execute(source, []), _execute(fix_source(source, env_style=style).source, [])


def _serialised(run_config: Any) -> dict[str, Any]:
    from azureml.core._serialization_utils import _serialize_to_dict

    return normalise(json.loads(json.dumps(_serialize_to_dict(run_config), default=str)))


def test_hyperdrive_trials_get_the_same_run_configuration() -> None:
    """What HyperDrive sends for its trials (``_get_platform_config_data_from_run_config``): the
    estimator path drops the fixed arguments the parameter space sets; the fix drops them itself."""
    from azureml.core.script_run_config import get_run_config_from_script_run
    from azureml.train.hyperdrive import HyperDriveConfig

    old, new = _executed_pair("hyperdrive_pipeline")
    old_hd, new_hd = old["hd"], new["hd"]
    assert old_hd.estimator is not None and new_hd.estimator is None and new_hd.run_config is not None
    sent_old = HyperDriveConfig._remove_duplicate_arguments(
        get_run_config_from_script_run(old_hd.estimator._get_script_run_config()), old_hd._generator_config, True)
    sent_new = HyperDriveConfig._remove_duplicate_arguments(
        get_run_config_from_script_run(new_hd.run_config), new_hd._generator_config, False)
    assert _serialised(sent_new) == _serialised(sent_old)
    assert new_hd._generator_config == old_hd._generator_config


def test_estimator_step_and_its_python_script_step_run_the_same() -> None:
    old, new = _executed_pair("hyperdrive_pipeline")
    old_step, new_step = old["step"], new["step"]
    assert type(new_step).__name__ == "PythonScriptStep"
    fields = ("name", "_script_name", "_source_directory", "_arguments", "_compute_target", "_allow_reuse",
              "_version", "_inputs", "_outputs", "_params", "_runconfig_pipeline_params", "_amlcompute_params")
    assert {f: getattr(new_step, f) for f in fields} == {f: getattr(old_step, f) for f in fields}
    old_rc, new_rc = _serialised(old_step._runconfig), _serialised(new_step._runconfig)
    # The step sends its script and compute target as its own parameters (``script_name``,
    # ``compute_target``: compared above); EstimatorStep blanked the run config's copies of them
    # (SDK_FACTS.md section 10), a ScriptRunConfig's run config keeps them.
    assert (old_rc.pop("script"), old_rc.pop("target")) == ("score.py", None)
    assert (new_rc.pop("script"), new_rc.pop("target")) == (None, "gpu-cluster")
    assert new_rc == old_rc


@pytest.mark.parametrize("case", ["runconfig_fold", "runconfig_and_hints"])
def test_folded_run_configuration_sends_the_same(case: str) -> None:
    from azureml.core import ScriptRunConfig

    old, new = _executed_pair(case)
    configs = [name for name, value in old.items() if isinstance(value, ScriptRunConfig)]
    assert configs
    for name in configs:
        assert _wire(new[name]) == _wire(old[name]), name


@pytest.mark.parametrize("style", ["exact", "curated"])
def test_notebook_estimator_sends_the_same(style: str) -> None:
    """The notebook case run cell after cell (magics masked as the checker masks them)."""
    from azureml.train.estimator import MMLBaseEstimator  # noqa: AML102 - what the old side builds

    from lint_plugin.fix import fix_notebook
    from lint_plugin.notebooks import read_notebook, virtual_module

    text = (GOLDEN / "nb_inputs_from_earlier_cells.ipynb").read_text(encoding="utf-8")
    fixed = fix_notebook(text, env_style=style)
    requested: list[str] = []
    old = _execute(virtual_module(read_notebook(text)).source, [])
    new = _execute(virtual_module(read_notebook(fixed.source)).source, requested)
    assert isinstance(old["est"], MMLBaseEstimator)
    before, after = normalise(_wire(old["est"])), normalise(_wire(new["est"]))
    if style == "curated":
        assert requested == ["AzureML-PyTorch-1.6-GPU"]
        before.pop("environment"), after.pop("environment")
    else:
        # string compute target, no user packages: the scenario's full build, NCCL variable included
        assert requested == []
    assert after == before
