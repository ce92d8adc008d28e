"""Where the submit script runs in capture mode: a container with no network, or a subprocess with a
clean environment (and its own network namespace when `unshare` allows one). Either way: a time
limit, output shown line by line, and nothing left running afterwards.

A sandbox sees three folders: the copy of the project tree (writable: the script may write files), the
capture payload (read-only) and the records folder (writable). The container sees the tree at the
project's own path, so paths the script computes are the user's paths."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol, TextIO

from .waiting import INTERRUPT_EXIT, TIMEOUT_EXIT, say, wait_all

PREFIX = "[submit] "
_PAYLOAD_INSIDE = "/azureml-dryrun-capture"
_RECORDS_INSIDE = "/azureml-dryrun-capture-records"


@dataclass
class Folders:
    """The host folders of one capture; `root` is the project folder the tree was copied from."""

    root: Path
    tree: Path
    payload: Path
    records: Path


class Sandbox(Protocol):
    description: str

    def inside(self, folders: Folders) -> tuple[Path, str, str]:
        """Where the sandbox sees the tree, the payload and the records."""

    def run(self, folders: Folders, cwd: Path, env: dict[str, str], timeout: int, err: TextIO) -> int:
        """The bootstrap's exit code; `TimeoutError` past the limit, `KeyboardInterrupt` on Ctrl-C."""


def _wait(waiter: Callable[[], int], kill: Callable[[], None], timeout: int) -> int:
    killed = []

    def stop() -> None:
        killed.append(True)
        kill()

    code = wait_all([waiter], stop, timeout, "--capture-timeout", "")
    if killed and code == TIMEOUT_EXIT:
        raise TimeoutError(timeout)
    if killed and code == INTERRUPT_EXIT:
        raise KeyboardInterrupt
    return code


def _pump(lines: Iterable[bytes], err: TextIO) -> threading.Thread:
    def pump() -> None:
        try:
            for line in lines:
                err.write(PREFIX + line.decode(errors="replace").rstrip("\n") + "\n")
                err.flush()
        except Exception:  # the stream ended under us (killed, engine gone): the wait reports it
            return

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def _lines(chunks: Iterable[bytes]) -> Iterable[bytes]:
    """Whole lines from a stream of chunks (the Docker API streams whatever it has)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from complete
    if pending:
        yield pending


class ProcessSandbox:
    """`python bootstrap.py` in a clean environment, its own session, and its own network namespace
    when possible; the sandbox's paths are the host's paths of the copy."""

    def __init__(self, python: str, notes: list[str]) -> None:
        self.python = python
        self.isolation = _network_namespace()
        if not self.isolation:
            notes.append("no network namespace available (unshare): the submit script's Python cannot "
                         "open connections, but programs it starts could")
        isolated = " in its own network namespace" if self.isolation else ""
        self.description = f"subprocess {python}{isolated}"

    def inside(self, folders: Folders) -> tuple[Path, str, str]:
        return folders.tree, str(folders.payload), str(folders.records)

    def run(self, folders: Folders, cwd: Path, env: dict[str, str], timeout: int, err: TextIO) -> int:
        home = folders.records.parent / "home"
        home.mkdir(exist_ok=True)
        path = os.pathsep.join([str(Path(self.python).parent), os.defpath.strip(os.pathsep)])
        process = subprocess.Popen(
            [*self.isolation, self.python, str(folders.payload / "bootstrap.py"),
             str(folders.payload / "config.json")],
            cwd=cwd,
            env={"PATH": path, "HOME": str(home), "TMPDIR": str(home), **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a kill reaches whatever the script started
        )
        assert process.stdout is not None
        thread = _pump(iter(process.stdout.readline, b""), err)

        def kill() -> None:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

        try:
            return _wait(process.wait, kill, timeout)
        finally:
            kill()
            thread.join(timeout=5)


def _network_namespace() -> list[str]:
    """`unshare -rn` when this machine lets an unprivileged process have its own network."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    try:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [unshare, "-rn"] if probe.returncode == 0 else []


class ContainerSandbox:
    """The bootstrap in a container of the capture image: no network, an init process, the caller's
    uid, and the three folders mounted; the container is always removed."""

    def __init__(self, client: Any, image: str, label: tuple[str, str]) -> None:
        self.client = client
        self.image = image
        self.label = label
        self.description = f"container {image}, no network"

    def inside(self, folders: Folders) -> tuple[Path, str, str]:
        return folders.root, _PAYLOAD_INSIDE, _RECORDS_INSIDE

    def run(self, folders: Folders, cwd: Path, env: dict[str, str], timeout: int, err: TextIO) -> int:
        import docker.errors

        from .engine import is_rootless

        uid, gid = os.getuid(), os.getgid()
        container = self.client.containers.create(
            image=self.image,
            name=f"aml-dryrun-capture-{secrets.token_hex(3)}",
            command=["/bin/sh", "-c", 'exec "$(command -v python || command -v python3)" '
                     f"{_PAYLOAD_INSIDE}/bootstrap.py {_PAYLOAD_INSIDE}/config.json"],
            environment={"HOME": "/tmp", **env},
            volumes={
                str(folders.tree): {"bind": str(folders.root), "mode": "rw,Z"},
                str(folders.payload): {"bind": _PAYLOAD_INSIDE, "mode": "ro,Z"},
                str(folders.records): {"bind": _RECORDS_INSIDE, "mode": "rw,Z"},
            },
            working_dir=str(cwd),
            network_mode="none",
            init=True,
            user="0:0" if is_rootless(self.client) else f"{uid}:{gid}",
            labels={self.label[0]: self.label[1]},
            detach=True,
        )
        try:
            container.start()
            thread = _pump(_lines(container.logs(stream=True, follow=True)), err)

            def kill() -> None:
                try:
                    container.kill()
                except docker.errors.APIError:
                    pass  # already stopped

            try:
                return _wait(lambda: int(container.wait()["StatusCode"]), kill, timeout)
            finally:
                thread.join(timeout=5)
        finally:
            try:
                container.remove(force=True)
            except docker.errors.APIError as exc:
                say(f"could not remove container {container.name}: {exc}")
