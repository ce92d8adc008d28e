"""The SDK v1 facts stage 2 writes out are the installed SDK's: its conda template and defaults, the
default images, and what its ``CondaDependencies`` methods do to a specification (``sdk/conda.py``
replays them statically: compared with the real class on every sequence hypothesis draws)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needs import require_sdk
from lint_plugin.fix.v2.values import V1_CONSTANTS
from lint_plugin.sdk import conda as model
from lint_plugin.sdk import curated

require_sdk()

from azureml.core import Environment  # noqa: E402 - after the SDK check
from azureml.core import conda_dependencies as sdk  # noqa: E402


def _real(spec: sdk.CondaDependencies) -> dict:
    data = spec._conda_dependencies
    return {"name": data["name"], "channels": list(data["channels"]),
            "dependencies": [dict(d) if isinstance(d, dict) else d for d in data["dependencies"]]}


def _ours(spec: model.CondaSpec) -> dict:
    return {"name": spec.name, "channels": list(spec.channels),
            "dependencies": [{"pip": list(d["pip"])} if isinstance(d, dict) else d for d in spec.dependencies]}


def test_the_template_and_defaults_are_the_installed_sdks() -> None:
    assert _ours(model.CondaSpec.template()) == _real(Environment("x").python.conda_dependencies)
    assert model.PYTHON_DEFAULT_VERSION == sdk.PYTHON_DEFAULT_VERSION
    from azureml.core import runconfig

    for qualified, value in V1_CONSTANTS.items():
        assert getattr(runconfig, qualified.rpartition(".")[2]) == value


PACKAGES = st.sampled_from(["pandas", "pandas==1.5.3", "numpy", "numpy>=1.24", "torch==1.13.1", "scikit-learn",
                            "azureml-defaults", "pillow[extra]==9.0", "python=3.9", "pip"])
OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("add_pip_package"), PACKAGES),
    st.tuples(st.just("add_conda_package"), PACKAGES),
    st.tuples(st.just("remove_pip_package"), PACKAGES),
    st.tuples(st.just("set_python_version"), st.sampled_from(["3.8", "3.10.4"])),
    st.tuples(st.just("add_channel"), st.sampled_from(["pytorch", "conda-forge", "nvidia"])),
    st.tuples(st.just("set_pip_option"), st.sampled_from(["--extra-index-url https://a", "--pre"])),
    st.tuples(st.just("set_pip_requirements"), st.lists(PACKAGES, max_size=3)),
), max_size=8)


@settings(max_examples=150, deadline=None)
@given(OPERATIONS)
def test_every_sequence_of_conda_operations_ends_where_the_sdk_ends(operations: list) -> None:
    ours, real = model.CondaSpec.template(), Environment("x").python.conda_dependencies
    for method, argument in operations:
        expected = _attempt(lambda: getattr(real, method)(argument))
        got = _attempt(lambda: getattr(ours, method)(argument))
        if expected is not None:  # the SDK refuses (an option given as a package): ours need not agree
            return
        assert got is None, f"{method}({argument!r}) refused here only: {got}"
        assert _ours(ours) == _real(real), f"after {method}({argument!r})"


@pytest.mark.parametrize(("pip", "conda", "python"), [
    (["pandas", "scikit-learn==1.2"], None, "3.8"), (None, ["numpy"], None), ([], ["openmpi"], "3.10")])
def test_create_is_the_sdks_but_its_index_options(pip, conda, python, monkeypatch) -> None:
    monkeypatch.setattr(sdk.CondaDependencies, "sdk_origin_url", staticmethod(lambda: sdk.DEFAULT_SDK_ORIGIN))
    kwargs = {"pip_packages": pip, "conda_packages": conda, **({"python_version": python} if python else {})}
    assert _ours(model.CondaSpec.create(pip, conda, python)) == _real(sdk.CondaDependencies.create(**kwargs))


def test_the_curated_table_names_registry_environments_and_retired_ones_have_a_nearest() -> None:
    assert all(curated.is_curated(name) for name in curated.COUNTERPARTS)
    assert curated.reference("sklearn-1.5") == "azureml://registries/azureml/environments/sklearn-1.5/labels/latest"
    assert curated.nearest("AzureML-PyTorch-1.6-GPU") == "acpt-pytorch-2.2-cuda12.1"
    assert curated.nearest("AzureML-TensorFlow-2.3-GPU") == "tensorflow-2.16-cuda12"
    assert curated.nearest("AzureML-Chainer-5.1.0-GPU") is None
    assert curated.counterpart("AzureML-PyTorch-1.6-GPU") is None


def _attempt(action) -> str | None:
    try:
        action()
    except Exception as error:  # noqa: BLE001 - the refusal is what is compared
        return f"{type(error).__name__}: {error}"
    return None
