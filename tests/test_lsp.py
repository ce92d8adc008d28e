"""``aml-migrate lsp`` driven end to end over stdio by pygls' own language client, as an editor would."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from frontends import console_script
from needs import require_module

require_module("pygls", "setup.cfg extra 'lsp'")
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

ESTIMATOR = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""
FIX_ALL = "source.fixAll.aml-migrate"
WAIT = 120  # seconds: only a guard against a hung server, never a speed assertion


class Session:
    """The client side of one server process: what it published and said, and helpers to talk to it."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.inbox: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.latest: dict[str, list[types.Diagnostic]] = {}
        self.messages: list[str] = []
        self.capabilities: types.ServerCapabilities | None = None
        self.versions: dict[str, int] = {}

    async def published(self, uri: str) -> list[types.Diagnostic]:
        """Wait for the next diagnostics the server publishes for ``uri``."""
        while True:
            params = await asyncio.wait_for(self.inbox.get(), WAIT)
            self.latest[params.uri] = list(params.diagnostics)
            if params.uri == uri:
                return self.latest[uri]

    def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def actions(self, uri: str, diagnostics: list[types.Diagnostic], only: list[str] | None = None,
                      at: types.Range | None = None) -> list[types.CodeAction]:
        where = at or (diagnostics[0].range if diagnostics else types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)))
        result = await asyncio.wait_for(self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=where,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only))), WAIT)
        return [action for action in result or [] if isinstance(action, types.CodeAction)]


CLIENT_CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(),
        code_action=types.CodeActionClientCapabilities(code_action_literal_support=types.ClientCodeActionLiteralOptions(
            code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "source.fixAll"])))),
    notebook_document=types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()),
    workspace=types.WorkspaceClientCapabilities(workspace_edit=types.WorkspaceEditClientCapabilities(
        document_changes=True)))


@contextlib.asynccontextmanager
async def language_server(cwd: Path) -> AsyncIterator[Session]:
    client = LanguageClient("aml-migrate-tests", "1")
    session = Session(client)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        session.inbox.put_nowait(params)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_message(params: types.ShowMessageParams) -> None:
        session.messages.append(params.message)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(params: types.LogMessageParams) -> None:
        session.messages.append(params.message)

    await client.start_io(console_script(), "lsp", cwd=str(cwd))
    result = await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=CLIENT_CAPABILITIES, process_id=os.getpid(), root_uri=cwd.as_uri())), WAIT)
    session.capabilities = result.capabilities
    client.initialized(types.InitializedParams())
    try:
        yield session
    finally:
        await asyncio.wait_for(client.shutdown_async(None), WAIT)
        client.exit(None)
        await client.stop()


def drive(cwd: Path, scenario: Callable[[Session], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with language_server(cwd) as session:
            return await scenario(session)
    return asyncio.run(main())


def codes(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int]]:
    return [(str(d.code), d.range.start.line, d.range.start.character) for d in diagnostics]


def applied(text: str, edit: types.WorkspaceEdit | None) -> str:
    """The document after a whole-document edit (what this server sends)."""
    assert edit is not None and edit.document_changes
    (change,) = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    (text_edit,) = change.edits
    assert text_edit.range.start == types.Position(line=0, character=0)
    assert text_edit.range.end.line >= text.count("\n")
    return text_edit.new_text


def test_server_advertises_sync_notebooks_and_fix_kinds(tmp_path) -> None:
    async def scenario(session: Session) -> None:
        capabilities = session.capabilities
        assert capabilities is not None and capabilities.notebook_document_sync is not None
        assert isinstance(capabilities.code_action_provider, types.CodeActionOptions)
        assert set(capabilities.code_action_provider.code_action_kinds or []) == {"quickfix", FIX_ALL}
        sync = capabilities.text_document_sync
        assert isinstance(sync, types.TextDocumentSyncOptions) and sync.open_close and sync.save

    drive(tmp_path, scenario)


def test_diagnostics_on_open_change_and_save(tmp_path) -> None:
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        opened = await session.published(uri)
        assert codes(opened) == [("AML102", 0, 0), ("AML101", 2, 6)]
        estimator = opened[1]
        assert estimator.source == "aml-migrate" and estimator.severity == types.DiagnosticSeverity.Warning
        assert estimator.message.startswith("PyTorch estimator is deprecated since azureml-sdk 1.19.0")
        assert estimator.range.end == types.Position(line=2, character=len(ESTIMATOR.splitlines()[2]))
        session.change(uri, "import os\n")
        assert await session.published(uri) == []
        session.change(uri, ESTIMATOR.replace("from azureml", "import os\nfrom azureml"))
        assert codes(await session.published(uri)) == [("AML102", 1, 0), ("AML101", 3, 6)]
        session.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert codes(await session.published(uri)) == [("AML102", 1, 0), ("AML101", 3, 6)]

    drive(tmp_path, scenario)


def test_columns_are_in_the_clients_utf16_units(tmp_path) -> None:
    uri = (tmp_path / "submit.py").as_uri()
    text = ESTIMATOR.replace("est = ", "name = 'caf\u00e9 \U0001F600'; est = ")

    async def scenario(session: Session) -> None:
        session.open(uri, text)
        line = text.splitlines()[2]
        utf16 = len(line[: line.index("PyTorch")].encode("utf-16-le")) // 2
        assert codes(await session.published(uri))[1] == ("AML101", 2, utf16)

    drive(tmp_path, scenario)


def test_documents_that_do_not_parse_never_stop_the_server(tmp_path) -> None:
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        assert len(await session.published(uri)) == 2
        for broken in ("import azureml.core\ndef broken(:\n", "import azureml.core\nx = 1\x00\n",
                       "import azureml.core\n" + "(" * 300 + ")" * 300 + "\n"):
            session.change(uri, broken)
            assert await session.published(uri) == []
            assert await session.actions(uri, [], only=[FIX_ALL]) == []
        session.change(uri, ESTIMATOR)
        assert len(await session.published(uri)) == 2

    drive(tmp_path, scenario)


def test_unknown_codes_and_other_tools_diagnostics_are_ignored(tmp_path) -> None:
    uri = (tmp_path / "submit.py").as_uri()
    foreign = [types.Diagnostic(range=types.Range(start=types.Position(line=2, character=0),
                                                  end=types.Position(line=2, character=3)),
                                message="line too long", code="E501", source="flake8"),
               types.Diagnostic(range=types.Range(start=types.Position(line=2, character=0),
                                                  end=types.Position(line=2, character=3)),
                                message="?", code="AML999", source="aml-migrate")]

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR.replace("use_gpu=True)", "use_gpu=True)  # noqa: AML999"))
        assert codes(await session.published(uri)) == [("AML102", 0, 0), ("AML101", 2, 6)]
        actions = await session.actions(uri, foreign)
        assert all(not action.diagnostics or all(d.code != "AML999" for d in action.diagnostics)
                   for action in actions)
        session.change(uri, "import os\n")
        assert await session.published(uri) == []

    drive(tmp_path, scenario)


def test_excluded_files_get_no_diagnostics(tmp_path) -> None:
    (tmp_path / "setup.cfg").write_text("[aml-migrate]\nexclude = legacy/\n")
    uri = (tmp_path / "legacy" / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        assert await session.published(uri) == []

    drive(tmp_path, scenario)


def test_noqa_and_project_configuration_apply(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.aml-migrate]\nignore = ["AML102"]\n')
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        assert codes(await session.published(uri)) == [("AML101", 2, 6)]
        session.change(uri, ESTIMATOR.replace("use_gpu=True)", "use_gpu=True)  # noqa: AML101"))
        assert await session.published(uri) == []

    drive(tmp_path, scenario)


def test_bad_configuration_is_reported_and_the_defaults_are_used(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.aml-migrate]\nselct = ["AML102"]\n')
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        assert len(await session.published(uri)) == 2
        assert any("unknown key 'selct'" in message and "pyproject.toml" in message for message in session.messages)

    drive(tmp_path, scenario)


def test_quick_fix_for_one_finding_and_fix_all_in_file(tmp_path) -> None:
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        diagnostics = await session.published(uri)
        estimator = [d for d in diagnostics if d.code == "AML101"]
        actions = await session.actions(uri, estimator)
        titles = [action.title for action in actions]
        assert titles[0].startswith("aml-migrate: fix AML101 (safe)") and titles[-1] == "aml-migrate: fix all in file"
        quick = actions[0]
        assert quick.kind == types.CodeActionKind.QuickFix and quick.is_preferred
        assert [d.code for d in quick.diagnostics or []] == ["AML101"]
        one = applied(ESTIMATOR, quick.edit)
        ast.parse(one)
        assert "ScriptRunConfig(" in one and "PyTorch(" not in one
        session.change(uri, one)
        assert "AML101" not in [c for c, _, _ in codes(await session.published(uri))]
        everything = applied(ESTIMATOR, actions[-1].edit)
        session.change(uri, everything)
        assert await session.published(uri) == []

    drive(tmp_path, scenario)


def test_safe_fix_all_kind_for_fix_on_save(tmp_path) -> None:
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, ESTIMATOR)
        await session.published(uri)
        (action,) = await session.actions(uri, [], only=[FIX_ALL])
        assert action.kind == FIX_ALL
        session.change(uri, applied(ESTIMATOR, action.edit))
        assert await session.published(uri) == []
        assert await session.actions(uri, [], only=[FIX_ALL]) == []  # nothing left to fix

    drive(tmp_path, scenario)


Cells = tuple[list[types.NotebookCell], list[types.TextDocumentItem]]


def notebook_cells(uri: str, sources: list[tuple[int, str]]) -> Cells:
    cells, documents = [], []
    for index, (kind, text) in enumerate(sources):
        cell_uri = f"{uri}#cell{index}"
        cells.append(types.NotebookCell(kind=types.NotebookCellKind(kind), document=cell_uri))
        documents.append(types.TextDocumentItem(uri=cell_uri, language_id="python" if kind == 2 else "markdown",
                                                version=1, text=text))
    return cells, documents


NOTEBOOK = [
    (1, "# Train a model"),
    (2, "%pip install azureml-sdk\nfrom azureml.core import Workspace\nfrom azureml.train.dnn import PyTorch\n"
        "ws = Workspace.from_config()"),
    (2, "est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)"),
]


def test_notebook_cells_get_their_own_diagnostics_a_quick_fix_and_a_fix_all(tmp_path) -> None:
    uri = (tmp_path / "train.ipynb").as_uri()
    cells, documents = notebook_cells(uri, NOTEBOOK)

    async def scenario(session: Session) -> None:
        session.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=uri, notebook_type="jupyter-notebook", version=1,
                                                     cells=cells),
            cell_text_documents=documents))
        await session.published(documents[2].uri)
        assert codes(session.latest[documents[1].uri]) == [("AML102", 2, 0)]
        assert codes(session.latest[documents[2].uri]) == [("AML101", 0, 6)]
        assert documents[0].uri not in session.latest or session.latest[documents[0].uri] == []

        actions = await session.actions(documents[2].uri, session.latest[documents[2].uri])
        assert [a.title.split(":")[:2] for a in actions] == [["aml-migrate", " fix AML101 (safe)"],
                                                             ["aml-migrate", " fix all in notebook"]]
        quick = actions[0]  # safe: the default exact style reproduces the estimator's environment
        assert quick.is_preferred and [d.code for d in quick.diagnostics or []] == ["AML101"]
        assert quick.edit is not None and quick.edit.document_changes
        one = {c.text_document.uri: c.edits[0].new_text for c in quick.edit.document_changes
               if isinstance(c, types.TextDocumentEdit)}
        assert "ScriptRunConfig(" in one[documents[2].uri]
        edit = actions[1].edit
        assert edit is not None and edit.document_changes
        edited = {change.text_document.uri: change.edits[0].new_text for change in edit.document_changes
                  if isinstance(change, types.TextDocumentEdit)}
        assert set(edited) <= {documents[1].uri, documents[2].uri} and "ScriptRunConfig(" in edited[documents[2].uri]
        assert edited.get(documents[1].uri, documents[1].text).startswith("%pip install azureml-sdk\n")

        # the editor applies the edit: the notebook's cells change, and re-check clean
        session.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=uri, version=2),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=cell_uri, version=2),
                    changes=[types.TextDocumentContentChangeWholeDocument(text=text)])
                for cell_uri, text in edited.items()]))))
        await session.published(documents[2].uri)
        assert all(session.latest[d.uri] == [] for d in documents[1:])

    drive(tmp_path, scenario)


def test_a_broken_notebook_cell_does_not_hide_the_others(tmp_path) -> None:
    uri = (tmp_path / "train.ipynb").as_uri()
    cells, documents = notebook_cells(uri, [*NOTEBOOK, (2, "def broken(:\n")])

    async def scenario(session: Session) -> None:
        session.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=uri, notebook_type="jupyter-notebook", version=1,
                                                     cells=cells),
            cell_text_documents=documents))
        await session.published(documents[3].uri)
        assert codes(session.latest[documents[2].uri]) == [("AML101", 0, 6)]
        assert session.latest[documents[3].uri] == []

    drive(tmp_path, scenario)


def test_check_never_imports_the_language_server_stack(tmp_path) -> None:
    """Nor libcst: only SARIF, which carries each fix's concrete replacements, needs the fixer."""
    (tmp_path / "submit.py").write_text(ESTIMATOR)
    code = ("import sys; from lint_plugin.cli import main\n"
            "for fmt in ('text', 'json', 'concise', 'github'):\n"
            "    main(['check', '--format', fmt, sys.argv[1]])\n"
            "print(sorted(m for m in ('pygls', 'lsprotocol', 'jsonschema', 'libcst') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                            timeout=600)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr


def test_lsp_without_pygls_is_one_clear_error() -> None:
    code = "import sys; sys.modules['pygls'] = None; from lint_plugin.cli import main; sys.exit(main(['lsp']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    assert result.stderr == ("aml-migrate: error: the language server needs pygls: "
                             "pip install 'aml-migrate[lsp]'\n")


V1_JOB = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                      environment=Environment.get(ws, "team-env"))
run = Experiment(ws, "demo").submit(src)
"""


def test_with_target_v2_the_sdk_v2_rules_are_on_and_a_quick_fix_is_the_modules_v2_migration(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.aml-migrate]\ntarget = "v2"\n')
    uri = (tmp_path / "submit.py").as_uri()

    async def scenario(session: Session) -> None:
        session.open(uri, V1_JOB)
        diagnostics = await session.published(uri)
        assert {str(d.code) for d in diagnostics} == {"AML601", "AML602", "AML604", "AML605"}
        job = [d for d in diagnostics if d.code == "AML602"]
        actions = await session.actions(uri, job)
        quick = actions[0]
        assert quick.title.startswith("aml-migrate: fix AML602 (safe)")
        assert quick.title.endswith("(with the module's whole SDK v2 migration)")
        fixed = applied(V1_JOB, quick.edit)
        ast.parse(fixed)
        assert "command(" in fixed and "Workspace" not in fixed and "ScriptRunConfig" not in fixed
        session.change(uri, fixed)
        assert await session.published(uri) == []

    drive(tmp_path, scenario)
