"""The package model (lint_plugin/dryrun/packages.py) against the real SDK's CondaDependencies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from needs import require_module

from lint_plugin.dryrun.packages import (
    CondaSpec,
    PackageError,
    installable,
    package_name,
)

CondaDependencies = require_module("azureml.core.conda_dependencies").CondaDependencies

pytestmark = pytest.mark.sdk

# Names collide on purpose (same project, other version, extras, a wheel URL); none is an azureml-*
# package or one character long, so the SDK's version pinning of its own packages never applies.
_NAMES = ["torch", "numpy", "tensorflow-gpu", "pandas"]
_PIP = st.builds(
    lambda name, spec: name + spec,
    st.sampled_from(_NAMES),
    st.sampled_from(["", "==1.0", "==1.13.1", ">=2", "[extra]==3", "~=4.1", " >=5"]),
) | st.sampled_from(["https://example.org/w/torch-1.0-py3-none-any.whl", "azureml-defaults"])
_CONDA = st.sampled_from(["numpy", "numpy=1.2", "mkl", "pip", "python=3.9", "python=3.8.13", "scipy"])
_PYTHON = st.sampled_from(["3.8", "3.9.1", "3.10.18", "3.8.13"])
_OPS = st.one_of(
    st.tuples(st.just("add_pip_package"), _PIP),
    st.tuples(st.just("remove_pip_package"), _PIP),
    st.tuples(st.just("add_conda_package"), _CONDA),
    st.tuples(st.just("remove_conda_package"), _CONDA),
    st.tuples(st.just("set_pip_requirements"), st.lists(_PIP, max_size=4)),
    st.tuples(st.just("set_python_version"), _PYTHON),
)
_START = st.one_of(
    st.just(None),
    st.tuples(_PYTHON, st.none() | st.lists(_CONDA, max_size=3), st.none() | st.lists(_PIP, max_size=4)),
)


def _apply(target, op: str, value):
    try:
        getattr(target, op)(value)
        return None
    except Exception as exc:  # the SDK's UserErrorException or the model's PackageError
        return type(exc).__name__ != "AssertionError"


@settings(max_examples=300, deadline=None)
@given(_START, st.lists(_OPS, max_size=8))
def test_the_model_ends_where_the_sdk_ends(start, ops) -> None:
    if start is None:
        sdk, model = CondaDependencies(), CondaSpec.fresh()
    else:
        python, conda, pip = start
        try:
            sdk = CondaDependencies.create(python_version=python, conda_packages=conda, pip_packages=pip)
        except Exception:  # e.g. conda_packages naming the python it would have to remove
            with pytest.raises(PackageError):
                CondaSpec.create(python_version=python, conda_packages=conda, pip_packages=pip)
            return
        model = CondaSpec.create(python_version=python, conda_packages=conda, pip_packages=pip)
    assert (list(sdk.conda_packages), list(sdk.pip_packages)) == (model.conda_packages, model.pip_packages)
    for op, value in ops:
        assert _apply(sdk, op, list(value) if isinstance(value, list) else value) == _apply(model, op, value)
        assert (list(sdk.conda_packages), list(sdk.pip_packages)) == (
            model.conda_packages,
            model.pip_packages,
        ), (op, value)


def test_the_issue_case_one_tensorflow_survives() -> None:
    spec = CondaSpec.create(pip_packages=["azureml-defaults", "tensorflow-gpu==1.13.1", "horovod==0.16.1"])
    spec.add_pip_package("tensorflow-gpu==1.8.0")
    assert spec.pip_packages == ["azureml-defaults", "horovod==0.16.1", "tensorflow-gpu==1.8.0"]


def test_names_options_and_requirement_lines() -> None:
    assert [package_name(p) for p in ["torch==1.6", "a[x]>=1", "https://h/p/torch-1.0-py3-none-any.whl"]] == [
        "torch", "a", "torch"]
    assert installable(["numpy==1.26  # pinned", "", "# c", "-r other.txt", "--index-url x", "scipy"]) == (
        ["numpy==1.26", "scipy"], ["-r other.txt", "--index-url x"])
    with pytest.raises(PackageError):
        CondaSpec.fresh().add_pip_package("--pre")
    with pytest.raises(PackageError):
        CondaSpec.fresh().remove_conda_package("python=3.8.13")
