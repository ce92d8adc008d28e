"""Engine failures through the real command: a missing image, and the engine socket disappearing while
the job runs. (A failed build is test_dryrun_containers.py::test_failed_build_is_one_clear_line_with_log_kept,
no engine at all test_dryrun_command.py::test_no_engine_is_one_clear_line.)"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from dryrun_helpers import DRY_RUN, LABEL, ROOT, Engine, write_project

pytestmark = pytest.mark.container

SUBMIT = """
    from azureml.core import Environment, ScriptRunConfig
    src = ScriptRunConfig(source_directory="src", script="job.py", environment=Environment("e"))
"""


def _error_lines(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("aml-migrate dry-run: error: ")]


def test_missing_image_is_one_clear_line_and_creates_nothing(
    tmp_path: Path, engine: Engine, container_run
) -> None:
    submit = write_project(tmp_path, SUBMIT, {"job.py": "print('never runs')\n"})
    image = "localhost/aml-dryrun-no-such-image:missing"
    result = container_run([str(submit), "--image", image, "--output", str(tmp_path / "run")], tmp_path)
    assert result.code == 2 and "never runs" not in result.stdout
    [line] = _error_lines(result.stderr)
    assert f"image {image} is not available locally and cannot be pulled" in line
    assert "pass --image IMAGE" in line
    run_id = json.loads((tmp_path / "run" / "plan.json").read_text())["run_id"]
    assert engine.client.containers.list(all=True, filters={"label": f"{LABEL}={run_id}"}) == []


class _Proxy:
    """A unix socket forwarding to the engine's, which the test can cut: the engine 'disappears'."""

    def __init__(self, path: Path, target: str) -> None:
        self.path, self.target = path, target
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(str(path))
        self.server.listen(64)
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def cut(self) -> None:
        self.server.close()
        self.path.unlink()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def test_engine_socket_disappearing_mid_run_is_one_clear_line_naming_what_to_remove(
    tmp_path: Path, engine: Engine
) -> None:
    submit = write_project(tmp_path, SUBMIT, {"job.py": "import time\nprint('started', flush=True)\n"
                                                        "time.sleep(60)\n"})
    assert engine.docker_host.startswith("unix://")
    proxy = _Proxy(tmp_path / "engine.sock", engine.docker_host[len("unix://"):])
    process = subprocess.Popen(
        [*DRY_RUN, str(submit), "--image", engine.image, "--output", str(tmp_path / "run"),
         "--timeout", "60"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DOCKER_HOST": f"unix://{proxy.path}"})
    run_id = None
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "started"
        run_id = json.loads((tmp_path / "run" / "plan.json").read_text())["run_id"]
        proxy.cut()
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 2, stderr
        [line] = _error_lines(stderr)
        label = {"label": f"{LABEL}={run_id}"}
        [name] = [container.name for container in engine.client.containers.list(all=True, filters=label)]
        assert line == ("aml-migrate dry-run: error: lost the connection to the container engine; its "
                        f"containers may still exist: remove them with `docker rm -f {name}`")
        assert "could not remove" not in stderr
    finally:
        process.kill()
        if run_id:
            for container in engine.client.containers.list(all=True, filters={"label": f"{LABEL}={run_id}"}):
                container.remove(force=True)
