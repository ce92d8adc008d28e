"""The Workspace -> an ``MLClient``, decided once every other rewrite is planned.

``Workspace.from_config()`` -> ``MLClient.from_config(DefaultAzureCredential())`` (``path=`` kept);
``Workspace.get(name, subscription_id=, resource_group=)`` and ``Workspace(subscription_id,
resource_group, workspace_name)`` -> ``MLClient(DefaultAzureCredential(), subscription_id,
resource_group, workspace_name)``. The client keeps the Workspace's variable when what is left of its
uses can move too (``ds = ws.get_default_datastore()`` whose datastore is only asked its ``name``
becomes ``ws.datastores.get_default()``); otherwise the Workspace stays for those v1 uses and a new
``ml_client`` next to it submits the jobs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...analysis.scopes import Binding
from ..astctx import ModuleContext, is_none
from ..plan import ExprEdit, Plan
from .gone import GoneReads
from .tokens import v2
from .uses import assigned_binding, binding_of_statement
from .values import Values

_DATASTORE_GET = ("azureml.core.Datastore.get", "azureml.core.datastore.Datastore.get")


@dataclass
class Workspace:
    call: ast.Call
    binding: Binding | None
    factory: str  # from_config, get, or "" for the constructor
    client_call: str | None  # the MLClient(...) text; None when v2 cannot say which workspace
    changes: list[str] = field(default_factory=list)
    blocker: str | None = None


@dataclass
class WorkspaceDecision:
    client: str  # how the MLClient is spelled
    edits: list[ExprEdit] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # statements after the Workspace's (a new ml_client)
    reason: str | None = None  # why the Workspace itself stays v1


class WorkspaceRegistry:
    def __init__(self, ctx: ModuleContext, values: Values, calls: list[tuple[ast.Call, str]]) -> None:
        self.ctx = ctx
        self.values = values
        self.workspaces = [self._read(call, factory) for call, factory in calls]

    def number(self, binding: Binding | None) -> int | None:
        """The workspace a binding holds, when v2 can name its MLClient."""
        for index, workspace in enumerate(self.workspaces):
            if binding is not None and workspace.binding is binding and workspace.client_call is not None:
                return index
        return None

    def client_of(self, name: ast.Name) -> str | None:
        from .tokens import client

        number = self.number(self.ctx.binding(name))
        return client(number) if number is not None else None

    def _read(self, call: ast.Call, factory: str) -> Workspace:
        binding = assigned_binding(call, self.ctx)
        workspace = Workspace(call, binding, factory, None)
        if binding is None or not self.ctx.holds_statements(self.ctx.statement_of(call)):
            workspace.blocker = "the Workspace is not bound to a name on a line of its own"
            return workspace
        at = self.ctx.statement_of(call)
        parameters = {"from_config": ("path", "auth", "_logger", "_file_name"),
                      "get": ("name", "auth", "subscription_id", "resource_group"),
                      "": ("subscription_id", "resource_group", "workspace_name", "auth")}[factory]
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            workspace.blocker = "the Workspace's arguments are passed through *args or **kwargs"
            return workspace
        arguments = {**dict(zip(parameters, call.args)), **{k.arg: k.value for k in call.keywords if k.arg}}
        texts = {}
        for name, value in arguments.items():
            if is_none(value):
                continue
            if name == "auth":
                workspace.changes.append(f"authentication: auth={self.ctx.text(value)} -> DefaultAzureCredential() "
                                         f"(v2 takes an azure.identity credential)")
                continue
            text = self.values.literal_or_text(value, at)
            if text is None or name not in ("path", "_file_name", "name", "subscription_id", "resource_group",
                                            "workspace_name"):
                workspace.blocker = f"the Workspace's {name}= has no MLClient equivalent here"
                return workspace
            texts[name] = text
        credential = f"{v2('DefaultAzureCredential')}()"
        if factory == "from_config":
            extra = "".join(f", {key}={texts[name]}" for name, key in (("path", "path"), ("_file_name", "file_name"))
                            if name in texts)
            workspace.client_call = f"{v2('MLClient')}.from_config({credential}{extra})"
        else:
            name = texts.get("name") or texts.get("workspace_name")
            if "subscription_id" not in texts or "resource_group" not in texts or name is None:
                workspace.blocker = ("Workspace.get(...) without subscription_id and resource_group: v1 looked them "
                                     "up; MLClient needs them")
                return workspace
            workspace.client_call = (f"{v2('MLClient')}({credential}, {texts['subscription_id']}, "
                                     f"{texts['resource_group']}, {name})")
        return workspace

    # -- after planning ----------------------------------------------------------------------------
    def decide(self, index: int, plan: Plan, needed: bool) -> WorkspaceDecision | None:
        """Spell workspace ``index``'s client: its own name when every use left moves to v2 (or there
        is none), else a new ``ml_client`` when a rewrite ``needed`` one. None: nothing changes."""
        workspace = self.workspaces[index]
        assert workspace.binding is not None and workspace.client_call is not None
        gone = GoneReads(self.ctx, plan)
        edits: list[ExprEdit] = []
        staying: list[ast.Name] = []
        for read in gone.left(workspace.binding):
            edit = self._datastore(read, gone)
            if edit is None:
                staying.append(read)
            else:
                edits.append(edit)
        if not staying:
            edits.append(ExprEdit.replacing(workspace.call, workspace.client_call))
            return WorkspaceDecision(workspace.binding.name, edits)
        first = staying[0]
        reason = (f"{workspace.binding.name} is still used for SDK v1 on line {first.lineno} "
                  f"({self.ctx.text(_chain(first, self.ctx))})")
        if not needed:
            return WorkspaceDecision(workspace.binding.name, reason=reason + ": migrate that first")
        client = self.ctx.fresh_name("ml_client")
        return WorkspaceDecision(client, after=[f"{client} = {workspace.client_call}"],
                                 reason=reason + f", so it stays; the jobs use {client}")

    def _datastore(self, read: ast.Name, gone: GoneReads) -> ExprEdit | None:
        """``ds = ws.get_default_datastore()`` / ``ws.datastores['x']`` / ``Datastore.get(ws, 'x')`` whose
        datastore is asked nothing but its name: the same through the MLClient."""
        parent = self.ctx.parents.get(read)
        value: ast.expr | None = None
        text = None
        if isinstance(parent, ast.Attribute) and parent.attr == "get_default_datastore":
            value = self.ctx.parents.get(parent)  # type: ignore[assignment]
            if isinstance(value, ast.Call) and not value.args and not value.keywords:
                text = f"{read.id}.datastores.get_default()"
        elif isinstance(parent, ast.Attribute) and parent.attr == "datastores":
            value = self.ctx.parents.get(parent)  # type: ignore[assignment]
            if isinstance(value, ast.Subscript):
                text = f"{read.id}.datastores.get({self.ctx.text(value.slice)})"
        elif isinstance(parent, ast.Call) and self.ctx.qualified(parent.func) in _DATASTORE_GET \
                and parent.args[:1] == [read] and len(parent.args) == 2 and not parent.keywords:
            value, text = parent, f"{read.id}.datastores.get({self.ctx.text(parent.args[1])})"
        if value is None or text is None:
            return None
        statement = self.ctx.statement_of(value)
        binding = binding_of_statement(statement, self.ctx)
        if binding is None or binding.value is not value:
            return None
        for use in gone.left(binding):
            holder = self.ctx.parents.get(use)
            if not (isinstance(holder, ast.Attribute) and holder.attr == "name" and isinstance(holder.ctx, ast.Load)):
                return None
        return ExprEdit.replacing(value, text)


def _chain(read: ast.Name, ctx: ModuleContext) -> ast.AST:
    node: ast.AST = read
    while isinstance(ctx.parents.get(node), (ast.Attribute, ast.Call, ast.Subscript)):
        node = ctx.parents[node]
    return node
