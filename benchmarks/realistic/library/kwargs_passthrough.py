"""Thin wrappers kept for old callers; new code should build the estimator itself."""
from azureml.train.dnn import TensorFlow
from azureml.train.estimator import Estimator


def make_estimator(source_dir, entry, **kwargs):
    # everything else (compute, packages, script_params...) comes from the caller
    return Estimator(source_directory=source_dir, entry_script=entry, **kwargs)


def make_tf_estimator(source_dir, entry, compute_target, gpu=True):
    common = dict(compute_target=compute_target, use_gpu=gpu, framework_version="2.0")
    tf_est = TensorFlow(source_directory=source_dir, entry_script=entry, **common)
    return tf_est
