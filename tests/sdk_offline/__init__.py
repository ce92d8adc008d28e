"""The real Azure ML SDK v1, run offline: a program executes under the SDK with stand-ins for every call
that would reach the service (``service.py``), and each job it defines is described as the service would
receive it (``jobs.py``). Everything else is the SDK's own code, estimator construction and submit-time
behaviour included. Nothing here needs a network.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azureml.core import ScriptRunConfig
from azureml.pipeline.core.builder import PipelineStep
from azureml.train.estimator import MMLBaseEstimator  # noqa: AML102 - the original side is what we run
from azureml.train.hyperdrive import HyperDriveConfig

from .jobs import Job, is_job, job, reference_json, run_configurations
from .service import (CURATED_IMAGE_PREFIX, FULL_BUILD_REGION, WORKSPACE_REGION, OfflinePipeline,
                      OfflineWorkspace, Session, curated_environment, stand_ins)

__all__ = ["CURATED_IMAGE_PREFIX", "Execution", "Job", "curated_environment", "execute", "run_configurations"]


@dataclass
class Execution:
    """A program run offline: its module namespace, its jobs, every estimator it built, every
    DataReference it turned into a string (``str(reference)`` -> the reference's configuration), and the
    class of every dataset its jobs consume (saved id -> class name).

    Jobs: every submission (``submission N``, described when submitted) and every module-level name bound
    to a ScriptRunConfig, estimator, HyperDriveConfig, pipeline step or Pipeline (``name X``, described
    when the program ends) that no HyperDriveConfig or step holds; those are compared through their
    holder (an EstimatorStep rewrites its estimator's run configuration)."""

    namespace: dict[str, Any]
    jobs: dict[str, Job]
    estimators: list[Any]
    references: dict[str, Any]
    datasets: dict[str, str]


def execute(source: str, filename: str, *, cwd: Path, full_build: bool = False,
            within: Callable[[dict[str, Any]], AbstractContextManager[Any]] | None = None) -> Execution:
    """Run ``source`` as a module under the real SDK, offline, in ``cwd``. An exception propagates.

    ``full_build``: every compute target is an AmlCompute in a region without cached framework images,
    so framework estimators take the full-build path a string target takes (SDK_FACTS.md section 5).
    ``within(jobs)``: a context the program runs in as well, given the jobs dict (a v2 program's own
    stand-ins, sdk_offline.v2, whose submissions join the v1 ones in one order).
    """
    jobs: dict[str, Job] = {}

    def submitted(config: Any, workspace: Any, tags: Any, overrides: dict[str, Any], experiment: str) -> None:
        # described now: what is sent is the object as it is at submit time
        jobs[f"submission {len(jobs)}"] = job(config, workspace, tags, overrides, experiment)

    current = Session(FULL_BUILD_REGION if full_build else WORKSPACE_REGION, submitted)
    namespace: dict[str, Any] = {"__name__": "__offline__", "__file__": filename}
    code = compile(source, filename, "exec")
    previous = os.getcwd()
    try:
        with stand_ins(current), (within(jobs) if within else nullcontext()):
            os.chdir(cwd)
            exec(code, namespace)  # noqa: S102 - the project's own golden programs
            workspace = next((v for v in namespace.values() if isinstance(v, OfflineWorkspace)), None)
            workspace = workspace or OfflineWorkspace()
            held = _held(namespace.values())
            for name, value in list(namespace.items()):
                if is_job(value) and id(value) not in held:
                    jobs[f"name {name}"] = job(value, workspace)
            references = {text: reference_json(ref) for text, ref in current.references.items()}
    finally:
        os.chdir(previous)
    return Execution(namespace, jobs, current.estimators, references, current.datasets)


def _held(values: Any) -> set[int]:
    """Configurations a HyperDriveConfig or a step holds (a step holds its estimator's run configuration)."""
    values = list(values)
    in_pipelines = [s for v in values if isinstance(v, OfflinePipeline) for s in v.steps]
    steps = [v for v in values if isinstance(v, PipelineStep)] + in_pipelines
    run_configs = {id(getattr(s, "_runconfig", None)) for s in steps}
    held = {id(v.estimator) for v in values if isinstance(v, HyperDriveConfig)}
    held |= {id(v.run_config) for v in values if isinstance(v, HyperDriveConfig)}
    held |= {id(s) for s in in_pipelines}
    held |= {id(v) for v in values if isinstance(v, (MMLBaseEstimator, ScriptRunConfig))
             and id(v.run_config) in run_configs}
    return held
