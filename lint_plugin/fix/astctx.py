"""What the planners need to know about a module, read with the stdlib ``ast`` only.

The planners run inside the checker too (``lint_plugin/engine.py``), so nothing here may import
libcst: the checker must stay fast.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Iterator, TypeVar

from ..analysis.flow import Flow
from ..analysis.resolve import Resolver
from ..analysis.scopes import Binding, ModuleIndex, Scope
from ..sdk.names import STAR_EXPORTS, Kind

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef

_N = TypeVar("_N", bound=ast.AST)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_ANNOTATED = frozenset({ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef})
_WORKSPACE_FACTORIES = ("Workspace", "Workspace.from_config", "Workspace.get", "Workspace.create")


def source_lines(source: str) -> list[str]:
    """The lines of ``source`` with their endings, as Python's tokenizer counts them (a form feed or
    ``\\x1c`` does not end a line, unlike ``str.splitlines``)."""
    return _LINES.findall(source)


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


@dataclass
class ModuleContext:
    source: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    calls_at: dict[tuple[int, int], ast.Call] = field(default_factory=dict)
    all_names: set[str] = field(default_factory=set)
    flow: Flow = field(default=None)  # type: ignore[assignment]  # which bindings reach which reads
    _scopes: dict[ast.AST, Scope] = field(default_factory=dict)  # the index's scope of each scope node
    _workspace_names: dict[int, list[str]] = field(default_factory=dict)  # per scope: names ever bound to one
    _taken: set[str] = field(default_factory=set)
    _next_suffix: dict[str, int] = field(default_factory=dict)  # per base: the first counter not yet tried
    imported: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    loads: dict[str, list[ast.Name]] = field(default_factory=dict)  # every read of each name, in no set order
    imports_at: dict[tuple[int, int], ast.Import | ast.ImportFrom] = field(default_factory=dict)
    exprs_at: dict[tuple[int, int], ast.expr] = field(default_factory=dict)  # the outermost one starting there
    # names used inside string annotations (``x: 'PyTorch'``), with the line: libcst counts them as uses
    annotation_names: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, source: str, tree: ast.Module | None = None) -> ModuleContext:
        return cls.from_index(ModuleIndex(tree if tree is not None else ast.parse(source)), source)

    @classmethod
    def from_index(cls, index: ModuleIndex, source: str = "", flow: Flow | None = None) -> ModuleContext:
        """The context of the module the checks' ``index`` walked (and ``flow``, their flow model of it):
        its parent map holds every node, so going through it stands for a walk of the tree."""
        ctx = cls(source, index.module.node, parents=index.parents,  # type: ignore[arg-type]
                  flow=flow if flow is not None else Flow(index),
                  _scopes={scope.node: scope for scope in index.scopes})
        imports, annotated = ctx._note_nodes()
        ctx._note_imports(imports)
        ctx._note_annotations(annotated)
        return ctx

    def _note_nodes(self) -> tuple[list[ast.Import | ast.ImportFrom], list[ast.AST]]:
        """Expressions, calls, names and reads; the imports and annotated nodes, in walk order."""
        imports: list[ast.Import | ast.ImportFrom] = []
        annotated: list[ast.AST] = []
        for node in self.parents:  # a node comes before its children: outer expressions first
            node_type = type(node)
            if isinstance(node, ast.expr):
                self.exprs_at.setdefault((node.lineno, node.col_offset), node)
            if node_type is ast.Call:
                self.calls_at.setdefault((node.lineno, node.col_offset), node)  # type: ignore[arg-type]
            elif node_type is ast.Name:
                self.all_names.add(node.id)  # type: ignore[attr-defined]
                if isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                    self.loads.setdefault(node.id, []).append(node)  # type: ignore[attr-defined, arg-type]
            elif node_type is ast.arg:
                self.all_names.add(node.arg)  # type: ignore[attr-defined]
            elif node_type is ast.alias:
                self.all_names.add((node.asname or node.name).split(".")[0])  # type: ignore[attr-defined]
            elif node_type is ast.Import or node_type is ast.ImportFrom:
                imports.append(node)  # type: ignore[arg-type]
            if node_type in _ANNOTATED and _annotation(node) is not None:
                annotated.append(node)
        return imports, annotated

    def _note_imports(self, imports: list[ast.Import | ast.ImportFrom]) -> None:
        for node in self._breadth_first(imports):  # a nested import of a name overrides a top-level one
            self.imported.update(_imported_names(node))
            self.imports_at[(node.lineno, node.col_offset)] = node

    def _note_annotations(self, annotated: list[ast.AST]) -> None:
        for node in self._breadth_first(annotated):  # a name's line is its first use as ``ast.walk`` goes
            for text in ast.walk(_annotation(node)):  # type: ignore[arg-type]
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    for word in re.findall(r"[A-Za-z_]\w*", text.value):
                        self.annotation_names.setdefault(word, text.lineno)

    def _breadth_first(self, nodes: list[_N]) -> list[_N]:
        """``nodes``, found in walk order, in the order ``ast.walk`` meets them: shallowest first."""
        return sorted(nodes, key=self._depth)

    def _depth(self, node: ast.AST) -> int:
        depth = 0
        while node in self.parents:
            node, depth = self.parents[node], depth + 1
        return depth

    def qualified(self, node: ast.expr) -> str | None:
        """The qualified name an expression refers to through the module's imports."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head not in self.imported:
            return None
        base = self.imported[head]
        return f"{base}.{rest}" if rest else base

    # -- structure -------------------------------------------------------------------------------
    def text(self, node: ast.AST) -> str:
        """The node's source, as ``ast.get_source_segment`` gives it but without splitting the whole
        source again for every quote; without the source text (the checker may only have the tree),
        the equivalent ``ast.unparse`` text, which is all a plan's outcome needs."""
        end_line, end_column = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
        if not self.source or end_line is None or end_column is None:
            return ast.unparse(node)
        lines = self._lines
        first, last = lines[node.lineno - 1].encode(), lines[end_line - 1].encode()  # type: ignore[attr-defined]
        if node.lineno == end_line:  # type: ignore[attr-defined]
            return first[node.col_offset:end_column].decode()  # type: ignore[attr-defined]
        middle = lines[node.lineno: end_line - 1]  # type: ignore[attr-defined]
        return "".join([first[node.col_offset:].decode(), *middle, last[:end_column].decode()])  # type: ignore[attr-defined]

    @functools.cached_property
    def _lines(self) -> list[str]:
        return source_lines(self.source)

    def statement_of(self, node: ast.AST) -> ast.stmt:
        while not isinstance(node, ast.stmt):
            node = self.parents[node]
        return node

    def indentation(self, statement: ast.stmt) -> str:
        """The whitespace ``statement``'s first line starts with."""
        line = self._lines[statement.lineno - 1] if self.source else ""
        return line[: len(line) - len(line.lstrip())] if line.strip() else " " * statement.col_offset

    def has_comments(self, statement: ast.stmt) -> bool:
        """Whether ``statement``'s lines hold a ``#`` comment (a rewrite that removes it would lose it)."""
        text = "".join(self._lines[statement.lineno - 1: statement.end_lineno])
        try:
            return any(token.type == tokenize.COMMENT for token in tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            return True  # cannot tell: keep it

    def holds_statements(self, statement: ast.stmt) -> bool:
        """Whether statements can be put before/after ``statement``, or it can go: a simple statement on
        its own line of a block (not ``if x: y = 1``, not a decorator or a loop header)."""
        if isinstance(statement, _COMPOUND):
            return False
        parent = self.parents.get(statement)
        return not (isinstance(parent, _COMPOUND) and parent.lineno == statement.lineno)

    def scope_of(self, node: ast.AST) -> ScopeNode:
        node = self.parents.get(node, self.tree)
        while not isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
            node = self.parents[node]
        return node

    def enclosing_scopes(self, node: ast.AST) -> Iterator[ScopeNode]:
        """The scope of ``node``, then the module (classes do not enclose functions' lookups)."""
        scope = self.scope_of(node)
        yield scope
        if scope is not self.tree:
            yield self.tree

    # -- bindings (the analysis' flow model) -------------------------------------------------------
    def binding(self, read: ast.AST) -> Binding | None:
        """The one binding a read of a plain name sees (None when paths disagree or none is known)."""
        return self.flow.binding(read) if isinstance(read, ast.Name) else None

    def visible(self, name: str, node: ast.AST) -> frozenset[Binding]:
        """The bindings of ``name`` that reach the statement holding ``node``."""
        statement = self.statement_of(node)
        return self.flow.visible(self._flow_scope(statement), statement, name)

    def binding_before(self, name: str, node: ast.AST) -> Binding | None:
        """The one binding of ``name`` the statement holding ``node`` sees."""
        found = self.visible(name, node)
        return next(iter(found)) if len(found) == 1 else None

    def single_binding(self, name: str, node: ast.AST) -> Binding | None:
        """The binding ``node``, a read of ``name``, sees; or, for another node, the one binding of
        ``name`` its statement sees."""
        if isinstance(node, ast.Name) and node.id == name:
            return self.binding(node)
        return self.binding_before(name, node)

    def binding_made(self, statement: ast.stmt, name: str) -> Binding | None:
        """The binding of ``name`` that ``statement`` makes."""
        scope = self._flow_scope(statement)
        return next((b for b in scope.bindings.get(name, ()) if b.statement is statement), None)

    def uses(self, binding: Binding) -> list[ast.Name]:
        """The reads a binding reaches, in source order."""
        return [read.node for read in self.flow.uses(binding)]

    def mutated(self, binding: Binding, before: ast.AST | None = None) -> bool:
        """Whether the value a binding holds is changed where the binding reaches: ``name[...] = ...``,
        ``name.attr = ...``, ``del name[...]``, ``name.update(...)`` and friends, ``name += ...``.
        ``before``: only changes that may run before that node (one later in straight-line code of the
        same scope, not in a loop around the node, cannot)."""
        for use in self.uses(binding):
            if before is not None and self.runs_after(use, before):
                continue
            parent = self.parents.get(use)
            if isinstance(parent, (ast.Subscript, ast.Attribute)) and isinstance(parent.ctx, (ast.Store, ast.Del)):
                return True
            if isinstance(parent, ast.AugAssign):
                return True
            if isinstance(parent, ast.Attribute) and parent.attr in _MUTATORS \
                    and isinstance(self.parents.get(parent), ast.Call):
                return True
        return False

    def runs_after(self, use: ast.AST, node: ast.AST) -> bool:
        """Whether ``use`` surely runs after ``node``: later in straight-line code of the same scope, with
        no loop around ``node`` that runs it again afterwards."""
        statement, later = self.statement_of(node), self.statement_of(use)
        if later.lineno <= statement.end_lineno or self._flow_scope(later) is not self._flow_scope(statement):  # type: ignore[operator]
            return False
        current: ast.AST = statement
        while current in self.parents:  # a loop around the node runs the later statement before it again
            current = self.parents[current]
            if isinstance(current, (ast.For, ast.AsyncFor, ast.While)):
                return False
        return True

    def iterated(self, binding: Binding) -> list[ast.expr] | None:
        """The values a ``for NAME in ITERABLE`` binding takes, when ITERABLE is a list or tuple written
        out (directly or through a name bound once to one that nothing changes)."""
        loop = binding.statement
        if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and loop.target.id == binding.name):
            return None
        iterable: ast.expr | None = loop.iter
        if isinstance(iterable, ast.Name):
            source = self.binding(iterable)
            iterable = source.value if source is not None and not self.mutated(source) else None
        return list(iterable.elts) if isinstance(iterable, (ast.List, ast.Tuple)) else None

    def constant(self, node: ast.expr | None, default: object = None) -> object:
        """The constant ``node`` evaluates to, through a name bound to one on every path; ``default``
        when there is no node; else :data:`UNKNOWN`."""
        if node is None:
            return default
        if isinstance(node, ast.Name):
            binding = self.binding(node)
            node = binding.value if binding is not None and binding.value is not None else node
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, RecursionError):
            return UNKNOWN

    def kind(self, expr: ast.expr) -> Kind | None:
        """What the analysis' resolver says ``expr`` is (a DataReference, a Datastore, a dataset input...)."""
        return self._resolver.kind(expr, self._flow_scope(self.statement_of(expr)))

    def constructed_via(self, call: ast.Call) -> str | None:
        """How the estimator class ``call`` constructs is reached when not by its name (the resolver's
        ``via``: through ``functools.partial`` or a dict of classes)."""
        resolved = self._resolver.constructed_class(call, self._flow_scope(self.statement_of(call)))
        return resolved.via if resolved is not None else None

    @functools.cached_property
    def _resolver(self) -> Resolver:
        return Resolver(self.flow)

    def same_names_at(self, expr: ast.expr, node: ast.AST) -> bool:
        """Whether every name ``expr`` reads holds the same bindings at ``node`` as where it is written
        (so that evaluating ``expr`` there instead gives the same values, calls aside)."""
        return all(self.flow.reaching(name) == self.visible(name.id, node) for name in ast.walk(expr)
                   if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Load))

    def _flow_scope(self, statement: ast.stmt) -> Scope:
        node: ast.AST = statement
        while True:
            node = self.parents.get(node, self.tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                return self._scopes[node]

    def naming(self) -> tuple[set[str], dict[str, int]]:
        """What :meth:`fresh_name` has handed out, to undo a trial plan's names."""
        return set(self._taken), dict(self._next_suffix)

    def restore_naming(self, state: tuple[set[str], dict[str, int]]) -> None:
        self._taken, self._next_suffix = set(state[0]), dict(state[1])

    # -- names -----------------------------------------------------------------------------------
    def fresh_name(self, base: str) -> str:
        """A name bound nowhere in the module (nor handed out before)."""
        # Every candidate tried before for this base was bound or handed out, and stays so (both sets
        # only grow): start after them, so that handing out n names for one base costs O(n), not O(n^2).
        counter = self._next_suffix.get(base, 1)  # 1 stands for ``base`` itself, n for ``base_n``
        while True:
            candidate = base if counter == 1 else f"{base}_{counter}"
            counter += 1
            if candidate not in self.all_names and candidate not in self._taken:
                break
        self._next_suffix[base] = counter
        self._taken.add(candidate)
        return candidate

    # -- workspace -------------------------------------------------------------------------------
    def workspace_for(self, node: ast.AST, submitted_as: str | None) -> str | None:
        """An expression naming a Workspace bound where ``node`` runs (DESIGN.md "Fixes")."""
        for scope in self.enclosing_scopes(node):
            if not isinstance(scope, ast.Module):
                for arg in scope.args.args + scope.args.kwonlyargs:
                    if arg.arg in ("ws", "workspace"):
                        return arg.arg
            for name in self._workspace_names_in(scope):
                visible = self.binding_before(name, node)
                if visible is not None and visible.value is not None and _is_workspace(visible.value):
                    return name
        if submitted_as:
            return self._experiment_workspace(node, submitted_as)
        return None

    def _workspace_names_in(self, scope: ScopeNode) -> list[str]:
        """The names of ``scope`` bound to a Workspace somewhere: the only ones whose binding visible
        at a given node can be one (asked per estimator, so worked out once per scope)."""
        key = id(scope)
        if key not in self._workspace_names:
            self._workspace_names[key] = [name for name, found in self._scopes[scope].bindings.items()
                                          if any(b.value is not None and _is_workspace(b.value) for b in found)]
        return self._workspace_names[key]

    def _experiment_workspace(self, node: ast.AST, submitted_as: str) -> str | None:
        for scope in self.enclosing_scopes(node):
            for call in _walk_scope(scope):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "submit" and isinstance(call.func.value, ast.Name)
                        and call.args and isinstance(call.args[0], ast.Name)
                        and call.args[0].id == submitted_as):
                    continue
                experiment = self.binding_before(call.func.value.id, node)
                if experiment and isinstance(experiment.value, ast.Call) \
                        and (dotted(experiment.value.func) or "").endswith("Experiment"):
                    return f"{call.func.value.id}.workspace"
        return None


_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef,
             ast.AsyncFunctionDef, ast.ClassDef, ast.Match, getattr(ast, "TryStar", ast.Try))
_MUTATORS = frozenset({"update", "append", "extend", "insert", "pop", "setdefault", "clear", "remove"})


def _imported_names(node: ast.Import | ast.ImportFrom) -> dict[str, str]:
    names: dict[str, str] = {}
    for alias in node.names:
        if isinstance(node, ast.Import):
            if alias.asname:
                names[alias.asname] = alias.name
            else:
                head = alias.name.split(".")[0]
                names[head] = head
        elif node.module and node.level == 0:
            if alias.name == "*":
                for exported in STAR_EXPORTS.get(node.module, ()):
                    names[exported] = f"{node.module}.{exported}"
            else:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _annotation(node: ast.AST) -> ast.expr | None:
    """A parameter's or variable's annotation, a function's return annotation."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.returns
    return node.annotation if isinstance(node, (ast.arg, ast.AnnAssign)) else None


UNKNOWN = object()  # a value only run time knows


def is_none(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def given(keywords: dict[str, ast.expr], name: str) -> ast.expr | None:
    """The expression passed for ``name``, unless absent or ``None``."""
    value = keywords.get(name)
    return None if value is None or is_none(value) else value


def dotted_root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_workspace(value: ast.expr) -> bool:
    if isinstance(value, ast.Call):
        name = dotted(value.func) or ""
        return any(name == f or name.endswith("." + f) for f in _WORKSPACE_FACTORIES)
    if isinstance(value, ast.Attribute) and value.attr == "workspace":
        return isinstance(value.value, ast.Attribute) and value.value.attr == "experiment"
    return False


def _walk_scope(scope: ScopeNode) -> Iterator[ast.AST]:
    """Every node of ``scope`` except those of nested functions and classes."""
    stack: list[ast.AST] = list(reversed(scope.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The blocks a statement holds, in source order: its body, ``except``/``case`` clauses,
    ``else`` and ``finally``."""
    body = getattr(statement, "body", None)
    if isinstance(body, list):
        yield body
    for clause in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        yield clause.body
    for name in ("orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list):
            yield block
