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
def bare_python(tmp_path: Path) -> Path:
    """An interpreter without any Azure ML SDK: a fresh virtual environment of this Python's."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True)
    return tmp_path / "bare" / "bin" / "python"


@pytest.fixture
def container_run(engine: Engine, tmp_path: Path) -> Iterator:
    """Run the command against the test engine; fail if any container or network is left behind."""

    results: list[Result] = []

    def call(args: list[str], cwd: Path, **kwargs) -> Result:
        env = {"DOCKER_HOST": engine.docker_host, **kwargs.pop("env", {})}
        results.append(run_dry_run(args, cwd, env=env, **kwargs))
        return results[-1]

    yield call
    run_ids = [json.loads(plan.read_text())["run_id"] for plan in tmp_path.rglob("plan.json")]
    captured = any("capture sandbox (container" in result.stderr for result in results)
    assert run_ids or captured, "no run folder and no capture under tmp_path: the check would check nothing"
    assert engine.leftovers(run_ids) == []
    assert engine.mounting(tmp_path) == []  # capture sandboxes are removed too


def _cache_root() -> Path:
    """Where downloaded wheels are kept between runs: the CI machines' cache, else the user's."""
    for candidate in (os.environ.get("AML_DRYRUN_CACHE"), "/var/cache/aml-migrate"):
        if candidate and os.access(candidate, os.W_OK):
            return Path(candidate)
    return Path.home() / ".cache" / "aml-migrate"


def _wheelhouse(packages: list[str]) -> Path:
    """Wheels of these packages for the capture sandbox's Python (3.11), fetched once per machine with
    `pip download` (PyPI is reachable; no container registry is)."""
    import fcntl
    import hashlib
    import platform
    import shutil
    import subprocess
    import sys

    if not all("==" in package for package in packages):
        _unavailable(f"the Azure ML SDK is not installed in this Python ({', '.join(packages)})")
    root = _cache_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"capture-wheels-{hashlib.sha256(' '.join(packages).encode()).hexdigest()[:16]}"
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers wait for the one downloading
        if not (folder / "complete").is_file():
            partial = folder.with_name(folder.name + ".part")
            shutil.rmtree(partial, ignore_errors=True)
            machine = platform.machine()
            tags = ("manylinux2014", "manylinux_2_17", "manylinux_2_28", "linux")
            platforms = [f"{tag}_{machine}" for tag in tags]
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                 "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp",
                 *[option for name in platforms for option in ("--platform", name)],
                 "--dest", str(partial), *packages],
                capture_output=True, text=True, timeout=600,
            )
            if done.returncode != 0:
                _unavailable(f"pip download of the SDK wheels failed: {done.stderr.strip()[-500:]}")
            shutil.rmtree(folder, ignore_errors=True)
            partial.rename(folder)
            (folder / "complete").write_text(" ".join(packages))
    return folder


@pytest.fixture(scope="session")
def sdk_wheelhouse() -> Path:
    """The SDK v1 wheels the capture sandbox installs (this machine's versions)."""
    from lint_plugin.dryrun.image import capture_packages

    return _wheelhouse(capture_packages())


@pytest.fixture(scope="session")
def v2_sdk_wheelhouse() -> Path:
    """The SDK v2 wheels (azure-ai-ml, azure-identity) the capture sandbox of a v2 script installs."""
    from lint_plugin.dryrun.image import CAPTURE_SDK_V2, capture_packages

    return _wheelhouse(capture_packages(CAPTURE_SDK_V2))


@pytest.fixture(scope="session")
def capture_image(engine: Engine, sdk_wheelhouse: Path, tmp_path_factory) -> str:
    """The capture sandbox image on the test base image, built once (by one xdist worker at a time;
    the build time is printed, as CI's record of it)."""
    import fcntl
    import time

    from lint_plugin.dryrun.engine import ensure_image
    from lint_plugin.dryrun.image import capture_image as plan

    image = plan(engine.image, sdk_wheelhouse)
    with open(f"{sdk_wheelhouse}.image.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = time.monotonic()
        ensure_image(engine.client, image, tmp_path_factory.mktemp("capture-build"))
        size = engine.client.images.get(image.image).attrs.get("Size", 0)
        print(f"\ncapture sandbox image {image.image}: ready in {time.monotonic() - started:.1f}s, "
              f"{size / 1e6:.0f} MB")
    return engine.image


@pytest.fixture
def capture_options(tmp_path: Path, sdk_wheelhouse: Path, capture_image: str) -> list[str]:
    """`--capture` in a container of the capture image, and one wheelhouse for both image builds: the
    SDK's wheels (hard links) and the shapes' probe packages."""
    from shapes import probe_wheel

    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for wheel in sdk_wheelhouse.glob("*.whl"):
        os.link(wheel, wheels / wheel.name)
    for name, version in (("dryrun-probe", "1.0"), ("dryrun-probe", "2.0"), ("dryrun-extra", "1.0")):
        probe_wheel(wheels, version, name)
    return ["--capture", "--capture-image", capture_image, "--wheelhouse", str(wheels)]
