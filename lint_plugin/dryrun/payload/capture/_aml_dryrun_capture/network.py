"""No network for the submit script: every connection and name lookup made from Python fails at once.

An audit hook cannot be removed by the code it watches. It does not reach child processes: the
container's `--network=none` or the subprocess sandbox's network namespace does that."""

import errno
import sys

_BLOCKED = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg",
})
MESSAGE = "network access is disabled in the aml-migrate dry-run capture sandbox"


def _hook(event, args):
    if event in _BLOCKED:
        raise OSError(errno.ENETUNREACH, MESSAGE)


def block():
    sys.addaudithook(_hook)
