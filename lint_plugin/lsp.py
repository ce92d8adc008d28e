"""``aml-migrate lsp``: a Language Server (pygls, over stdio) for editors.

Publishes the checker's findings as diagnostics when a Python file or a notebook is opened, changed
or saved, and offers the fixer's rewrites as code actions: one quick fix per fixable finding (in a
Python file or a notebook cell), "fix all" for a file or a notebook, and a safe-only
``source.fixAll.aml-migrate`` that editors may run on save. Notebooks are analysed as one module across their cells, as ``check``
does, and each cell gets its own diagnostics.

This module imports pygls at load time: only ``aml-migrate lsp`` imports it (pygls is the ``lsp``
extra). Nothing a client sends may stop the server: every handler turns a failure into a log line.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from . import __version__
from .config import Config, ConfigError, load_config
from .findings import Finding, character_column

if TYPE_CHECKING:
    from .fix.result import FixResult

SOURCE = "aml-migrate"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"

T = TypeVar("T")


class AmlMigrateServer(LanguageServer):
    def __init__(self) -> None:
        # Any notebook type ("*"), Python cells only; the notebook is named explicitly because
        # lsprotocol's converter cannot read a selector without one back.
        cells = [types.NotebookDocumentFilterWithNotebook(
            notebook="*", cells=[types.NotebookCellLanguage(language="python")])]
        notebooks = types.NotebookDocumentSyncOptions(notebook_selector=cells, save=True)
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=notebooks)
        self._reported_config_errors: set[str] = set()

    def config_for(self, uri: str) -> Config:
        """The document's project configuration; a broken one is reported once and then ignored."""
        try:
            return load_config(_path(uri))
        except ConfigError as error:
            if str(error) not in self._reported_config_errors:
                self._reported_config_errors.add(str(error))
                self.window_show_message(types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"aml-migrate: {error} (using the defaults)"))
            return Config()


def _path(uri: str) -> str:
    return to_fs_path(uri) or uri


def _guarded(default: Callable[[], T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Log and swallow any failure of a handler: one bad document must not take the server down."""
    def decorate(handler: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(handler)
        def run(server: AmlMigrateServer, params: Any) -> T:
            try:
                return handler(server, params)
            except Exception as error:  # noqa: BLE001 - the editor session must go on
                server.window_log_message(types.LogMessageParams(
                    type=types.MessageType.Error, message=f"aml-migrate: {handler.__name__} failed: {error!r}"))
                return default()
        return run
    return decorate


# ---------------------------------------------------------------------------------------- analysis

def python_findings(source: str, path: str, config: Config) -> list[Finding]:
    """What ``aml-migrate check`` reports for this text: config, noqa and file-level noqa applied.

    Source that does not parse has no findings (the editor's Python support shows the error)."""
    from .engine import analyze_source
    from .noqa import file_is_exempt, without_suppressed

    if config.is_excluded(path) or file_is_exempt(source):
        return []
    analysis = analyze_source(source, path, config.enabled_for(path, config.enabled()), env_style=config.env_style,
                              target=config.target)
    return without_suppressed(analysis.findings, source.splitlines())


def notebook_findings(cells: Sequence[tuple[bool, str]], path: str, config: Config) -> list[Finding]:
    """Findings of a notebook given as (is code, text) per cell; ``cell`` is the index in ``cells``."""
    from .engine import analyze_source
    from .noqa import file_is_exempt, without_suppressed
    from .notebooks import virtual_module

    module = virtual_module({"cells": [{"cell_type": "code" if code else "markdown", "source": text}
                                       for code, text in cells]})
    if config.is_excluded(path) or file_is_exempt(module.source):
        return []
    analysis = analyze_source(module.source, path, config.enabled_for(path, config.enabled()),
                              env_style=config.env_style, target=config.target)
    kept = without_suppressed(analysis.findings, module.source.splitlines())
    return [module.map_finding(finding) for finding in kept]


def _client_position(document: TextDocument, line: int, byte_column: int) -> types.Position:
    """ast's (1-based line, UTF-8 byte column) -> the client's position units."""
    from pygls.workspace.position_codec import ServerTextPosition

    lines = document.lines
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    character = character_column(text, byte_column)
    return document.position_to_client_units(ServerTextPosition(line=line - 1, character=character))


def diagnostic(document: TextDocument, finding: Finding) -> types.Diagnostic:
    start = _client_position(document, finding.line, finding.column)
    end = _client_position(document, finding.end_line, finding.end_column)
    return types.Diagnostic(
        range=types.Range(start=start, end=end), message=finding.text, severity=types.DiagnosticSeverity.Warning,
        code=finding.code, source=SOURCE,
        data={"symbol": finding.symbol, "fix": finding.fix.applicability if finding.fix else None})


# ------------------------------------------------------------------------------------- diagnostics

def publish_document(server: AmlMigrateServer, uri: str) -> None:
    notebook = server.workspace.get_notebook_document(cell_uri=uri)
    if notebook is not None:
        publish_notebook(server, notebook.uri)
        return
    document = server.workspace.get_text_document(uri)
    if not _is_python(document):
        return
    findings = python_findings(document.source, _path(uri), server.config_for(uri))
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=uri, version=document.version, diagnostics=[diagnostic(document, f) for f in findings]))


def _is_python(document: TextDocument) -> bool:
    return document.language_id == "python" or document.uri.endswith((".py", ".pyi"))


@dataclass(frozen=True)
class _Cell:
    uri: str
    code: bool
    document: TextDocument


def _cells(server: AmlMigrateServer, notebook: types.NotebookDocument) -> list[_Cell]:
    cells = []
    for cell in notebook.cells:
        document = server.workspace.get_text_document(cell.document)
        code = cell.kind == types.NotebookCellKind.Code and document.language_id in ("python", None)
        cells.append(_Cell(cell.document, code, document))
    return cells


def publish_notebook(server: AmlMigrateServer, notebook_uri: str) -> None:
    notebook = server.workspace.get_notebook_document(notebook_uri=notebook_uri)
    if notebook is None:
        return
    cells = _cells(server, notebook)
    findings = notebook_findings([(c.code, c.document.source) for c in cells], _path(notebook_uri),
                                 server.config_for(notebook_uri))
    for index, cell in enumerate(cells):  # every cell, so fixed ones lose their old diagnostics
        mine = [diagnostic(cell.document, f) for f in findings if f.cell == index]
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=cell.uri, version=cell.document.version, diagnostics=mine))


# ------------------------------------------------------------------------------------ code actions

def _whole(document: TextDocument) -> types.Range:
    return types.Range(start=types.Position(line=0, character=0),
                       end=types.Position(line=len(document.lines), character=0))


def _edit(document: TextDocument, new_source: str) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version),
        edits=[types.TextEdit(range=_whole(document), new_text=new_source)])])


def _wanted(params: types.CodeActionParams, kind: str) -> bool:
    only = params.context.only
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _touches(finding: Finding, document: TextDocument, wanted: types.Range) -> bool:
    start = _client_position(document, finding.line, finding.column)
    end = _client_position(document, finding.end_line, finding.end_column)
    return (start.line, start.character) <= (wanted.end.line, wanted.end.character) and \
        (wanted.start.line, wanted.start.character) <= (end.line, end.character)


def _matching(diagnostics: Sequence[types.Diagnostic], finding: Finding,
              document: TextDocument) -> list[types.Diagnostic]:
    start = _client_position(document, finding.line, finding.column)
    return [d for d in diagnostics if d.source == SOURCE and d.code == finding.code and d.range.start == start]


def python_actions(server: AmlMigrateServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    from .fix import fix_source
    from .fix.api import fix_finding

    document = server.workspace.get_text_document(params.text_document.uri)
    if not _is_python(document):
        return []
    config = server.config_for(document.uri)
    findings = python_findings(document.source, _path(document.uri), config)
    fixable = [f for f in findings if f.fix and f.fix.applicability != "manual"]
    if not fixable:
        return []
    actions = []
    if _wanted(params, types.CodeActionKind.QuickFix):
        for finding in (f for f in fixable if _touches(f, document, params.range)):
            fixed = fix_finding(document.source, finding, env_style=config.env_style, target=config.target)
            if fixed is not None:
                new_source, outcome = fixed
                actions.append(types.CodeAction(
                    title=f"aml-migrate: fix {finding.code} ({outcome.applicability}): {outcome.summary}",
                    kind=types.CodeActionKind.QuickFix, is_preferred=outcome.applicability == "safe",
                    diagnostics=_matching(params.context.diagnostics, finding, document),
                    edit=_edit(document, new_source)))
        if actions:  # next to the quick fixes, as ruff and eslint offer it
            everything = fix_source(document.source, env_style=config.env_style, target=config.target)
            if everything.changed:
                actions.append(types.CodeAction(title="aml-migrate: fix all in file",
                                                kind=types.CodeActionKind.QuickFix,
                                                edit=_edit(document, everything.source)))
    if _wanted(params, FIX_ALL_KIND) and params.context.only:  # asked for explicitly, e.g. on save
        safe = fix_source(document.source, env_style=config.env_style, safe_only=True, target=config.target)
        if safe.changed:
            actions.append(types.CodeAction(title="aml-migrate: fix all safe fixes in file", kind=FIX_ALL_KIND,
                                            edit=_edit(document, safe.source)))
    return actions


def _notebook_json(cells: Sequence[_Cell]) -> str:
    def cell(item: _Cell) -> dict[str, Any]:
        if not item.code:
            return {"cell_type": "markdown", "metadata": {}, "source": item.document.source}
        return {"cell_type": "code", "metadata": {}, "source": item.document.source, "outputs": [],
                "execution_count": None}
    return json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [cell(c) for c in cells]})


def _notebook_edit(cells: Sequence[_Cell], fixed_json: str) -> types.WorkspaceEdit | None:
    fixed = json.loads(fixed_json)["cells"]
    changes = []
    for cell, new in zip(cells, fixed):
        source = "".join(new["source"]) if isinstance(new["source"], list) else new["source"]
        if source != cell.document.source:
            changes.append(_edit(cell.document, source).document_changes[0])  # type: ignore[index]
    return types.WorkspaceEdit(document_changes=changes) if changes else None


def notebook_actions(server: AmlMigrateServer, notebook: types.NotebookDocument,
                     params: types.CodeActionParams) -> list[types.CodeAction]:
    """A quick fix per finding of the cell asked about, then fix all in the notebook. The fixer plans
    across cells either way (an estimator in one cell may need the workspace of another), so one
    finding's fix may touch other cells too."""
    config = server.config_for(notebook.uri)
    cells = _cells(server, notebook)
    findings = notebook_findings([(c.code, c.document.source) for c in cells], _path(notebook.uri), config)
    fixable = [f for f in findings if f.fix and f.fix.applicability != "manual"]
    if not fixable:
        return []
    actions = []
    if _wanted(params, types.CodeActionKind.QuickFix):
        here = next((i for i, cell in enumerate(cells) if cell.uri == params.text_document.uri), None)
        for finding in fixable:
            if finding.cell == here and _touches(finding, cells[here].document, params.range):
                actions += _notebook_quick_fix(cells, finding, config, params.context.diagnostics)
    for kind, safe_only, title in ((types.CodeActionKind.QuickFix, False, "aml-migrate: fix all in notebook"),
                                   (FIX_ALL_KIND, True, "aml-migrate: fix all safe fixes in notebook")):
        if not _wanted(params, kind) or (kind == FIX_ALL_KIND and not params.context.only):
            continue
        edit = _fixed_notebook(cells, config, safe_only=safe_only)[1]
        if edit is not None:
            diagnostics = [d for d in params.context.diagnostics if d.source == SOURCE]
            actions.append(types.CodeAction(title=title, kind=kind, edit=edit,
                                            diagnostics=diagnostics if kind == types.CodeActionKind.QuickFix else None))
    return actions


def _notebook_quick_fix(cells: Sequence[_Cell], finding: Finding, config: Config,
                        diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    assert finding.cell is not None  # notebook findings always name their cell
    result, edit = _fixed_notebook(cells, config, only=(finding.code, finding.cell, finding.line, finding.column))
    fix = next((f for f in result.applied if (f.code, f.cell, f.line) == (finding.code, finding.cell, finding.line)),
               None)
    if edit is None or fix is None:
        return []
    return [types.CodeAction(title=f"aml-migrate: fix {finding.code} ({fix.applicability}): {fix.summary}",
                             kind=types.CodeActionKind.QuickFix, is_preferred=fix.applicability == "safe",
                             diagnostics=_matching(diagnostics, finding, cells[finding.cell].document), edit=edit)]


def _fixed_notebook(cells: Sequence[_Cell], config: Config, *, safe_only: bool = False,
                    only: tuple[str, int, int, int] | None = None) -> tuple[FixResult, types.WorkspaceEdit | None]:
    """The notebook fixed as the configuration says (with ``target = "v2"`` a quick fix is the
    notebook's whole v2 migration: its cells hang together)."""
    from .fix import fix_notebook

    result = fix_notebook(_notebook_json(cells), env_style=config.env_style, safe_only=safe_only, only=only,
                          target=config.target)
    return result, (_notebook_edit(cells, result.source) if result.changed else None)


# --------------------------------------------------------------------------------------- the server

def build_server() -> AmlMigrateServer:
    server = AmlMigrateServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_guarded(lambda: None)
    def did_open(ls: AmlMigrateServer, params: types.DidOpenTextDocumentParams) -> None:
        publish_document(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_guarded(lambda: None)
    def did_change(ls: AmlMigrateServer, params: types.DidChangeTextDocumentParams) -> None:
        publish_document(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @_guarded(lambda: None)
    def did_save(ls: AmlMigrateServer, params: types.DidSaveTextDocumentParams) -> None:
        publish_document(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_guarded(lambda: None)
    def did_close(ls: AmlMigrateServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    @_guarded(lambda: None)
    def notebook_open(ls: AmlMigrateServer, params: types.DidOpenNotebookDocumentParams) -> None:
        publish_notebook(ls, params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    @_guarded(lambda: None)
    def notebook_change(ls: AmlMigrateServer, params: types.DidChangeNotebookDocumentParams) -> None:
        publish_notebook(ls, params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    @_guarded(lambda: None)
    def notebook_save(ls: AmlMigrateServer, params: types.DidSaveNotebookDocumentParams) -> None:
        publish_notebook(ls, params.notebook_document.uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    @_guarded(list)
    def code_action(ls: AmlMigrateServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        notebook = ls.workspace.get_notebook_document(cell_uri=params.text_document.uri)
        if notebook is not None:
            return notebook_actions(ls, notebook, params)
        return python_actions(ls, params)

    return server


def serve() -> int:
    build_server().start_io()
    return 0
