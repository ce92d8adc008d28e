"""The equivalence check can fail: each test takes a golden's fixed output, makes one wrong change a
rewrite could make (among them every wrong rewrite the issue 11 review saw pass), and asserts that the
comparison now reports a difference it did not report before, at the place the change is."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import pytest
from needs import require_sdk

require_sdk()

from sdk_offline import execute  # noqa: E402 - after the SDK check

from .equivalence import Original, differences  # noqa: E402
from .golden_cases import GOLDEN, expected_path  # noqa: E402
from .golden_runs import original, run  # noqa: E402

pytestmark = pytest.mark.sdk

NCCL = "\n    src_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'"
CURATED_PACKAGE = ("est_env = est_env.clone('x')\n"
                   "est_env.python.conda_dependencies.add_pip_package('requests')\n")
CURATED_IMAGE = "est_env.docker.base_image = 'mcr.microsoft.com/azureml/base:latest'\n"
SRC = "est = ScriptRunConfig("
DURATION = ",\n                      max_run_duration_seconds=None)"
# name: (golden case, style, text in its fixed output, wrong text, where the difference must show)
MUTATIONS = {
    # the review's wrong rewrites
    "source directory": ("est_sklearn.py", "exact", 'source_directory="src"', 'source_directory="source"',
                         ".source_directory"),
    "framework package dropped, prebuilt case": ("distributed_variable.py", "exact", "'horovod==0.19.5', ",
                                                 "", ".condaDependencies.dependencies"),
    "base image, prebuilt case": ("distributed_variable.py", "exact", "cuda11.1-cudnn8-ubuntu20.04'",
                                  "cuda11.8-cudnn8-ubuntu22.04'", ".docker.baseImage"),
    "python version, prebuilt case": ("distributed_variable.py", "exact", "set_python_version('3.6.2')",
                                      "set_python_version('3.7')", ".condaDependencies.dependencies[0]"),
    "process_count=12, Gloo": ("est_pytorch_gloo_backend.py", "exact", "node_count=3)",
                               "node_count=3, process_count=12)", ".pytorch.processCount"),
    "process_count=12, Nccl()": ("distributed_variable.py", "exact", "communication_backend='Nccl')",
                                 "communication_backend='Nccl', process_count=12)", ".pytorch.processCount"),
    "curated name": ("est_sklearn.py", "curated", "'AzureML-Scikit-learn-0.20.3'", "'AzureML-Minimal'",
                     "environment: .docker.baseImage"),
    "curated extra package dropped": ("est_sklearn.py", "curated",
                                      'est_env.python.conda_dependencies.add_pip_package("joblib")\n', "",
                                      "environment: .python.condaDependencies"),
    "curated package added": ("est_tensorflow_vm_size_with_target.py", "curated", SRC, CURATED_PACKAGE + SRC,
                              "environment: .python.condaDependencies"),
    "curated conda package dropped": ("est_tensorflow_ps_backend.py", "curated",
                                      'est_env.python.conda_dependencies.add_conda_package("cmake")\n', "",
                                      "environment: .python.condaDependencies"),
    "curated image changed": ("est_sklearn.py", "curated", SRC, CURATED_IMAGE + SRC,
                              ".environment.docker.baseImage"),
    "NCCL_TREE_THRESHOLD dropped": ("est_helper_function.py", "exact", NCCL, "", ".environmentVariables"),
    "reference registration dropped": ("est_datarefs.py", "exact",
                                       "est_input.data_reference_name: est_input.to_config(), ", "",
                                       ".dataReferences"),
    # more wrong rewrites
    "DataReference object passed": ("est_datarefs.py", "exact", "str(train_ref)", "train_ref",
                                    ".arguments[1]"),
    "Datastore object passed": ("est_datarefs.py", "exact", '"--test", str(est_data)', '"--test", ds',
                                ".arguments[3]"),
    "script": ("est_sklearn.py", "exact", 'script="train.py"', 'script="score.py"', ".script"),
    "argument type": ("est_chainer.py", "exact", '["--epochs", 3]', '["--epochs", "3"]', ".arguments[1]"),
    "docker off": ("est_chainer.py", "exact", "use_docker=True", "use_docker=False", ".docker.useDocker"),
    "run duration default": ("est_chainer.py", "exact", DURATION, ")", ".maxRunDurationSeconds"),
    "environment variables dropped": ("est_estimator_basic.py", "exact",
                                      'est.run_config.environment_variables = {"MODE": "train"}\n', "",
                                      ".environmentVariables"),
    "process count per node": ("est_pytorch_mpi.py", "exact", "process_count_per_node=4",
                               "process_count_per_node=3", ".mpi.processCountPerNode"),
    "backend": ("est_pytorch_gloo_backend.py", "exact", "communication_backend='Gloo'",
                "communication_backend='Nccl'", ".communicator"),
    "node count": ("est_tensorflow_ps_backend.py", "exact", "est.run_config.node_count = 2\n", "",
                   ".nodeCount"),
    "tuned argument kept": ("hyperdrive_pipeline.py", "exact", 'arguments=["--epochs", 20]',
                            'arguments=["--lr", 0.1, "--epochs", 20]', ".arguments"),
    "step argument": ("hyperdrive_pipeline.py", "exact", '["--mode", "eval"]', '["--mode", "train"]',
                      ".steps[0].step.arguments"),
    "HyperDrive not submitted": ("hyperdrive_pipeline.py", "exact", "run = experiment.submit(hd)\n", "",
                                 "submission 0: the rewrite defines no such job"),
    "HyperDrive submitted twice": ("hyperdrive_pipeline.py", "exact", "run = experiment.submit(hd)\n",
                                   "run = experiment.submit(hd)\nexperiment.submit(hd)\n",
                                   "submission 1: the original submits no such job"),
    "notebook argument": ("nb_inputs_from_earlier_cells.ipynb", "exact", "'--lr', 0.01", "'--lr', 0.1",
                          ".arguments[3]"),
    "notebook pipeline package": ("nb_pipeline.ipynb", "exact", "'tensorflow-gpu==2.1.0', ", "",
                                  ".condaDependencies"),
}


def _differences(case: str, style: str, text: str | None = None) -> list[str]:
    output = expected_path(GOLDEN / case, style)
    return differences(original(GOLDEN / case, style), run(output, text), style)


@lru_cache(maxsize=None)
def _baseline(case: str, style: str) -> frozenset[str]:
    return frozenset(_differences(case, style))


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_wrong_rewrite_is_reported(name: str) -> None:
    case, style, before, after, where = MUTATIONS[name]
    text = expected_path(GOLDEN / case, style).read_text(encoding="utf-8")
    if case.endswith(".ipynb"):  # a notebook's sources are JSON strings
        before, after = before.replace("\n", "\\n"), after.replace("\n", "\\n")
    assert text.count(before) == 1, f"the mutation no longer applies to {case}: update it"
    mutated = _differences(case, style, text.replace(before, after))
    new = [line for line in mutated if line not in _baseline(case, style)]
    assert any(where in line for line in new), new


def test_the_full_build_is_accepted_only_when_the_fix_declares_the_prebuilt_image() -> None:
    """distributed_variable's estimator ran the prebuilt framework image (an AmlCompute target); the
    rewrite builds the full image, which the fix declares. Undeclared, it is a difference."""
    declared = original(GOLDEN / "distributed_variable.py", "exact")
    assert any("pytorch:1.6-gpu" in change for change in declared.declared)
    undeclared = dataclasses.replace(declared, declared=[])
    rewrite = run(expected_path(GOLDEN / "distributed_variable.py", "exact"))
    found = differences(undeclared, rewrite, "exact")
    assert any(".docker.baseImage: expected 'pytorch:1.6-gpu'" in line for line in found), found
    assert not any("baseImage" in line for line in differences(declared, rewrite, "exact"))


def test_a_rewrite_that_raises_is_caught() -> None:
    path = expected_path(GOLDEN / "est_datarefs.py", "exact")
    text = path.read_text(encoding="utf-8")
    text = text.replace("est.run_config.data_references", "est._estimator_config.data_references")
    with pytest.raises(AttributeError, match="_estimator_config"):
        run(path, text)


@lru_cache(maxsize=None)
def _dataset_program() -> Original:
    return Original(execute(PROGRAM, "program.py", cwd=GOLDEN), execute(PROGRAM, "program.py", cwd=GOLDEN,
                                                                        full_build=True), [])


PROGRAM = """\
from azureml.core import Dataset, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
mnist = Dataset.get_by_name(ws, "mnist")
images = Dataset.File.from_files(path=[(ws.get_default_datastore(), "raw/*.png")])
table = Dataset.Tabular.from_delimited_files(path=[(ws.get_default_datastore(), "table.csv")])
est = Estimator(source_directory="src", entry_script="train.py", compute_target="cpu",
                script_params={"--images": images.as_mount(), "--table": table.as_named_input("table")},
                inputs=[mnist.as_named_input("train"), ws.datasets["labels"].as_mount()])
"""
REWRITE = """\
from azureml.core import Dataset, Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
mnist = Dataset.get_by_name(ws, "mnist")
images = Dataset.File.from_files(path=[(ws.get_default_datastore(), "raw/*.png")])
table = Dataset.Tabular.from_delimited_files(path=[(ws.get_default_datastore(), "table.csv")])
env = Environment("est-env")
env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu", environment=env,
                      arguments=["--images", images.as_mount(), "--table", table.as_named_input("table")],
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
labels = ws.datasets["labels"].as_mount()
est.run_config.data = {"train": mnist.as_named_input("train"), labels.name: labels}
"""


@pytest.mark.parametrize(("mutation", "where"), [
    (None, None),
    (('est.run_config.data = {"train": mnist.as_named_input("train"), ', 'est.run_config.data = {'), ".data"),
    (('ws.datasets["labels"].as_mount()', 'ws.datasets["labels"].as_download()'), ".mechanism"),
    (('as_named_input("train"), labels', 'as_named_input("training"), labels'), ".data"),
    (("images.as_mount()", "images.as_download()"), ".mechanism"),
    (('"raw/*.png")])\ntable', '"raw/*.jpg")])\ntable'), ".run_config.data.<input"),
    ((', "--table", table.as_named_input("table")]', "]"), ".arguments"),
])
def test_dataset_inputs_are_compared(mutation: tuple[str, str] | None, where: str | None) -> None:
    """Registered datasets by name, unregistered file and tabular datasets, auto-named mounts
    (input__<hex>), through the SDK's own submit-time conversion: the hand-written rewrite is
    equivalent, each broken variant is not."""
    rewrite = REWRITE if mutation is None else REWRITE.replace(*mutation)
    assert mutation is None or rewrite != REWRITE
    found = differences(_dataset_program(), execute(rewrite, "rewrite.py", cwd=GOLDEN), "exact")
    if mutation is None:
        assert found == []
    else:
        assert any(where in line for line in found), found
