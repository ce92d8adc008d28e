"""The mapping check can fail: each test takes a pair's v2 file, makes one wrong change a migration could
make (or drops one of its declarations), checks the SDK still accepts the program, and asserts that the
comparison now reports a difference in the row the change is in. Every row has at least one."""

from __future__ import annotations

import dataclasses
from unittest import mock

import pytest
from needs import require_sdk_v2

require_sdk_v2()

from .mapping import mapping_differences  # noqa: E402 - after the SDK check
from .rows import ROWS, resources  # noqa: E402
from .pairs import NAMES, Pair, original, run_v2  # noqa: E402

pytestmark = pytest.mark.sdk


@dataclasses.dataclass(frozen=True)
class Mutation:
    pair: str
    row: str
    old: str  # the text replaced in the v2 file; for an undeclared one, a part of the declaration dropped
    new: str | None  # None: drop the declaration that contains ``old``
    why: str
    also: tuple[tuple[str, str], ...] = ()  # further replacements the change needs (an import)


MUTATIONS = [
    Mutation("mnist_mpi", "code", 'code="./src"', 'code="./source"', "another code folder"),
    Mutation("mnist_mpi", "command", " --epochs 10", "", "an argument dropped"),
    Mutation("mnist_mpi", "command", "--fp16 True", "--fp16 true", "str(True) is True, not true"),
    Mutation("mnist_mpi", "command", "python train_hvd.py", "python train.py", "another script"),
    Mutation(
        "tf_parameter_server",
        "command",
        "--data ${{inputs.cifar}} --init-from=${{inputs.pretrained}}",
        "--data ${{inputs.pretrained}} --init-from=${{inputs.cifar}}",
        "two input placeholders swapped",
    ),
    Mutation(
        "tf_parameter_server",
        "command",
        "--init-from=${{inputs.pretrained}}",
        "--init-from ${{inputs.pretrained}}",
        "the prefix text of a placeholder's argument split off",
    ),
    Mutation(
        "hyperdrive_bandit",
        "command",
        ' "\n            "--batch-size ${{inputs.batch_size}}',
        "",
        "a tuned hyperparameter no longer reaches the script",
    ),
    Mutation("mnist_mpi", "compute", 'compute="gpu-cluster"', 'compute="cpu-cluster"', "another cluster"),
    Mutation(
        "tabular_credit", "compute", 'compute="local"', 'compute="cpu-cluster"', "local run sent to a cluster"
    ),
    Mutation(
        "hyperdrive_bandit",
        "environment reference",
        "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest",
        "AzureML-sklearn-1.5@latest",
        "another curated environment, not declared",
    ),
    Mutation(
        "pytorch_ddp",
        "environment reference",
        "nearest azureml:AzureML-acpt",
        None,
        "the curated replacement not declared",
    ),
    Mutation(
        "sweep_grid_median",
        "environment reference",
        'name="my-team-env"',
        'name="my-team-env-gpu"',
        "another registered environment",
    ),
    Mutation("mnist_mpi", "image", "cuda11.8-cudnn8", "cuda12.1-cudnn8", "changed image"),
    Mutation(
        "batch_scoring_upload",
        "image",
        "myregistry.azurecr.io/team/scoring:1.4",
        "team/scoring:1.4",
        "the private registry dropped",
    ),
    Mutation(
        "tabular_credit",
        "conda",
        '"channels": ["conda-forge", "defaults"]',
        '"channels": ["conda-forge"]',
        "a channel dropped",
    ),
    Mutation("tabular_credit", "conda", '"scikit-learn=1.3", ', "", "a conda package dropped"),
    Mutation("tabular_credit", "python version", '"python=3.10"', '"python=3.11"', "another python"),
    Mutation("tabular_credit", "pip", '{"pip": ["mltable", ', '{"pip": [', "a pip package dropped"),
    Mutation(
        "mnist_mpi",
        "conda",
        'conda_file="envs/horovod.yml"',
        'conda_file="envs/tensorflow.yml"',
        "another conda file",
    ),
    Mutation(
        "batch_scoring_upload",
        "user_managed_dependencies",
        '1.4")',
        '1.4", conda_file={"dependencies": ["python=3.10"]})',
        "a conda file on a user-managed image",
    ),
    Mutation("mnist_mpi", "environment_variables", ', "NCCL_DEBUG": "INFO"', "", "a run variable dropped"),
    Mutation(
        "hyperdrive_bandit",
        "environment_variables",
        '    environment_variables={"OMP_NUM_THREADS": "4"},\n',
        "",
        "a sweep trial's variable dropped",
    ),
    Mutation(
        "tf_parameter_server",
        "environment_variables",
        '{"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}',
        "{}",
        "the environment's default variable v1 sends, dropped",
    ),
    Mutation("mnist_mpi", "shm_size", 'shm_size="16g"', 'shm_size="2g"', "another shared memory size"),
    Mutation("pytorch_ddp", "shm_size", '    shm_size="2g",\n', "", "v1's default 2g left to the service"),
    Mutation(
        "pytorch_ddp", "docker arguments", '["--ipc=host"]', '["--ipc=private"]', "other docker arguments"
    ),
    Mutation(
        "mnist_mpi", "instance_count", "instance_count=2", "instance_count=1", "one node instead of two"
    ),
    Mutation(
        "mnist_mpi",
        "distribution",
        "process_count_per_instance=4",
        "process_count_per_instance=8",
        "wrong process count per node",
    ),
    Mutation(
        "mnist_mpi",
        "distribution",
        "MpiDistribution(process_count_per_instance=4)",
        "PyTorchDistribution(process_count_per_instance=4)",
        "another launcher",
        (("import Input, MLClient,", "import Input, MLClient, PyTorchDistribution,"),),
    ),
    Mutation(
        "pytorch_ddp",
        "distribution",
        "process_count_per_instance=4",
        "process_count_per_instance=8",
        "v1's total process count taken per node",
    ),
    Mutation(
        "tf_parameter_server",
        "distribution",
        "parameter_server_count=1",
        "parameter_server_count=2",
        "another parameter-server count",
    ),
    Mutation(
        "pytorch_ddp",
        "communication_backend",
        "communication_backend 'Nccl'",
        None,
        "the backend v2 cannot express, not declared",
    ),
    Mutation("mnist_mpi", "timeout", "timeout=7200", "timeout=3600", "a shorter run limit"),
    Mutation("hyperdrive_bandit", "timeout", ", trial_timeout=2592000", "", "the trials' limit dropped"),
    Mutation("mnist_mpi", "inputs", 'mode="ro_mount"', 'mode="download"', "wrong mode"),
    Mutation(
        "tf_parameter_server",
        "inputs",
        "paths/pretrained/resnet50",
        "paths/pretrained/resnet101",
        "another datastore path",
    ),
    Mutation(
        "tf_parameter_server", "inputs", "azureml:cifar10@latest", "azureml:cifar10:2", "another version"
    ),
    Mutation(
        "pytorch_ddp",
        "inputs",
        "azureml:imagenet-subset:3",
        "azureml:imagenet-subset@latest",
        "latest for a pinned version",
    ),
    Mutation(
        "tabular_credit", "inputs", 'type="mltable"', 'type="uri_folder"', "a tabular dataset as a folder"
    ),
    Mutation("batch_scoring_upload", "inputs", 'mode="upload")', 'mode="rw_mount")', "upload made a mount"),
    Mutation(
        "batch_scoring_upload",
        "inputs",
        "datastores/scoringstore/paths/models",
        "datastores/workspaceblobstore/paths/models",
        "another datastore",
    ),
    Mutation(
        "batch_scoring_upload",
        "path_on_compute",
        "path_on_compute 'model'",
        None,
        "the path on compute v2 cannot keep, not declared",
    ),
    Mutation(
        "batch_scoring_upload",
        "not expressible",
        "python.interpreterPath",
        None,
        "the interpreter path v2 cannot keep, not declared",
    ),
    Mutation(
        "hyperdrive_bandit",
        "sweep",
        "create_or_update(hd_config,",
        "create_or_update(src,",
        "the command submitted instead of its sweep",
    ),
    Mutation(
        "sweep_grid_median",
        "sweep sampling",
        'sampling_algorithm="grid"',
        'sampling_algorithm="random"',
        "another sampling",
    ),
    Mutation("hyperdrive_bandit", "sweep search space", "min_value=-6", "min_value=-5", "another range"),
    Mutation(
        "hyperdrive_bandit",
        "sweep search space",
        "Choice([16, 32, 64])",
        "Choice([16, 32])",
        "a choice dropped",
    ),
    Mutation("hyperdrive_bandit", "sweep objective", 'goal="Maximize"', 'goal="Minimize"', "wrong goal"),
    Mutation(
        "hyperdrive_bandit",
        "sweep objective",
        'primary_metric="val_accuracy"',
        'primary_metric="accuracy"',
        "another metric",
    ),
    Mutation(
        "hyperdrive_bandit",
        "sweep policy",
        "slack_factor=0.15",
        "slack_amount=0.15",
        "slack amount for slack factor",
    ),
    Mutation(
        "sweep_grid_median",
        "sweep policy",
        ",\n    early_termination_policy=MedianStoppingPolicy(evaluation_interval=2, delay_evaluation=4))",
        ")",
        "the policy dropped",
    ),
    Mutation(
        "hyperdrive_bandit", "sweep limits", "max_total_trials=40", "max_total_trials=20", "fewer trials"
    ),
    Mutation(
        "hyperdrive_bandit", "sweep limits", "timeout=240 * 60", "timeout=240", "minutes taken as seconds"
    ),
    Mutation(
        "sweep_grid_median",
        "sweep limits",
        "max_concurrent_trials=6, ",
        "",
        "v1's default concurrency dropped",
    ),
    Mutation(
        "mnist_mpi",
        "experiment",
        'experiment_name="mnist-horovod"',
        'experiment_name="mnist"',
        "another experiment",
    ),
]


def _ids() -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for m in MUTATIONS:
        key = f"{m.pair}-{m.row}".replace(" ", "_")
        seen[key] = seen.get(key, 0) + 1
        ids.append(f"{key}-{seen[key]}")
    return ids


def _differences(mutation: Mutation) -> list[str]:
    v1 = original(mutation.pair)
    if mutation.new is None:
        kept = [d for d in v1.declared if mutation.old not in d]
        assert len(kept) == len(v1.declared) - 1, f"{mutation.old!r} is in no declaration of {mutation.pair}"
        return mapping_differences(dataclasses.replace(v1, declared=kept), run_v2(mutation.pair))
    text = Pair(mutation.pair).v2_path.read_text(encoding="utf-8")
    for old, new in ((mutation.old, mutation.new), *mutation.also):
        assert text.count(old) == 1, f"{old!r} is not in {mutation.pair}.v2.py exactly once"
        text = text.replace(old, new)
    # the SDK accepts the wrong program: it is the comparison that must catch it
    return mapping_differences(v1, run_v2(mutation.pair, text))


@pytest.mark.parametrize("mutation", MUTATIONS, ids=_ids())
def test_a_wrong_v2_program_is_caught_in_its_row(mutation: Mutation) -> None:
    found = _differences(mutation)
    assert any(f": {mutation.row}: " in line for line in found), (
        f"{mutation.why}: not caught in {mutation.row}: {found}"
    )


def test_every_row_has_a_mutation_and_every_pair_is_mutated() -> None:
    assert set(ROWS) <= {m.row for m in MUTATIONS}
    assert set(NAMES) - {"partly_manual"} <= {m.pair for m in MUTATIONS}  # partly_manual: the test below


def test_the_mutations_depend_on_the_rows_they_test() -> None:
    """The comparator with its distribution row switched off no longer catches a wrong process count:
    the mutation test above fails because of that row, not by accident."""
    mutation = next(m for m in MUTATIONS if m.row == "distribution")
    with mock.patch.object(resources, "_distribution", lambda config, v2: []):
        assert not any(": distribution: " in line for line in _differences(mutation))


def test_v1_code_left_manual_must_still_send_what_it_sent() -> None:
    """A pipeline the v2 program keeps as v1 code is held to the v1 equivalence."""
    text = Pair("partly_manual").v2_path.read_text(encoding="utf-8")
    assert text.count('"--rows", 100000]') == 1
    found = mapping_differences(
        original("partly_manual"), run_v2("partly_manual", text.replace("100000]", "1000]"))
    )
    assert "submission 0: left as v1, .steps[0].step.arguments[1]: expected 100000, sent 1000" in found
