"""Wait for every node of a job under one time limit; shared by the container and local engines."""

from __future__ import annotations

import queue
import sys
import threading
import time
from typing import Callable

TIMEOUT_EXIT = 124
INTERRUPT_EXIT = 130


def say(message: str) -> None:
    print(f"dry-run: {message}", file=sys.stderr, flush=True)


def wait_all(
    waiters: list[Callable[[], int]],
    kill: Callable[[], None],
    timeout: int | None,
    reason: str,
    cleanup_note: str,
) -> int:
    """The job's exit code: the first failing node's; the others are stopped when one fails, as the
    service fails the whole job. A time limit or Ctrl-C kills every node."""
    results: queue.Queue[tuple[int, int]] = queue.Queue()
    for index, waiter in enumerate(waiters):
        threading.Thread(target=lambda i=index, w=waiter: results.put((i, w())), daemon=True).start()
    deadline = None if timeout is None else time.monotonic() + timeout
    failure = 0
    try:
        for _ in waiters:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                index, code = results.get(timeout=remaining)
            except queue.Empty:
                kill()
                say(f"time limit of {timeout}s reached ({reason}): job killed{cleanup_note}")
                return TIMEOUT_EXIT
            if code != 0 and not failure:
                failure = code
                if len(waiters) > 1:
                    say(f"node {index} exited with {code}: stopping the other nodes")
                    kill()
    except KeyboardInterrupt:
        kill()
        say(f"interrupted: job killed{cleanup_note}")
        return INTERRUPT_EXIT
    return failure
