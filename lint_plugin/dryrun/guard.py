"""Host paths the dry run refuses to mount or write into: the job is untrusted code."""

from __future__ import annotations

import stat
from pathlib import Path

from .spec import DryRunError

# The whole directory and everything in it: kernel, devices, configuration, runtime sockets.
_SYSTEM_TREES = ("/proc", "/sys", "/dev", "/etc", "/boot", "/run", "/var/run")
# The directory itself (a dataset might legitimately live somewhere below /usr/share or /var/lib).
_SYSTEM_DIRS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/usr/local", "/var", "/opt",
                "/home", "/root", "/srv", "/mnt", "/media", "/tmp", "/var/tmp")


def _resolved(paths: tuple[str, ...]) -> set[Path]:
    return {Path(path).resolve() for path in paths} | {Path(path) for path in paths}


def refuse_system_path(path: Path, option: str) -> None:
    """Refuse `/`, a system directory, anything under /proc, /sys, /dev, /etc, /run, a socket or a
    device, and the home folder as a whole or any folder holding it."""
    path = path.resolve()
    home = Path.home().resolve()
    reason = None
    if path == Path("/"):
        reason = "the root of the file system"
    elif any(path == tree or tree in path.parents for tree in _resolved(_SYSTEM_TREES)):
        reason = "a system location"
    elif path in _resolved(_SYSTEM_DIRS):
        reason = "a system directory"
    elif path == home or path in home.parents:
        reason = "your whole home folder"
    else:
        try:
            mode = path.stat().st_mode
        except OSError:
            mode = None
        if mode is not None and not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            reason = "a socket, device or pipe, not a file or folder"
    if reason:
        sep = "" if option.endswith("=") else " "
        raise DryRunError(f"{option}{sep}{path}: refused, {reason} (give a folder made for the job)")


def refuse_output(output: Path, source_directory: Path) -> None:
    """The run folder may not be a system path, nor sit inside the source folder it snapshots."""
    output = output.resolve()
    refuse_system_path(output, "--output")
    source = source_directory.resolve()
    if output == source or source in output.parents:
        raise DryRunError(
            f"--output {output}: refused, inside the source directory {source} "
            "(the run folder would end up in later snapshots); choose a folder outside it"
        )
    if output in source.parents:
        raise DryRunError(
            f"--output {output}: refused, it contains the source directory {source}; choose an empty folder"
        )


def escapes(link: Path, source_directory: Path) -> bool:
    """Whether a symlink in the source folder points outside it (or nowhere resolvable)."""
    try:
        target = link.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop
        return True
    source = source_directory.resolve()
    return target != source and source not in target.parents
