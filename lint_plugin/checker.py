"""Check one file of any kind the CLI handles: Python source, notebook, or requirements file.

Every way a file can be unreadable ends as one :class:`AnalysisError` line, never a traceback.
"""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass, field

from .analysis import PYTHON_CODES, mentions_azureml
from .engine import analyze_source
from .findings import AnalysisError, Finding
from .fix.plan import DEFAULT_ENV_STYLE, DEFAULT_TARGET
from .noqa import file_is_exempt, without_suppressed
from .requirements import check_requirements, is_requirements_file


@dataclass
class FileReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[AnalysisError] = field(default_factory=list)
    env_style: str = DEFAULT_ENV_STYLE  # how the findings' fixes were planned (SARIF's fixes follow them)
    target: str = DEFAULT_TARGET


def is_checkable(name: str) -> bool:
    return name.endswith((".py", ".ipynb")) or is_requirements_file(name)


def check_file(path: str, enabled: frozenset[str], env_style: str = DEFAULT_ENV_STYLE,
               target: str = DEFAULT_TARGET) -> FileReport:
    """The file's findings, each with what ``aml-migrate fix --env-style ENV_STYLE --target TARGET`` does
    with it."""
    report = FileReport(path, env_style=env_style, target=target)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        report.errors.append(AnalysisError(f"cannot read: {error.strerror or error}"))
        return report
    name = os.path.basename(path)
    if is_requirements_file(name) and "AML501" in enabled:
        text = _decode(data, report)
        if text is not None:
            report.findings.extend(check_requirements(text))
    if name.endswith(".ipynb"):
        _check_notebook(data, enabled, report, env_style, target)
    elif name.endswith(".py") and mentions_azureml(data) and enabled & PYTHON_CODES:
        text = _decode(data, report)
        if text is not None and not file_is_exempt(text):
            analysis = analyze_source(text, path, enabled, env_style=env_style, target=target)
            report.errors.extend(analysis.errors)
            report.findings.extend(without_suppressed(analysis.findings, text.splitlines()))
    report.findings.sort(key=lambda f: (f.cell or 0, f.line, f.column, f.code))
    return report


def _decode(data: bytes, report: FileReport) -> str | None:
    """Decode as Python does: a BOM or a coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding).removeprefix("\ufeff")
    except (SyntaxError, LookupError) as error:
        report.errors.append(AnalysisError(f"cannot decode: {error}"))
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.errors.append(AnalysisError(f"not valid {error.encoding} text at line {line}", line=line))
    except UnicodeError as error:  # codecs such as 'undefined' or 'punycode' fail without a position
        report.errors.append(AnalysisError(f"cannot decode: {error}"))
    return None


def _check_notebook(data: bytes, enabled: frozenset[str], report: FileReport, env_style: str, target: str) -> None:
    from .notebooks import NotebookError, read_notebook, virtual_module

    try:
        text = data.decode("utf-8-sig")
        if not text.strip():
            raise NotebookError("empty file, not a notebook")
        notebook = read_notebook(text)
    except UnicodeDecodeError as error:
        report.errors.append(AnalysisError(f"not valid UTF-8 at byte {error.start}"))
        return
    except NotebookError as error:
        report.errors.append(AnalysisError(str(error)))
        return
    module = virtual_module(notebook)
    report.errors.extend(module.errors)
    if not mentions_azureml(module.source) or file_is_exempt(module.source):
        return
    analysis = analyze_source(module.source, report.path, enabled, env_style=env_style, target=target)
    report.errors.extend(analysis.errors)
    kept = without_suppressed(analysis.findings, module.source.splitlines())
    report.findings.extend(module.map_finding(finding) for finding in kept)
