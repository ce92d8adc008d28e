"""Stage 2's outcomes are reported on the input's lines: LineMap maps stage 1's output back."""

from __future__ import annotations

from lint_plugin.fix.stages import LineMap

OLD = """\
def make(source_dir, entry, compute_target):
    common = dict(compute_target=compute_target, use_gpu=True)
    tf_est = TensorFlow(source_directory=source_dir, entry_script=entry, **common)
    return tf_est
"""
NEW = """\
def make(source_dir, entry, compute_target):
    tf_est_env = Environment('tf-est-env')
    tf_est_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
    tf_est = ScriptRunConfig(source_directory=source_dir, script=entry, compute_target=compute_target, environment=tf_est_env, docker_runtime_config=DockerConfiguration(use_docker=True))
    return tf_est
"""


def test_a_rewritten_binding_maps_to_the_line_that_bound_the_same_name_however_long_it_grew() -> None:
    lines = LineMap(OLD, NEW)
    assert lines(4) == 3  # tf_est = ScriptRunConfig(...) stands for tf_est = TensorFlow(...)


def test_kept_lines_map_to_themselves_and_written_lines_to_the_region_they_replaced() -> None:
    lines = LineMap(OLD, NEW)
    assert (lines(1), lines(5)) == (1, 4)
    assert lines(2) == 2 and lines(3) == 2  # the environment's lines: the region's first line


def test_an_edited_line_without_a_binding_maps_to_the_line_it_resembles_most() -> None:
    old = "a = 1\nrun = exp.submit(est)\nrun.wait_for_completion(show_output=True)\n"
    new = "a = 1\nrun = exp.submit(src)\nrun.wait_for_completion(show_output=True)\n"
    assert LineMap(old, new)(2) == 2


def test_two_written_bindings_stand_for_two_lines_they_resemble_equally() -> None:
    old = ("    if sklearn:\n"
           "        return SKLearn(source_directory=source_directory,\n"
           "                       compute_target=compute)\n"
           "    return Estimator(source_directory=source_directory,\n"
           "                     compute_target=compute)\n")
    new = ("    if sklearn:\n"
           "        src_3 = ScriptRunConfig(source_directory=source_directory,\n"
           "                                compute_target=compute)\n"
           "        return src_3\n"
           "    src_4 = ScriptRunConfig(source_directory=source_directory,\n"
           "                            compute_target=compute)\n"
           "    return src_4\n")
    lines = LineMap(old, new)
    assert (lines(2), lines(5)) == (2, 4)


def test_a_blank_line_is_no_anchor_between_a_removed_import_and_the_rewritten_call() -> None:
    old = "from azureml.train.dnn import PyTorch\n\nest = PyTorch(source_directory='.',\n              use_gpu=True)\n\nest.x()\n"
    new = "est_env = Environment('est-env')\nest = ScriptRunConfig(source_directory='.',\n                      environment=est_env)\n\nest.x()\n"
    assert LineMap(old, new)(2) == 3
