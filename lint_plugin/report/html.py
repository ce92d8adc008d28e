"""The report as one self-contained HTML page, rendered from ``template.html.j2`` with jinja2 (HTML
escaping on by default). The page loads nothing: styles, the SVG chart and the small filter script
are inline, and its Content-Security-Policy forbids every fetch."""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from typing import Any
from urllib.parse import quote

from .chart import folder_chart
from .data import KINDS

KIND_LABELS = {"safe": "safe rewrite", "unsafe": "unsafe rewrite", "manual": "manual", "hint": "hint only"}


def render_html(data: Mapping[str, Any], *, report_dir: str, link_template: str | None = None) -> str:
    """``link_template`` (e.g. ``https://host/org/repo/blob/main/{path}#L{line}``) turns each finding into
    a link to its line; without one, links are relative to ``report_dir``, where the page is written."""
    import jinja2

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True, keep_trailing_newline=True)
    template = environment.from_string(resources.files(__package__).joinpath("template.html.j2")
                                       .read_text(encoding="utf-8"))
    findings = [finding | {"href": _link(finding, report_dir, link_template), "where": _where(finding)}
                for finding in data["findings"]]
    return template.render(data=data, findings=findings, chart=folder_chart(data["folders"]), kinds=KINDS,
                           labels=KIND_LABELS, percent=_percent)


def _link(finding: Mapping[str, Any], report_dir: str, template: str | None) -> str:
    if template:
        return template.format(path=quote(finding["path"]), line=finding["file_line"])
    relative = os.path.relpath(os.path.abspath(finding["path"]), os.path.abspath(report_dir))
    return quote(relative.replace(os.sep, "/"))


def _where(finding: Mapping[str, Any]) -> str:
    if finding["cell"] is None:
        return f"{finding['path']}:{finding['line']}"
    return f"{finding['path']} cell {finding['cell']}:{finding['line']}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"
