"""Which files a run checks: the paths given, directories walked for Python, notebooks and
requirements files, minus default excludes, ``--exclude`` patterns and ``.gitignore`` (gitignore
syntax, through pathspec, imported only when there is a pattern to match)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import translate
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

DEFAULT_EXCLUDES = (".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "node_modules",
                    ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache", ".aml-dry-run", "build", "dist",
                    "*.egg-info", "site-packages")
# One pattern for all of them: walking a large tree tests every file and folder name against it.
_DEFAULT_EXCLUDED = re.compile("|".join(f"(?:{translate(pattern)})" for pattern in DEFAULT_EXCLUDES))


@dataclass(frozen=True)
class Unreadable:
    path: str
    reason: str


def _spec(patterns: list[str]) -> pathspec.PathSpec | None:
    if not patterns:
        return None
    import pathspec

    return pathspec.PathSpec.from_lines("gitwildmatch", patterns)


def _gitignore(directory: str) -> pathspec.PathSpec | None:
    if not os.path.isfile(os.path.join(directory, ".gitignore")):
        return None
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8") as handle:
            return _spec(handle.read().splitlines())
    except (OSError, UnicodeDecodeError):
        return None


def discover(paths: list[str], excludes: list[str], wanted: Callable[[str], bool]) -> Iterator[str | Unreadable]:
    """Yield files to check, in a stable order, and an :class:`Unreadable` for what cannot be walked."""
    excluded = _spec(excludes)
    for path in paths:
        if not os.path.lexists(path):
            yield Unreadable(path, "no such file or directory")
        elif os.path.isdir(path):
            yield from _walk(path, excluded, wanted)
        else:
            try:
                os.stat(path)
            except OSError as error:
                yield Unreadable(path, error.strerror or str(error))
                continue
            yield path  # a file named explicitly is checked whatever its name


def _walk(root: str, excluded: pathspec.PathSpec | None, wanted: Callable[[str], bool]) -> Iterator[str | Unreadable]:
    ignores: list[tuple[str, pathspec.PathSpec]] = []
    errors: list[OSError] = []
    for directory, subdirs, files in os.walk(root, onerror=errors.append):
        while errors:
            failed = errors.pop()
            yield Unreadable(failed.filename or directory, failed.strerror or str(failed))
        ignore = _gitignore(directory)
        if ignore is not None:
            ignores.append((directory, ignore))
        subdirs[:] = sorted(d for d in subdirs if not _skipped(os.path.join(directory, d), root, excluded,
                                                               ignores, is_dir=True))
        for name in sorted(files):
            path = os.path.join(directory, name)
            if wanted(name) and not _skipped(path, root, excluded, ignores, is_dir=False):
                yield path
    for failed in errors:
        yield Unreadable(failed.filename or root, failed.strerror or str(failed))


def _skipped(path: str, root: str, excluded: pathspec.PathSpec | None,
             ignores: list[tuple[str, pathspec.PathSpec]], is_dir: bool) -> bool:
    if _DEFAULT_EXCLUDED.match(os.path.basename(path)):
        return True
    suffix = "/" if is_dir else ""
    if excluded is not None and excluded.match_file(os.path.relpath(path, root) + suffix):
        return True
    return any(spec.match_file(os.path.relpath(path, base) + suffix)
               for base, spec in ignores if path.startswith(base + os.sep))
