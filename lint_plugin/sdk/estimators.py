"""Every estimator class Azure ML SDK v1 ships, as plain data.

The SDK's estimators form two class trees: ``MMLBaseEstimator`` (azureml-train-core; ``Estimator``
and, through ``_FrameworkBaseEstimator``, the framework estimators, including ``LightGBM`` of
azureml-contrib-gbdt) and ``_RLBaseEstimator`` (azureml-contrib-reinforcementlearning). Each class is
listed with the package that ships it and every path it can be imported from: its own module and the
packages above it that re-export it (public path first). ``scripts/sdk_estimator_classes.py``
regenerates this list from an installed SDK and ``tests/test_sdk_estimators.py`` checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

# The roots of the SDK's estimator class trees; users construct their subclasses, not these.
ESTIMATOR_BASES: tuple[str, ...] = (
    "azureml.train.estimator._mml_base_estimator.MMLBaseEstimator",
    "azureml.train.estimator._framework_base_estimator._FrameworkBaseEstimator",
    "azureml.contrib.train.rl._rl_base_estimator._RLBaseEstimator",
)


@dataclass(frozen=True)
class EstimatorClass:
    name: str
    distribution: str  # the PyPI package that ships the class
    base: str  # the SDK base class it derives from (last part of one of ESTIMATOR_BASES)
    paths: tuple[str, ...]  # every import path, the public one first
    no_rewrite: str | None = None  # why no ScriptRunConfig rewrite is offered (None: the fixer has one)


ESTIMATOR_CLASSES: tuple[EstimatorClass, ...] = (
    EstimatorClass("Estimator", "azureml-train-core", "MMLBaseEstimator",
                   ("azureml.train.estimator.Estimator", "azureml.train.estimator._estimator.Estimator")),
    EstimatorClass("PyTorch", "azureml-train-core", "_FrameworkBaseEstimator",
                   ("azureml.train.dnn.PyTorch", "azureml.train.dnn._pytorch.PyTorch")),
    EstimatorClass("TensorFlow", "azureml-train-core", "_FrameworkBaseEstimator",
                   ("azureml.train.dnn.TensorFlow", "azureml.train.dnn._tensorflow.TensorFlow")),
    EstimatorClass("Chainer", "azureml-train-core", "_FrameworkBaseEstimator",
                   ("azureml.train.dnn.Chainer", "azureml.train.dnn._chainer.Chainer")),
    EstimatorClass("SKLearn", "azureml-train-core", "_FrameworkBaseEstimator",
                   ("azureml.train.sklearn.SKLearn",)),
    EstimatorClass("LightGBM", "azureml-contrib-gbdt", "_FrameworkBaseEstimator",
                   ("azureml.contrib.gbdt.LightGBM", "azureml.contrib.gbdt.lightgbm.LightGBM"),
                   no_rewrite="LightGBM submits the SDK's own run_lgbm.py, copied into the working directory "
                              "at submit time, with arguments, OpenMpi and an image of its own: rewrite it by hand"),
    EstimatorClass("ReinforcementLearningEstimator", "azureml-contrib-reinforcementlearning", "_RLBaseEstimator",
                   ("azureml.contrib.train.rl.ReinforcementLearningEstimator",
                    "azureml.contrib.train.rl._rl_estimator.ReinforcementLearningEstimator"),
                   no_rewrite="the reinforcement learning service is decommissioned: no ScriptRunConfig equivalent"),
)

BY_NAME: dict[str, EstimatorClass] = {cls.name: cls for cls in ESTIMATOR_CLASSES}
