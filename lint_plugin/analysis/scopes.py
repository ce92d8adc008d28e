"""One walk over a module: scopes, the names they bind, and the facts the checks read.

The walk records, per scope, every binding (with the expression assigned, or the qualified name an
import gives), attribute writes and method calls rooted at a name (``src.run_config.x = ...``,
``args.append(...)``), and every read of a name with its parent nodes. Checks never walk the tree again,
nor does the fixer's planner: the walk records every node's parent for it (``fix/astctx.py``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from ..sdk.names import module_is_deprecated

Position = tuple[int, int]

_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_STATEMENT_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def position(node: ast.AST) -> Position:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def end_position(node: ast.AST) -> Position:
    return (getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0)


# Where the flow analysis applies a read or a binding: a statement, or the clause of a compound one
# that binds or reads on its own (``except E as e``, ``case P if guard``).
FlowNode = ast.stmt | ast.ExceptHandler | ast.match_case


@dataclass(eq=False)
class Binding:
    name: str
    scope: Scope
    at: Position  # where the binding takes effect: after every read of its statement that runs before it
    statement: FlowNode | None  # None for parameters
    value: ast.expr | None = None  # the expression assigned, when one is
    imported: str | None = None  # the qualified name an import binds
    definition: ast.AST | None = None  # ClassDef / FunctionDef
    augmented: ast.AugAssign | None = None  # ``name += value``: the new value depends on the one before
    deleted: bool = False  # ``del name``

    def __repr__(self) -> str:
        return f"<Binding {self.name} line {self.at[0]}>"


class AttrWrite(NamedTuple):
    path: tuple[str, ...]  # ("run_config", "environment"); "[]" for a subscript
    value: ast.expr | None
    node: ast.stmt


class MethodCall(NamedTuple):
    path: tuple[str, ...]  # ("run_config", "data_references", "update")
    call: ast.Call


class NameRead(NamedTuple):
    node: ast.Name  # for ``name += value``, the target: the statement reads the old value
    parent: ast.AST | None
    grandparent: ast.AST | None
    statement: FlowNode


@dataclass(eq=False)
class Scope:
    node: ast.AST
    parent: Scope | None
    is_class: bool = False
    bindings: dict[str, list[Binding]] = field(default_factory=lambda: defaultdict(list))
    star_imports: list[str] = field(default_factory=list)
    attr_writes: dict[str, list[AttrWrite]] = field(default_factory=lambda: defaultdict(list))
    method_calls: dict[str, list[MethodCall]] = field(default_factory=lambda: defaultdict(list))
    reads: dict[str, list[NameRead]] = field(default_factory=lambda: defaultdict(list))
    declared_outer: dict[str, str] = field(default_factory=dict)  # name -> "global" / "nonlocal"

    def __post_init__(self) -> None:
        # A module, function or class body: the flow analysis walks its statements.
        self.has_statements = isinstance(self.node, _STATEMENT_SCOPES)
        # A comprehension runs where it is written: it sees its enclosing scope as it is at that point.
        # A function or lambda body runs later, whenever it is called.
        self.runs_in_place = isinstance(self.node, _COMPREHENSIONS)

    def sets_attribute(self, name: str, prefix: tuple[str, ...]) -> bool:
        """Whether this scope writes ``name.<prefix>...`` (also through ``[k] =`` or a method call on it);
        assigning a shorter prefix (``src.run_config = rc``) counts too: nothing can be seen through it."""
        for write in self.attr_writes.get(name, []):
            if write.path[: len(prefix)] == prefix or prefix[: len(write.path)] == write.path:
                return True
        return any(call.path[: len(prefix)] == prefix and len(call.path) > len(prefix)
                   for call in self.method_calls.get(name, []))


class ImportFact(NamedTuple):
    node: ast.Import | ast.ImportFrom
    scope: Scope
    in_shim: bool


class CallFact(NamedTuple):
    call: ast.Call
    scope: Scope
    parent: ast.AST | None
    grandparent: ast.AST | None
    assigned_to: str | None  # `name = Call(...)` binds the call's value to a plain name


class ModuleIndex:
    """Everything the checks need, gathered in one walk of the tree."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = Scope(tree, None)
        self.scopes: list[Scope] = [self.module]
        self.calls: list[CallFact] = []
        self.imports: list[ImportFact] = []
        # Every node's parent (but the module's), for the fixer's planner, which reads the keys as a walk:
        # a node enters before its children (an outer expression before the inner ones that start where
        # it starts), statements and parameters in the order of the tree.
        self.parents: dict[ast.AST, ast.AST] = {}
        self._statement: FlowNode = tree  # type: ignore[assignment]  # the flow node being walked
        self._adopt(tree)
        self._walk_body(tree.body, self.module, tree, in_shim=False)

    # -- the walk ---------------------------------------------------------------------------

    def _walk_body(self, body: list[ast.stmt], scope: Scope, parent: ast.AST, in_shim: bool) -> None:
        for stmt in body:
            self._visit(stmt, scope, parent, None, in_shim)

    def _visit(self, node: ast.AST, scope: Scope, parent: ast.AST | None, grandparent: ast.AST | None,
               in_shim: bool) -> None:
        node_type = type(node)
        if node_type in _LEAVES:
            return
        if node_type is ast.Name:
            context = type(node.ctx)  # type: ignore[attr-defined]
            if context is ast.Load:
                self._read(scope, node, parent, grandparent)  # type: ignore[arg-type]
            elif context is ast.Del:
                self._bind(scope, node.id, end_position(node), deleted=True)  # type: ignore[attr-defined]
            return
        if node_type is ast.Call:
            self._record_call(node, scope, parent, grandparent)  # type: ignore[arg-type]
        statement = node_type in _STATEMENTS
        if statement:
            outer, self._statement = self._statement, node  # type: ignore[assignment]
        handler = _HANDLERS.get(node_type)
        if handler is None or handler(self, node, scope, parent, in_shim) is not False:
            parents = self.parents
            for child in ast.iter_child_nodes(node):
                parents[child] = node
                self._visit(child, scope, node, parent, in_shim)
        if statement:
            self._statement = outer

    def _read(self, scope: Scope, node: ast.Name, parent: ast.AST | None, grandparent: ast.AST | None) -> None:
        scope.reads[node.id].append(NameRead(node, parent, grandparent, self._statement))

    def _adopt(self, *nodes: ast.AST) -> None:
        """Record the parent of the children of nodes a handler walks by hand (before it visits them)."""
        for node in nodes:
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def _adopt_unread(self, *nodes: ast.AST | None) -> None:
        """Record the parents in whole subtrees the checks do not read (parameters, annotations...),
        depth first like the walk."""
        stack = [node for node in reversed(nodes) if node is not None]
        while stack:
            node = stack.pop()
            children = list(ast.iter_child_nodes(node))
            for child in children:
                self.parents[child] = node
            stack.extend(reversed(children))

    def _new_scope(self, node: ast.AST, parent: Scope, is_class: bool = False) -> Scope:
        scope = Scope(node, parent, is_class=is_class)
        self.scopes.append(scope)
        return scope

    def _bind(self, scope: Scope, name: str, at: Position, **details: object) -> None:
        """``name`` bound in ``scope`` by the flow node being walked (``global x`` binds the module's x)."""
        owner = scope
        if name in scope.declared_outer:
            owner = self.module if scope.declared_outer[name] == "global" else _enclosing_function(scope)
        owner.bindings[name].append(Binding(name, owner, at, self._statement, **details))  # type: ignore[arg-type]

    def _bind_parameter(self, scope: Scope, arg: ast.arg) -> None:
        scope.bindings[arg.arg].append(Binding(arg.arg, scope, position(arg), None))

    def _visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope,
                           parent: ast.AST | None, in_shim: bool) -> bool:
        args = node.args
        self._adopt(node, args)
        self._adopt_unread(*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg,
                           node.returns, *_type_params(node))
        for outer in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if outer is not None:
                self._visit(outer, scope, node, parent, in_shim)
        self._bind(scope, node.name, end_position(node), definition=node)
        inner = self._new_scope(node, scope)
        self._bind_arguments(node.args, inner)
        self._walk_body(node.body, inner, node, in_shim=False)
        return False

    _visit_AsyncFunctionDef = _visit_FunctionDef

    def _visit_Lambda(self, node: ast.Lambda, scope: Scope, parent: ast.AST | None, in_shim: bool) -> bool:
        self._adopt(node)
        self._adopt_unread(node.args)  # defaults too: the checks do not read them
        inner = self._new_scope(node, scope)
        self._bind_arguments(node.args, inner)
        self._visit(node.body, inner, node, parent, in_shim)
        return False

    def _visit_ClassDef(self, node: ast.ClassDef, scope: Scope, parent: ast.AST | None, in_shim: bool) -> bool:
        self._adopt(node)
        self._adopt_unread(*_type_params(node))
        for outer in (*node.decorator_list, *node.bases, *node.keywords):
            self._visit(outer, scope, node, parent, in_shim)
        inner = self._new_scope(node, scope, is_class=True)
        self._walk_body(node.body, inner, node, in_shim=False)
        self._bind(scope, node.name, end_position(node), definition=node)
        return False

    def _visit_comprehension_scope(self, node: ast.AST, scope: Scope, parent: ast.AST | None,
                                   in_shim: bool) -> bool:
        generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        self._adopt(node, *generators)
        self._adopt_unread(*(generator.target for generator in generators))
        self._visit(generators[0].iter, scope, node, parent, in_shim)
        inner = self._new_scope(node, scope)
        for index, generator in enumerate(generators):
            if index:
                self._visit(generator.iter, inner, generator, node, in_shim)
            self._bind_target(generator.target, None, inner, (0, 0))
            for condition in generator.ifs:
                self._visit(condition, inner, generator, node, in_shim)
        for part in ("elt", "key", "value"):
            child = getattr(node, part, None)
            if child is not None:
                self._visit(child, inner, node, parent, in_shim)
        return False

    _visit_ListComp = _visit_SetComp = _visit_DictComp = _visit_GeneratorExp = _visit_comprehension_scope

    def _bind_arguments(self, args: ast.arguments, scope: Scope) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None:
                self._bind_parameter(scope, arg)

    def _visit_Import(self, node: ast.Import, scope: Scope, parent: ast.AST | None, in_shim: bool) -> None:
        self.imports.append(ImportFact(node, scope, in_shim))
        for alias in node.names:
            if alias.asname:
                self._bind(scope, alias.asname, end_position(node), imported=alias.name)
            else:
                top = alias.name.split(".")[0]
                self._bind(scope, top, end_position(node), imported=top)

    def _visit_ImportFrom(self, node: ast.ImportFrom, scope: Scope, parent: ast.AST | None,
                          in_shim: bool) -> None:
        self.imports.append(ImportFact(node, scope, in_shim))
        module = node.module if not node.level else None
        for alias in node.names:
            if alias.name == "*":
                if module:
                    scope.star_imports.append(module)
                continue
            qualified = f"{module}.{alias.name}" if module else None
            self._bind(scope, alias.asname or alias.name, end_position(node), imported=qualified)

    def _visit_Try(self, node: ast.Try, scope: Scope, parent: ast.AST | None, in_shim: bool) -> bool:
        self._adopt(node)
        shim = _tries_new_api(node.body)
        self._walk_body(node.body, scope, node, in_shim)
        for handler in node.handlers:
            self._adopt(handler)  # not before: its statements enter after those nested in the body
            outer, self._statement = self._statement, handler
            if handler.type is not None:
                self._visit(handler.type, scope, handler, node, in_shim)
            if handler.name:
                self._bind(scope, handler.name, end_position(handler.type) if handler.type else position(handler))
            self._statement = outer
            self._walk_body(handler.body, scope, handler, in_shim or (shim and _catches_import_error(handler)))
        self._walk_body(node.orelse, scope, node, in_shim)
        self._walk_body(node.finalbody, scope, node, in_shim)
        return False

    _visit_TryStar = _visit_Try

    def _visit_Assign(self, node: ast.Assign, scope: Scope, parent: ast.AST | None, in_shim: bool) -> None:
        for target in node.targets:
            self._bind_target(target, node.value, scope, end_position(node), node)

    def _visit_AnnAssign(self, node: ast.AnnAssign, scope: Scope, parent: ast.AST | None, in_shim: bool) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value, scope, end_position(node), node)

    def _visit_AugAssign(self, node: ast.AugAssign, scope: Scope, parent: ast.AST | None, in_shim: bool) -> None:
        if isinstance(node.target, ast.Name):
            # ``name += value`` reads the old value and binds the result (for a list: the same object).
            self._read(scope, node.target, node, parent)
            self._bind(scope, node.target.id, end_position(node), augmented=node)
        else:
            self._record_attr_write(node.target, node.value, scope, node)

    def _visit_NamedExpr(self, node: ast.NamedExpr, scope: Scope, parent: ast.AST | None, in_shim: bool) -> None:
        owner = scope  # ``:=`` in a comprehension binds in the scope around it
        while owner.runs_in_place and owner.parent is not None:
            owner = owner.parent
        self._bind(owner, node.target.id, end_position(node), value=node.value)

    def _visit_For(self, node: ast.For | ast.AsyncFor, scope: Scope, parent: ast.AST | None,
                   in_shim: bool) -> None:
        self._bind_target(node.target, None, scope, end_position(node.iter))

    def _visit_Global(self, node: ast.Global | ast.Nonlocal, scope: Scope, parent: ast.AST | None,
                      in_shim: bool) -> None:
        kind = "global" if isinstance(node, ast.Global) else "nonlocal"
        for name in node.names:
            scope.declared_outer[name] = kind

    _visit_Nonlocal = _visit_Global

    def _visit_match_case(self, node: ast.match_case, scope: Scope, parent: ast.AST | None, in_shim: bool) -> bool:
        """``case PATTERN if GUARD:``: the pattern's names are bound before the guard is read."""
        outer, self._statement = self._statement, node
        self.parents[node.pattern] = node
        self._visit(node.pattern, scope, node, parent, in_shim)
        for name in _pattern_names(node.pattern):
            self._bind(scope, name, end_position(node.pattern))
        if node.guard is not None:
            self.parents[node.guard] = node
            self._visit(node.guard, scope, node, parent, in_shim)
        self._statement = outer
        for statement in node.body:
            self.parents[statement] = node
            self._visit(statement, scope, node, parent, in_shim)
        return False

    _visit_AsyncFor = _visit_For

    def _visit_withitem(self, node: ast.withitem, scope: Scope, parent: ast.AST | None, in_shim: bool) -> None:
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars, node.context_expr, scope, end_position(node.context_expr))

    def _record_call(self, node: ast.Call, scope: Scope, parent: ast.AST | None,
                     grandparent: ast.AST | None) -> None:
        assigned = None
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                assigned = targets[0].id
        self.calls.append(CallFact(node, scope, parent, grandparent, assigned))
        if isinstance(node.func, ast.Attribute):
            chain = attribute_chain(node.func)
            if chain is not None:
                scope.method_calls[chain[0]].append(MethodCall(chain[1:], node))

    def _bind_target(self, target: ast.expr, value: ast.expr | None, scope: Scope, at: Position,
                     statement: ast.stmt | None = None) -> None:
        if isinstance(target, ast.Name):
            self._bind(scope, target.id, at, value=value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else None
            pairs = zip(target.elts, values) if values and len(values) == len(target.elts) else (
                (element, None) for element in target.elts)
            for element, element_value in pairs:
                self._bind_target(element, element_value, scope, at, statement)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, scope, at, statement)
        elif statement is not None:
            self._record_attr_write(target, value, scope, statement)

    def _record_attr_write(self, target: ast.expr, value: ast.expr | None, scope: Scope,
                           statement: ast.stmt) -> None:
        chain = attribute_chain(target)
        if chain is not None:
            scope.attr_writes[chain[0]].append(AttrWrite(chain[1:], value, statement))


# Node type -> the handler for it, looked up once per node instead of by name.
_HANDLERS = {
    getattr(ast, name.removeprefix("_visit_")): method
    for name, method in vars(ModuleIndex).items()
    if name.startswith("_visit_") and hasattr(ast, name.removeprefix("_visit_"))
}


# Nodes without children that the checks read: constants and the shared operator and context singletons.
_LEAVES = frozenset({ast.Constant, *(cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(
    cls, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)))})
_STATEMENTS = frozenset(cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, ast.stmt))


def _enclosing_function(scope: Scope) -> Scope:
    """Where ``nonlocal name`` in ``scope`` binds: the nearest enclosing scope that is not a class."""
    owner = scope.parent
    while owner is not None and owner.is_class:
        owner = owner.parent
    return owner or scope


def _pattern_names(pattern: ast.pattern) -> list[str]:
    """The names a ``case`` pattern binds (``as x``, ``*rest``, ``**others``)."""
    names = []
    for node in ast.walk(pattern):
        if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.append(node.rest)
    return names


def _type_params(node: ast.AST) -> list[ast.AST]:
    """``def f[T]()`` (Python 3.12+): the checks do not read type parameters."""
    return getattr(node, "type_params", [])


def attribute_chain(node: ast.expr) -> tuple[str, ...] | None:
    """``a.b[0].c`` -> ("a", "b", "[]", "c"); None when the chain is not rooted at a plain name."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            parts.append("[]")
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return tuple(reversed(parts))
        else:
            return None


def _imported_modules(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Import):
        return [alias.name for alias in stmt.names]
    if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
        return [f"{stmt.module}.{alias.name}" for alias in stmt.names]
    return []


def _tries_new_api(body: list[ast.stmt]) -> bool:
    """A ``try:`` that imports something not deprecated is the first half of a compatibility shim."""
    names = [name for stmt in body for name in _imported_modules(stmt)]
    return bool(names) and not any(module_is_deprecated(name) for name in names)


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for exc in caught:
        name = exc.id if isinstance(exc, ast.Name) else getattr(exc, "attr", None)
        if name in _IMPORT_ERRORS:
            return True
    return False
