"""Estimators chosen by name from a registry, as the experiment runner's YAML files name them."""
from functools import partial

from azureml.train.dnn import PyTorch, TensorFlow
from azureml.train.sklearn import SKLearn

ESTIMATOR_CLASSES = {"pytorch": PyTorch, "tensorflow": TensorFlow, "sklearn": SKLearn}

tf21 = partial(TensorFlow, framework_version="2.1", use_gpu=True)


def build(kind, source_directory, entry_script, compute_target, **extra):
    cls = ESTIMATOR_CLASSES[kind]
    return cls(source_directory=source_directory,
               entry_script=entry_script,
               compute_target=compute_target,
               **extra)


def build_tf21(source_directory, entry_script, compute_target):
    return tf21(source_directory=source_directory, entry_script=entry_script, compute_target=compute_target)
