"""``lint_plugin/sdk/estimators.py`` lists every estimator class the SDK ships, and the tools use it.

With the SDK installed (required under ``CI=true``), ``scripts/sdk_estimator_classes.py --check``
compares the list with the SDK's own class tree; the comparison itself is tested on made-up trees.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from needs import unavailable

from lint_plugin.fix import fix_source
from lint_plugin.fix.estimator import KEYWORDS
from lint_plugin.sdk.estimators import BY_NAME, ESTIMATOR_CLASSES, EstimatorClass
from lint_plugin.sdk.names import BY_PATH, Kind

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "sdk_estimator_classes.py"
FIXTURE = ROOT / "tests" / "fixtures" / "check" / "lightgbm_contrib_estimator.py"
# What must be installed for the check to see every listed class (scripts/test installs them).
SDK_MODULES = ("azureml.train.estimator", "azureml.contrib.gbdt", "azureml.contrib.train.rl")


def _script():
    spec = importlib.util.spec_from_file_location("sdk_estimator_classes", SCRIPT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_every_listed_class_is_an_estimator_under_each_of_its_paths() -> None:
    for cls in ESTIMATOR_CLASSES:
        assert cls.paths and all(path.endswith("." + cls.name) for path in cls.paths)
        assert all(BY_PATH[path].kind is Kind.ESTIMATOR and BY_PATH[path].name == cls.name for path in cls.paths)
    assert {path for path, sdk in BY_PATH.items() if sdk.kind is Kind.ESTIMATOR} == \
        {path for cls in ESTIMATOR_CLASSES for path in cls.paths}


def test_each_estimator_has_a_rewrite_or_a_reason_for_having_none() -> None:
    assert {cls.name for cls in ESTIMATOR_CLASSES if cls.no_rewrite is None} == set(KEYWORDS)


def test_lightgbm_is_left_manual_with_its_reason_and_untouched() -> None:
    source = FIXTURE.read_text(encoding="utf-8")
    result = fix_source(source, env_style="exact")
    manual = [item for item in result.manual if item.code == "AML101"]
    assert [item.line for item in manual] == [27, 41]
    assert {item.reason for item in manual} == {BY_NAME["LightGBM"].no_rewrite}
    assert "lgbm = LightGBM(source_directory=scripts_folder," in result.source
    assert "gbdt.LightGBM(scripts_folder" in result.source


def test_the_comparison_finds_a_missing_or_changed_class_and_what_it_could_not_check() -> None:
    script = _script()
    live = [EstimatorClass("LightGBM", "azureml-contrib-gbdt", "_FrameworkBaseEstimator",
                           ("azureml.contrib.gbdt.LightGBM",)),
            EstimatorClass("Estimator", "azureml-train-core", "MMLBaseEstimator",
                           ("azureml.train.estimator.Estimator", "azureml.train.estimator._estimator.Estimator"))]
    data = (EstimatorClass("Estimator", "azureml-train-core", "MMLBaseEstimator",
                           ("azureml.train.estimator.Estimator",)),
            EstimatorClass("SKLearn", "azureml-train-core", "_FrameworkBaseEstimator", ("azureml.train.sklearn.SKLearn",)))
    problems = script.differences(live, data)
    assert [problem.split(":")[0] for problem in problems] == ["missing", "changed"]
    assert "LightGBM" in problems[0] and "_estimator.Estimator" in problems[1]
    assert script.unchecked(live, data) == ["SKLearn (azureml-train-core)"]
    assert script.differences(live, tuple(live)) == []


@pytest.mark.sdk
def test_the_list_matches_the_installed_sdks_class_tree() -> None:
    missing = [name for name in SDK_MODULES if _not_importable(name)]
    if missing:
        unavailable(f"not installed: {', '.join(missing)} (scripts/test installs them)")
    checked = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.endswith(f"{len(ESTIMATOR_CLASSES)} estimator classes installed; the data is up to date\n")
    assert "not installed, so not checked" not in checked.stderr


def _not_importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is None
    except ImportError:
        return True
