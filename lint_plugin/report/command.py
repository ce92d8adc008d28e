"""``aml-migrate report PATH... [--format html|json] [-o FILE]``: write the report of one check run.

The report shows every finding (a baseline hides nothing here: it is for planning the migration).
"""

from __future__ import annotations

import json
import os
from typing import TextIO

from ..checkrun import CheckRun
from .data import report_data

DEFAULT_HTML = "aml-migrate-report.html"
STDOUT = "-"


class ReportError(ValueError):
    """One line, exit status 2."""


def check_link_template(template: str | None) -> None:
    if template is None:
        return
    try:
        template.format(path="src/job.py", line=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ReportError(f"--link-template takes {{path}} and {{line}} only: {error!s} in {template!r}") from None


def write_report(run: CheckRun, paths: list[str], *, format: str, output: str | None, link_template: str | None,
                 out: TextIO, err: TextIO) -> None:
    target = output or (DEFAULT_HTML if format == "html" else STDOUT)
    data = report_data(run.reports, paths)
    if format == "json":
        text = json.dumps(data, indent=2) + "\n"
    else:
        from .html import render_html

        report_dir = os.path.dirname(os.path.abspath(target)) if target != STDOUT else os.getcwd()
        text = render_html(data, report_dir=report_dir, link_template=link_template)
    if target == STDOUT:
        out.write(text)
        return
    from ..atomic import write_atomically

    try:
        write_atomically(target, text.encode("utf-8"))
    except OSError as error:
        raise ReportError(f"{target}: cannot write: {error.strerror or error}") from None
    totals = data["totals"]
    err.write(f"aml-migrate: wrote {target}: {totals['findings']} findings in {data['files_with_findings']} files "
              f"({totals['safe']} safe, {totals['unsafe']} unsafe, {totals['manual']} manual, "
              f"{totals['hint']} hint only)\n")
