"""`--engine local`: the same launcher and node specs, run as subprocesses on this machine.
No isolation: no image, no read-only snapshot, no network limits."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from typing import IO, TextIO

from .waiting import wait_all
from .plan import Plan


class LocalRunner:
    def __init__(self, plan: Plan, out: TextIO) -> None:
        self.plan = plan
        self.out = out
        self.processes: list[subprocess.Popen[bytes]] = []

    def run(self) -> int:
        threads = []
        for call in self.plan.calls:
            # A session of its own, so a kill reaches the launcher and every rank it started.
            process = subprocess.Popen(
                call["argv"],
                cwd=call["cwd"],
                env={**os.environ, **call["environment"]},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes.append(process)
            threads.append(self._stream(call["node"], process.stdout))
        try:
            code = self._wait()
        finally:
            self._kill()
        for thread in threads:
            thread.join(timeout=5)
        return code

    def _stream(self, index: int, stream: IO[bytes] | None) -> threading.Thread:
        def pump() -> None:
            assert stream is not None
            with open(self.plan.folder.root / f"node-{index}.log", "ab") as log:
                for line in iter(stream.readline, b""):
                    log.write(line)
                    self.out.write(line.decode(errors="replace"))
                    self.out.flush()

        thread = threading.Thread(target=pump, daemon=True)
        thread.start()
        return thread

    def _wait(self) -> int:
        waiters = [lambda p=process: _exit_code(p.wait()) for process in self.processes]
        return wait_all(waiters, self._kill, self.plan.timeout, self.plan.timeout_reason, "")

    def _kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def _exit_code(code: int) -> int:
    """A process killed by signal N reports -N; shells and engines report 128+N."""
    return code if code >= 0 else 128 - code
