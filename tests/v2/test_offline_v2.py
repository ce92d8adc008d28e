"""The offline v2 runner (sdk_offline.v2) records without a network, describes a job as it is when it is
submitted, refuses what the SDK refuses, and numbers v1 and v2 submissions in one order."""

from __future__ import annotations

from pathlib import Path

import pytest
from needs import require_sdk_v2

require_sdk_v2()

from sdk_offline import Job  # noqa: E402 - after the SDK check
from sdk_offline.v2 import V2Job, execute_v2  # noqa: E402

pytestmark = pytest.mark.sdk

HEADER = """\
from azure.ai.ml import MLClient, command
from azure.identity import DefaultAzureCredential
ml_client = MLClient.from_config(DefaultAzureCredential())
job = command(code=".", command="python train.py", environment="azureml:env@latest", compute="cpu")
"""


def run(tmp_path: Path, body: str):
    return execute_v2(HEADER + body, "program.py", cwd=tmp_path)


def test_a_submission_is_described_as_it_was_when_submitted(tmp_path: Path) -> None:
    execution = run(
        tmp_path,
        'run = ml_client.jobs.create_or_update(job, experiment_name="e")\n'
        'job.compute = "other"\nml_client.jobs.stream(run.name)\nurl = run.studio_url\n',
    )
    submitted, named = execution.jobs["submission 0"], execution.jobs["name job"]
    assert isinstance(submitted, V2Job) and submitted.experiment == "e"
    assert submitted.sent["rest"]["computeId"] == "cpu" and named.sent["rest"]["computeId"] == "other"
    assert [operation for operation, _ in execution.calls] == ["jobs.create_or_update", "jobs.stream"]


def test_streaming_a_job_never_submitted_raises(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="no job of that name"):
        run(tmp_path, 'ml_client.jobs.stream("someone-elses-job")\n')


def test_asking_for_a_token_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="asked for a token"):
        run(tmp_path, 'DefaultAzureCredential().get_token("https://management.azure.com/.default")\n')


def test_the_sdk_validation_runs_at_submission(tmp_path: Path) -> None:
    """create_or_update validates before its first service call: a command without an environment is
    refused there, as the SDK refuses it; not submitted, the program runs and the job carries the reason
    the SDK cannot make a job of it."""
    body = 'bad = command(code=".", command="python t.py", compute="cpu")\n'
    unsent = run(tmp_path, body).jobs["name bad"]
    assert unsent.sent is None and "environment is required" in unsent.error
    with pytest.raises(ValueError, match="component.environment"):
        run(tmp_path, body + "ml_client.jobs.create_or_update(bad)\n")


def test_a_local_job_gets_the_variable_the_sdk_adds(tmp_path: Path) -> None:
    execution = run(tmp_path, 'job.compute = "local"\nml_client.jobs.create_or_update(job)\n')
    rest = execution.jobs["submission 0"].sent["rest"]
    assert rest["environmentVariables"] == {"AZUREML_COMPUTE_USE_COMMON_RUNTIME": "true"}
    assert rest.get("computeId") is None and rest["resources"]["properties"] == {"IsLocal": {"IsLocal": True}}


def test_v1_code_left_in_a_v2_module_runs_offline_in_the_same_order(tmp_path: Path) -> None:
    execution = run(
        tmp_path,
        """\
from azureml.core import Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
ml_client.jobs.create_or_update(job)
Experiment(ws, "manual").submit(ScriptRunConfig(".", "left.py", compute_target="cpu"))
ml_client.jobs.create_or_update(job)
""",
    )
    kinds = {key: type(value) for key, value in execution.jobs.items() if key.startswith("submission")}
    assert kinds == {"submission 0": V2Job, "submission 1": Job, "submission 2": V2Job}
    assert execution.jobs["submission 1"].experiment == "manual"
