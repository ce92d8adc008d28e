"""Does a v2 program run the jobs its v1 original ran? Each job the v1 program defines (``sdk_offline``:
what the v1 SDK sends) is paired by key (``name X`` / ``submission N``) with the v2 program's job
(``sdk_offline.v2``: what azure-ai-ml sends), and every row of docs/v2-mapping.md is checked: the v1
value is turned into the v2 value the row's rule says, and compared with what v2 sends.

A difference is accepted only when the fix summary declares it: a declared change line that names the
field (one of ``ROWS[row]`` or ``Difference.names``: for an input, its name) and one of the values that
differ (``Difference.values``), so a declaration of one change cannot excuse another in the same field.
Things v2 cannot express are differences too, so they must be declared, never dropped silently. The
only normalisations are the ones the packages justify, each commented with its source.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from fix.equivalence import Original, _job_differences, _registered_references, expected_run_configuration
from sdk_offline import Execution, Job, run_configurations
from sdk_offline.v2 import V2Execution, V2Job

from .rows import Difference, V2View
from .rows.command import code_differences, command_differences, compute_differences, hyperparameter_flags
from .rows.data import data_differences
from .rows.environment import environment_differences
from .rows.resources import resources_differences, timeout_differences
from .rows.sweep import sweep_differences
from .rows.unmapped import not_expressible


def mapping_differences(original: Original, v2: V2Execution, style: str = "exact") -> list[str]:
    """Every undeclared difference between the v1 program's jobs and the v2 program's, one line each.
    Where a v1 estimator took a prebuilt framework image and the fix declares giving it up, its
    full-build job is the one the v2 job must match (as the v1 equivalence does, tests/fix). A job the
    v2 program left as v1 code (manual) is held to the v1 equivalence, in ``style``."""
    found = []
    for key, old in original.as_written.jobs.items():
        new = v2.jobs.get(key)
        if new is None:
            found.append(f"{key}: the v2 program defines no such job (it has {sorted(v2.jobs)})")
            continue
        if isinstance(new, Job):  # left as v1 code (a manual fix): it must still send what it sent
            found += [f"{key}: left as v1, {line}" for line in _job_differences(original, key, new, style)]
            continue
        if new.sent is None:
            found.append(f"{key}: the SDK cannot make a job of it: {new.error}")
            continue
        lines = undeclared(job_differences(old, new, original.as_written), original.declared)
        full = original.full_build.jobs.get(key)
        if lines and full is not None and _declares_prebuilt_image(old, original.declared):
            lines = undeclared(job_differences(full, new, original.full_build), original.declared)
        found += [f"{key}: {line}" for line in lines]
    extra = [k for k in v2.jobs if k.startswith("submission") and k not in original.as_written.jobs]
    return found + [f"{key}: the v1 program submits no such job" for key in extra]


def undeclared(differences: list[Difference], declared: Sequence[str]) -> list[str]:
    return [str(d) for d in differences if not d.accepted_by(declared)]


def _declares_prebuilt_image(old: Job, declared: Sequence[str]) -> bool:
    images = [
        rc["environment"]["docker"]["baseImage"]
        for rc in run_configurations(old.sent)
        if rc and rc["environment"]["docker"]["baseImageRegistry"]["address"]
    ]
    return any(image in change for image in images for change in declared)


# ----------------------------------------------------------------------------------------------------
# One job


def job_differences(old: Job, new: V2Job, execution: Execution) -> list[Difference]:
    """Every row, for one v1 job and its v2 counterpart."""
    configs = list(run_configurations(old.sent))
    if len(configs) != 1 or configs[0] is None or "step" in old.sent or "steps" in old.sent:
        return [
            Difference(
                "not expressible", "a pipeline or step: no command-job row maps it (manual)", ("pipeline",)
            )
        ]
    config = _v1_run_configuration(old, configs[0], execution)
    view = V2View(new)
    hyper = old.sent.get("hyperdrive")
    found: list[Difference] = []
    if bool(hyper) != view.is_sweep:
        found.append(
            Difference(
                "sweep",
                f"v1 is {'a HyperDrive run' if hyper else 'one run'}, "
                f"v2 is {'a sweep' if view.is_sweep else 'one command job'}",
            )
        )
        hyper = hyper if view.is_sweep else None
    names, command = command_differences(config, view, hyperparameter_flags(hyper))
    found += command
    found += (
        code_differences(old, view)
        + compute_differences(config, view)
        + environment_differences(config, view)
    )
    found += resources_differences(config, view) + timeout_differences(config, view)
    found += data_differences(config, view, names, execution.datasets)
    found += sweep_differences(hyper, view) if hyper else []
    found += not_expressible(config, hyper)
    if old.experiment is not None and old.experiment != new.experiment:
        found.append(
            Difference(
                "experiment",
                f"v1 submits to {old.experiment!r}, v2 to {new.experiment!r}",
                values=(old.experiment, new.experiment),
            )
        )
    return found


def _v1_run_configuration(old: Job, config: dict[str, Any], execution: Execution) -> dict[str, Any]:
    """The run configuration as the new v1 API sends the same setting (tests/fix/equivalence.py):
    an estimator's spellings normalised, a ScriptRunConfig's DataReference arguments registered."""
    config = copy.deepcopy(config)
    estimator = old.estimators[0] if old.estimators else None
    if estimator is None:
        _registered_references(config, execution.references)
    else:
        expected_run_configuration(config, copy.deepcopy(config), estimator)
    return config
