"""Run a plan through the Docker Engine API (Docker, or podman's compatible socket).

Containers are created, started, streamed, waited on with our own timer, killed when needed and
always removed by us: podman 4.3's Docker API reports exit code 0 for auto-removed containers."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from .image import BuildPlan, ImagePlan
from .plan import Plan
from .spec import DryRunError
from .waiting import say, wait_all

BUILD_LABEL = "ai.aml-migrate.dry-run.image"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _socket_candidates(choice: str) -> list[tuple[str, str]]:
    """(base_url, where it came from) in the order DESIGN.md gives: DOCKER_HOST, context, sockets."""
    found: list[tuple[str, str]] = []
    if os.environ.get("DOCKER_HOST"):
        found.append((os.environ["DOCKER_HOST"], "DOCKER_HOST"))
    context = _context_host()
    if context:
        found.append(context)
    runtime = os.environ.get("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    docker = [
        ("/var/run/docker.sock", "default docker socket"),
        (str(Path.home() / ".docker/run/docker.sock"), "Docker Desktop socket"),
    ]
    podman = [
        (f"{runtime}/podman/podman.sock", "podman user socket"),
        ("/run/podman/podman.sock", "podman system socket"),
    ]
    ordered = podman + docker if choice == "podman" else docker + podman
    found += [(f"unix://{path}", label) for path, label in ordered if os.path.exists(path)]
    return found


def _context_host() -> tuple[str, str] | None:
    """The endpoint of the current docker context, read from ~/.docker like the docker CLI does."""
    config_dir = Path(os.environ.get("DOCKER_CONFIG", Path.home() / ".docker"))
    name = os.environ.get("DOCKER_CONTEXT")
    if not name:
        try:
            name = json.loads((config_dir / "config.json").read_text()).get("currentContext")
        except (OSError, ValueError):
            return None
    if not name or name == "default":
        return None
    meta = config_dir / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest() / "meta.json"
    try:
        host = json.loads(meta.read_text())["Endpoints"]["docker"]["Host"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return host, f"docker context {name!r}"


def connect(choice: str) -> Any:
    """A docker client for the first engine that answers, or one clear error."""
    try:
        import docker
    except ImportError:
        raise DryRunError(
            "the container engines need the 'docker' Python package: "
            "pip install 'aml-migrate[dryrun]' (or use --engine local)"
        ) from None
    candidates = _socket_candidates(choice)
    tried = []
    for url, origin in candidates:
        try:
            client = docker.DockerClient(base_url=url, timeout=30)
            client.ping()
            return client
        except Exception as exc:  # any failure to answer means: try the next candidate
            tried.append(f"{origin} {url} ({type(exc).__name__})")
    detail = "; ".join(tried) if tried else "no DOCKER_HOST, no docker context, no docker or podman socket"
    raise DryRunError(
        f"no container engine available ({detail}): start Docker, or podman with "
        "`systemctl --user enable --now podman.socket`, or use --engine local"
    )


def is_rootless(client: Any) -> bool:
    options = client.info().get("SecurityOptions") or []
    return any("rootless" in str(option) for option in options)


class ContainerRunner:
    def __init__(self, client: Any, plan: Plan, out: TextIO) -> None:
        self.client = client
        self.plan = plan
        self.out = out
        self.containers: list[Any] = []
        self.network: Any = None
        self.lost = False  # the engine stopped answering: cleanup cannot reach it either

    def run(self) -> int:
        import docker.errors
        import requests.exceptions

        try:
            ensure_image(self.client, self.plan.image, self.plan.folder.root)
            return self._run_containers()
        except docker.errors.APIError as exc:
            raise DryRunError(f"container engine error: {exc.explanation or exc}") from None
        except (requests.exceptions.RequestException, _EngineLost) as exc:
            self.lost = True
            names = " ".join(container.name for container in self.containers)
            left = (f"; its containers may still exist: remove them with `docker rm -f {names}`"
                    if names else "")
            detail = f" ({type(exc).__name__})" if not isinstance(exc, _EngineLost) else ""
            raise DryRunError(f"lost the connection to the container engine{detail}{left}") from None
        finally:
            self._cleanup()

    # --- containers ----------------------------------------------------------------------
    def _run_containers(self) -> int:
        rootless = is_rootless(self.client)
        for call in self.plan.calls:
            if call["op"] == "networks.create":
                self.network = self.client.networks.create(
                    call["name"], driver=call["driver"], internal=call["internal"], labels=call["labels"]
                )
            elif call["op"] == "containers.create":
                kwargs = dict(call["kwargs"])
                passed = {name: os.environ[name] for name in call.get("pass_env", []) if name in os.environ}
                if passed:
                    kwargs["environment"] = {**kwargs["environment"], **passed}
                if rootless:
                    kwargs["user"] = "0:0"  # root inside a rootless engine is the caller outside
                self.containers.append(self.client.containers.create(**kwargs))
        for container in self.containers:
            container.start()
        logs = [self._stream(index, container) for index, container in enumerate(self.containers)]
        code = self._wait()
        if code == ENGINE_LOST and not self._engine_answers():
            raise _EngineLost()
        for thread in logs:
            thread.join(timeout=5)
        return code

    def _engine_answers(self) -> bool:
        try:
            self.client.ping()
            return True
        except Exception:  # any failure to answer means the engine is gone
            return False

    def _stream(self, index: int, container: Any) -> threading.Thread:
        def pump() -> None:
            with open(self.plan.folder.root / f"node-{index}.log", "ab") as log:
                try:
                    for chunk in container.logs(stream=True, follow=True):
                        log.write(chunk)
                        self.out.write(chunk.decode(errors="replace"))
                        self.out.flush()
                except Exception:  # the engine went away: the wait reports it, in one line
                    return

        thread = threading.Thread(target=pump, daemon=True)
        thread.start()
        return thread

    def _wait(self) -> int:
        waiters = [lambda c=container: _wait_code(c) for container in self.containers]
        return wait_all(
            waiters, self._kill, self.plan.timeout, self.plan.timeout_reason, ", containers removed"
        )

    def _kill(self) -> None:
        import docker.errors

        for container in self.containers:
            try:
                container.kill()
            except docker.errors.APIError:
                pass  # already stopped

    def _cleanup(self) -> None:
        """Remove what this run created; say so (never raise) when the engine refuses."""
        import docker.errors
        import requests.exceptions

        refused = (docker.errors.APIError, requests.exceptions.RequestException)
        if self.lost and not self._engine_answers():
            return  # the error message names what may be left
        for container in self.containers:
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass
            except refused as exc:
                say(f"could not remove container {container.name}: {exc}")
        if self.network is not None:
            try:
                self.network.remove()
            except refused as exc:
                say(f"could not remove network {self.network.name}: {exc}")


def ensure_image(client: Any, image: ImagePlan, log_dir: Path) -> None:
    """The image exists afterwards: reused, built (its Dockerfile and a failed build's log go to
    log_dir), or pulled; else one clear error."""
    import docker.errors

    build = image.build
    if build is not None:
        try:
            client.images.get(build.tag)
            say(f"reusing image {build.tag}")
        except docker.errors.ImageNotFound:
            _build(client, build, log_dir)
        return
    try:
        client.images.get(image.image)
    except docker.errors.ImageNotFound:
        say(f"pulling {image.image}")
        try:
            client.images.pull(image.image)
        except docker.errors.APIError as exc:
            raise DryRunError(
                f"image {image.image} is not available locally and cannot be pulled "
                f"({exc.explanation or exc}); pass --image IMAGE or pin one in pyproject.toml "
                "[tool.aml-migrate.dry-run] images"
            ) from None


def _build(client: Any, build: BuildPlan, log_dir: Path) -> None:
    import docker.errors

    started = time.monotonic()
    log_dir.mkdir(parents=True, exist_ok=True)
    say(f"building {build.tag} from {build.base} with {len(build.packages)} package(s)")
    with tempfile.TemporaryDirectory(prefix="aml-dry-run-build-") as context:
        Path(context, "Dockerfile").write_text(build.dockerfile)
        if build.wheelhouse is not None:
            shutil.copytree(build.wheelhouse, Path(context, "wheelhouse"))
        (log_dir / "Dockerfile").write_text(build.dockerfile)
        try:
            client.images.build(
                path=context,
                tag=build.tag,
                rm=True,
                forcerm=True,
                pull=False,
                network_mode="none" if build.wheelhouse else None,
                labels={BUILD_LABEL: build.tag},
            )
        except docker.errors.BuildError as exc:
            # The engine keeps the failed build's layers as dangling images carrying our label.
            client.images.prune(filters={"dangling": True, "label": f"{BUILD_LABEL}={build.tag}"})
            raise DryRunError(_build_failure(exc, log_dir)) from None
    say(f"built {build.tag} in {time.monotonic() - started:.1f}s")


def _build_failure(exc: Any, log_dir: Path) -> str:
    """One line: the engine's reason and pip's last words; the whole log goes to build.log."""
    # Docker colours the build's stderr; the log and the message get plain text.
    lines = [_ANSI.sub("", str(item.get("stream", ""))) for item in exc.build_log if isinstance(item, dict)]
    log_path = log_dir / "build.log"
    log_path.write_text("".join(lines))
    errors = [line.strip() for line in "".join(lines).splitlines() if line.strip().startswith("ERROR")]
    reason = " ".join(str(exc.msg).split())
    detail = f"; {' '.join(errors[-2:])}" if errors else ""
    return f"image build failed: {reason}{detail} (full log: {log_path})"


class _EngineLost(Exception):
    """The engine stopped answering while the job ran."""


ENGINE_LOST = 137  # what a waiter reports when it cannot tell; the runner then asks the engine


def _wait_code(container: Any) -> int:
    try:
        return int(container.wait()["StatusCode"])
    except Exception:  # removed under us (interrupt), or the engine is gone: the runner tells which
        return ENGINE_LOST
