"""Fixtures for the dry-run tests: the container engine, and a way to run the command.

The engine comes from DOCKER_HOST and AML_DRYRUN_TEST_IMAGE in the environment, else from
`.aml-dry-run/ci-engine/env`, written by `.ci/setup-containers.sh`. Without one the container tests are
skipped on a developer's machine but FAIL in CI (CI=true): they must never pass by not running."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import pytest
from dryrun_helpers import ROOT, Engine, Result, run_dry_run
from needs import unavailable

ENV_FILE = ROOT / ".aml-dry-run" / "ci-engine" / "env"


def _settings() -> dict[str, str]:
    settings: dict[str, str] = {}
    if ENV_FILE.is_file():
        for line in ENV_FILE.read_text().splitlines():
            name, sep, value = line.partition("=")
            if sep:
                settings[name.strip()] = value.strip()
    for name in ("DOCKER_HOST", "AML_DRYRUN_TEST_IMAGE"):
        # Set in the environment, it wins: the same tests then run against another engine (Docker).
        settings[name] = os.environ.get(name) or settings.get(name, "")
    return settings


def _unavailable(reason: str) -> None:
    unavailable(f"container engine unavailable: {reason} (run `bash .ci/setup-containers.sh`)")


@pytest.fixture(scope="session")
def engine() -> Engine:
    settings = _settings()
    if not settings["DOCKER_HOST"] or not settings["AML_DRYRUN_TEST_IMAGE"]:
        _unavailable("no DOCKER_HOST / AML_DRYRUN_TEST_IMAGE and no " + str(ENV_FILE))
    try:
        import docker

        client = docker.DockerClient(base_url=settings["DOCKER_HOST"], timeout=30)
        client.ping()
        client.images.get(settings["AML_DRYRUN_TEST_IMAGE"])
    except Exception as exc:  # any failure means the engine is not usable for these tests
        _unavailable(f"{settings['DOCKER_HOST']}: {type(exc).__name__}: {exc}")
    return Engine(settings["DOCKER_HOST"], settings["AML_DRYRUN_TEST_IMAGE"], client)


@pytest.fixture
def container_run(engine: Engine, tmp_path: Path) -> Iterator:
    """Run the command against the test engine; fail if any container or network is left behind."""

    def call(args: list[str], cwd: Path, **kwargs) -> Result:
        env = {"DOCKER_HOST": engine.docker_host, **kwargs.pop("env", {})}
        return run_dry_run(args, cwd, env=env, **kwargs)

    yield call
    run_ids = [json.loads(plan.read_text())["run_id"] for plan in tmp_path.rglob("plan.json")]
    assert run_ids, "no run folder under tmp_path: the leftover check would check nothing"
    assert engine.leftovers(run_ids) == []
