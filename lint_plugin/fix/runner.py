"""What ``aml-migrate fix`` does with files: read, fix, write atomically, report."""

from __future__ import annotations

import difflib
import io
import os
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from ..atomic import write_atomically
from ..discovery import Unreadable, discover
from .command import EXIT_CHANGES, EXIT_CLEAN, EXIT_ERROR
from .plan import DEFAULT_TARGET
from .result import FixResult


@dataclass
class _Summary:
    changed: list[str] = field(default_factory=list)
    per_rule: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)  # "path:line: CODE behaviour change"
    manual: int = 0
    failed: bool = False


def _wanted(name: str) -> bool:
    return name.endswith((".py", ".ipynb"))


# Below this many files a process pool costs more than it saves (as for ``check``).
PARALLEL_THRESHOLD = 48


def run_fix(paths: list[str], *, diff: bool, check: bool, safe_only: bool, env_style: str, excludes: list[str],
            out: TextIO, err: TextIO, jobs: int = 0, target: str = DEFAULT_TARGET) -> int:
    summary = _Summary()
    items = list(discover(paths, excludes, _wanted))
    files = [item for item in items if not isinstance(item, Unreadable)]
    workers = jobs or (min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_THRESHOLD else 1)
    options = dict(diff=diff or check, show_diff=diff, safe_only=safe_only, env_style=env_style, target=target)
    if workers <= 1 or len(files) < 2:
        for item in items:
            if isinstance(item, Unreadable):
                print(f"{item.path}: cannot read: {item.reason}", file=err)
                summary.failed = True
                continue
            _fix_file(item, summary, out=out, err=err, **options)  # type: ignore[arg-type]
    else:
        _fix_in_pool(items, files, summary, workers, options, out=out, err=err)
    _report(summary, out, written=not (diff or check))
    if summary.failed:
        return EXIT_ERROR
    if diff or check:
        return EXIT_CHANGES if summary.changed else EXIT_CLEAN
    return EXIT_CHANGES if summary.manual else EXIT_CLEAN  # findings remain, as `check` would say


def _fix_in_pool(items: list[str | Unreadable], files: list[str], summary: _Summary, workers: int,
                 options: dict[str, object], *, out: TextIO, err: TextIO) -> None:
    """Files fixed (and written, each atomically) by worker processes; their reports are merged in
    the order of ``items``, so the output is the serial run's, byte for byte, stream by stream."""
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from . import fix_notebook, fix_source  # noqa: F401  imported before the fork, so workers share them

    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = iter(pool.map(partial(_fix_isolated, options=options), files, chunksize=4))
        for item in items:
            if isinstance(item, Unreadable):
                print(f"{item.path}: cannot read: {item.reason}", file=err)
                summary.failed = True
                continue
            part, printed, complained = next(results)
            out.write(printed)
            err.write(complained)
            summary.changed += part.changed
            summary.per_rule.update(part.per_rule)
            summary.changes += part.changes
            summary.manual += part.manual
            summary.failed = summary.failed or part.failed


def _fix_isolated(path: str, options: dict[str, object]) -> tuple[_Summary, str, str]:
    """One file in a worker: its own summary and what it would have printed."""
    summary, out, err = _Summary(), io.StringIO(), io.StringIO()
    _fix_file(path, summary, out=out, err=err, **options)  # type: ignore[arg-type]
    return summary, out.getvalue(), err.getvalue()


def _fix_file(path: str, summary: _Summary, *, diff: bool, show_diff: bool, safe_only: bool, env_style: str,
              target: str, out: TextIO, err: TextIO) -> None:
    from . import fix_notebook, fix_source

    try:
        with open(path, "rb") as handle:
            data = handle.read()
        text, encoding = _decode(data, notebook=path.endswith(".ipynb"))
    except (OSError, SyntaxError, LookupError, UnicodeError) as error:
        print(f"{path}:1: cannot read: {error}", file=err)
        summary.failed = True
        return
    fixer = fix_notebook if path.endswith(".ipynb") else fix_source
    try:
        result: FixResult = fixer(text, env_style=env_style, safe_only=safe_only, target=target)
    except Exception as error:  # one file's internal error must not stop the run or touch the file
        print(f"{path}:1: not fixed: internal error ({type(error).__name__}: {error}); please report it", file=err)
        summary.failed = True
        return
    for error in result.errors:
        where = f"cell {error.cell}, " if error.cell is not None else ""
        print(f"{path}:{error.line or 1}: {where}not fixed: {error.message}", file=err)
        summary.failed = True
    _count(path, result, summary)
    if not result.changed:
        return
    summary.changed.append(path)
    if show_diff:
        out.writelines(unified_diff(text, result.source, path))
    if not diff:
        write_atomically(path, result.source.encode(encoding))


def unified_diff(old: str, new: str, path: str) -> list[str]:
    """``diff -u`` of two texts, with patch's marker after a last line that has no newline (otherwise
    the next line of the diff would run on from it)."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     f"a/{path}", f"b/{path}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return lines


def _decode(data: bytes, *, notebook: bool) -> tuple[str, str]:
    if notebook:
        return data.decode("utf-8"), "utf-8"
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def _count(path: str, result: FixResult, summary: _Summary) -> None:
    for fix in result.applied:
        summary.per_rule[fix.code] += 1
        where = f"{path}:{fix.line}" if fix.cell is None else f"{path}:cell {fix.cell}:{fix.line}"
        summary.changes += [f"{where}: {fix.code} {change}" for change in fix.changes]
    summary.manual += len(result.manual)
    for item in result.manual:
        where = f"{path}:{item.line}" if item.cell is None else f"{path}:cell {item.cell}:{item.line}"
        summary.changes.append(f"{where}: {item.code} left manual: {item.reason}")


def _report(summary: _Summary, out: TextIO, *, written: bool) -> None:
    verb = "fixed" if written else "would fix"
    rules = ", ".join(f"{code} x{count}" for code, count in sorted(summary.per_rule.items())) or "none"
    print(f"{verb} {len(summary.changed)} file(s); fixes per rule: {rules}; left manual: {summary.manual}", file=out)
    for line in summary.changes:
        print(f"  {line}", file=out)
