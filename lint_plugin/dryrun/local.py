"""`--engine local`: the same launcher and node specs, run as subprocesses on this machine.
No isolation: no image, no read-only snapshot, no network limits."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import IO, TextIO

from .engine import INTERRUPT_EXIT, TIMEOUT_EXIT
from .plan import Plan


class LocalRunner:
    def __init__(self, plan: Plan, out: TextIO) -> None:
        self.plan = plan
        self.out = out
        self.processes: list[subprocess.Popen[bytes]] = []

    def say(self, message: str) -> None:
        print(f"dry-run: {message}", file=sys.stderr, flush=True)

    def run(self) -> int:
        threads = []
        for call in self.plan.calls:
            # A session of its own, so a kill reaches the launcher and every rank it started.
            process = subprocess.Popen(call["argv"], cwd=call["cwd"], env={**os.environ, **call["environment"]},
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
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
        results: queue.Queue[tuple[int, int]] = queue.Queue()
        for index, process in enumerate(self.processes):
            threading.Thread(target=lambda i=index, p=process: results.put((i, p.wait())), daemon=True).start()
        deadline = None if self.plan.timeout is None else time.monotonic() + self.plan.timeout
        failure = 0
        try:
            for _ in self.processes:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                try:
                    index, code = results.get(timeout=remaining)
                except queue.Empty:
                    self._kill()
                    self.say(f"time limit of {self.plan.timeout}s reached ({self.plan.timeout_reason}): job killed")
                    return TIMEOUT_EXIT
                code = code if code >= 0 else 128 - code
                if code != 0 and not failure:
                    failure = code
                    if len(self.processes) > 1:
                        self.say(f"node {index} exited with {code}: stopping the other nodes")
                        self._kill()
        except KeyboardInterrupt:
            self._kill()
            self.say("interrupted: job killed")
            return INTERRUPT_EXIT
        return failure

    def _kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
