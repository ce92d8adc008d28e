"""One run of the checker over the paths a command was given, as ``check`` and ``report`` share it:
the nearest configuration, the files discovered, each checked (in worker processes when there are
many), and ``per-file-ignores`` applied."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from .checker import FileReport, check_file, is_checkable
from .config import Config, ConfigError, load_config
from .discovery import Unreadable, discover
from .findings import AnalysisError
from .rules import unknown_codes

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 48


class UsageError(ValueError):
    """A command line that cannot run; the message is one line."""


@dataclass
class CheckRun:
    config: Config
    enabled: frozenset[str]
    files: list[str]  # the files checked, as discovered
    reports: list[FileReport]  # one per file checked or path that could not be read


def check_paths(paths: list[str], select: list[str] | None, ignore: list[str] | None, excludes: list[str],
                jobs: int = 0, extend_select: list[str] | None = None) -> CheckRun:
    """Raises :class:`UsageError` or :class:`~lint_plugin.config.ConfigError` before checking anything."""
    unknown = unknown_codes((select or []) + (ignore or []) + (extend_select or []))
    if unknown:
        raise UsageError(f"unknown rule code(s): {', '.join(unknown)}")
    # the configuration nearest to what is checked, as other linters find theirs
    config = load_config(os.path.commonpath([os.path.abspath(path) for path in paths]))
    enabled = config.enabled(select, ignore, extend_select)
    reports: list[FileReport] = []
    files: list[str] = []
    for item in discover(paths, excludes, is_checkable):
        if isinstance(item, Unreadable):
            reports.append(FileReport(item.path, errors=[AnalysisError(f"cannot read: {item.reason}")]))
        elif not config.is_excluded(item):
            files.append(item)
    for report in _check_all(files, enabled, jobs, partial(check_file, env_style=config.env_style,
                                                           target=config.target)):
        report.findings = config.kept(report.path, report.findings)
        reports.append(report)
    return CheckRun(config, enabled, files, reports)


def _check_all(files: list[str], enabled: frozenset[str], jobs: int,
               check: Callable[..., FileReport]) -> list[FileReport]:
    workers = jobs or (min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_THRESHOLD else 1)
    if workers <= 1 or len(files) < 2:
        return [check(path, enabled) for path in files]
    from concurrent.futures import ProcessPoolExecutor

    _import_before_forking(files)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(partial(check, enabled=enabled), files, chunksize=8))


def _import_before_forking(files: list[str]) -> None:
    """What every worker would otherwise import on its first file of a kind, imported once here."""
    from .fix import planner  # noqa: F401
    from .requirements import is_requirements_file, load_version_parsing

    if any(path.endswith(".ipynb") for path in files):
        from . import notebooks  # noqa: F401
    if any(is_requirements_file(os.path.basename(path)) for path in files):
        load_version_parsing()


__all__ = ["CheckRun", "ConfigError", "UsageError", "check_paths"]
