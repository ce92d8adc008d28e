"""``aml-migrate check`` as a CI gate: a run's findings through the baseline (or recorded into a new
one), printed in the chosen format, optionally also written as a SARIF file, and the exit status.

Exit 1 means "the gate is closed": findings the baseline does not record, files that could not be
read, unused ``noqa`` codes when asked, or, with ``--ratchet``, baseline entries that match nothing
any more (the baseline must shrink with the code).
"""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from .baseline import (
    Baseline,
    BaselineError,
    BaselineOutcome,
    apply_baseline,
    load_baseline,
    write_baseline,
)
from .checkrun import CheckRun
from .identity import FindingKey
from .noqa import unused_noqa_in_file
from .output import FORMATS, UnusedByPath, sarif_text

EXIT_CLEAN, EXIT_CLOSED = 0, 1


class GateError(ValueError):
    """Options or files that make the gate unusable; one line, exit status 2."""


def gate(run: CheckRun, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    baseline_file = args.baseline or run.config.baseline_path
    if args.write_baseline is not None:
        return _record(args.write_baseline or baseline_file, run, err)
    if args.ratchet and not baseline_file:
        raise GateError("--ratchet needs a baseline: --baseline FILE, or baseline = \"FILE\" in the configuration")
    unused = _unused_noqa(run) if args.report_unused_noqa else None
    outcome = _apply(baseline_file, run, args.paths, ratchet=args.ratchet) if baseline_file else None
    if args.sarif_file:
        _write_sarif(args.sarif_file, run, unused, outcome)
    FORMATS[args.format](run.reports, out, err, unused, baseline=outcome)
    closed = (any(report.findings or report.errors for report in run.reports) or bool(unused)
              or bool(outcome and outcome.ratchet and outcome.fixed))
    return EXIT_CLOSED if closed and not args.exit_zero else EXIT_CLEAN


def _unused_noqa(run: CheckRun) -> UnusedByPath:
    return {path: items for path in run.files
            if (items := unused_noqa_in_file(path, run.config.enabled_for(path, run.enabled)))}


def _apply(path: str, run: CheckRun, roots: list[str], *, ratchet: bool) -> BaselineOutcome:
    try:
        baseline = load_baseline(path)
    except BaselineError as error:
        raise GateError(str(error)) from None
    outcome = apply_baseline(baseline, run.reports, _scope(baseline, run, roots))
    outcome.ratchet = ratchet
    return outcome


def _scope(baseline: Baseline, run: CheckRun, roots: list[str]):  # type: ignore[no-untyped-def]
    """Which entries this run could have matched: those of a file it checked, or of a file that is gone
    from a directory it checked, for a code it checked there. Checking one file must not call every
    other file's entries fixed."""
    checked = {os.path.abspath(path) for path in run.files}
    directories = [os.path.abspath(root) for root in roots]

    def in_scope(entry: FindingKey) -> bool:
        target = baseline.absolute(entry)
        if target not in checked:
            if os.path.lexists(target):
                return False  # not checked this time: excluded, or outside the paths given
            if not any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in directories):
                return False
        return entry.code in run.config.enabled_for(target, run.enabled)

    return in_scope


def _record(path: str | None, run: CheckRun, err: TextIO) -> int:
    if not path:
        raise GateError("--write-baseline needs a FILE, or baseline = \"FILE\" in the configuration")
    previous = _previous_entries(path)
    try:
        entries = set(write_baseline(path, run.reports))
    except OSError as error:
        raise GateError(f"{path}: cannot write: {error.strerror or error}") from None
    change = f" ({len(entries - previous)} new, {len(previous - entries)} fixed)" if previous is not None else ""
    err.write(f"aml-migrate: wrote {len(entries)} baseline entries to {path}{change}\n")
    errors = [(report.path, error) for report in run.reports for error in report.errors]
    for report_path, error in errors:
        err.write(f"{report_path}: error: {error.message}\n")
    return EXIT_CLOSED if errors else EXIT_CLEAN


def _previous_entries(path: str) -> frozenset[FindingKey] | None:
    """What the baseline at ``path`` holds (None: there is none). Anything else there is never
    overwritten: ``--write-baseline`` takes an optional FILE, so ``--write-baseline src/job.py`` must
    not replace a source file with a baseline."""
    if not os.path.lexists(path):
        return None
    try:
        return load_baseline(path).entries
    except BaselineError:
        raise GateError(f"{path} is not an aml-migrate baseline: not overwriting it (put --write-baseline after "
                        "the paths, or give it the baseline FILE)") from None


def _write_sarif(path: str, run: CheckRun, unused: UnusedByPath | None, outcome: BaselineOutcome | None) -> None:
    from .atomic import write_atomically

    try:
        write_atomically(path, sarif_text(run.reports, unused, outcome).encode("utf-8"))
    except OSError as error:
        raise GateError(f"{path}: cannot write: {error.strerror or error}") from None
