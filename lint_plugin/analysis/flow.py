"""Which bindings reach each read of a name: flow-sensitive, like a type checker's narrowing of names.

One pass over the statements of each scope, after the index's walk, with a state that maps every name
to the bindings that may hold its value at that point:

* straight-line statements replace a name's bindings (a notebook is one module, cells in order, so a
  name assigned again in a later cell is a new binding from there on);
* ``if``/``else``, ``match`` and ``try`` merge the states of their branches;
* a loop body may run any number of times: at its head a name holds what it held before the loop or
  what any statement of the body binds; after the loop, the same;
* after ``return``, ``raise``, ``break`` or ``continue`` nothing flows to the next statement;
* a function or lambda body runs whenever it is called: a name it does not bind holds any binding
  its enclosing scope ever makes. A comprehension runs in place: it sees its scope as it is there.

Checks and the fixer's planner ask the same questions here: what reaches this read
(:meth:`Flow.reaching`), the one value it can have (:meth:`Flow.binding`), and which reads one
binding reaches (:meth:`Flow.uses`).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator

from .scopes import Binding, FlowNode, ModuleIndex, NameRead, Scope

State = dict[str, frozenset[Binding]]
_NOTHING: frozenset[Binding] = frozenset()
_ENDS_FLOW = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class Flow:
    """The reaching bindings of every read of a module, computed once from its index."""

    def __init__(self, index: ModuleIndex) -> None:
        self._index = index
        self._reaching: dict[ast.Name, frozenset[Binding]] = {}
        self._uses: dict[Binding, list[NameRead]] = defaultdict(list)
        self._read_at: dict[ast.Name, NameRead] = {}
        # per flow node: (line, column, 0 for a read / 1 for a binding, sequence, the read or binding)
        self._events: dict[FlowNode, list[tuple[int, int, int, int, object]]] = defaultdict(list)
        self._scope_of_read: dict[ast.Name, Scope] = {}
        self._snapshots: dict[tuple[int, int], State] = {}
        self._owners: dict[tuple[int, str], Scope | None] = {}
        self._inverted = False  # ``_uses`` is built on the first question about it
        self._note_events()
        for scope in index.scopes:
            if scope.has_statements:
                _Runner(self, scope).block(scope.node.body, _parameters(scope))  # type: ignore[attr-defined]

    # -- questions ----------------------------------------------------------------------------
    def reaching(self, read: ast.Name) -> frozenset[Binding]:
        """Every binding whose value the read may see (empty: a builtin, a star import, or unbound)."""
        return self._reaching.get(read, _NOTHING)

    def binding(self, read: ast.Name) -> Binding | None:
        """The one binding the read sees, on every path; None when paths disagree or none is known.

        Bindings on different paths that assign the same literal count as one."""
        found = self._reaching.get(read)
        if not found:
            return None
        if len(found) == 1:
            return next(iter(found))
        return _same_literal(found)

    def uses(self, binding: Binding) -> list[NameRead]:
        """The reads ``binding`` may reach, in source order (each may be reached by others too)."""
        if not self._inverted:
            for read, found in self._reaching.items():
                for reaching in found:
                    self._uses[reaching].append(self._read_at[read])
            self._inverted = True
        return sorted(self._uses.get(binding, ()), key=lambda read: (read.node.lineno, read.node.col_offset))

    def read(self, node: ast.Name) -> NameRead | None:
        return self._read_at.get(node)

    def scope_of(self, read: ast.Name) -> Scope | None:
        return self._scope_of_read.get(read)

    def visible(self, scope: Scope, statement: ast.stmt, name: str) -> frozenset[Binding]:
        """The bindings of ``name`` that reach the start of ``statement``, a statement of ``scope``'s
        body (or of blocks nested in it): for questions about a point rather than a read."""
        key = (id(scope), id(statement))
        if key not in self._snapshots:
            self._snapshots.update(_Snapshots(self, scope, statement).states())
        state = self._snapshots.get(key, {})
        if name in state:
            return state[name]
        return self._outer(scope, name) if not _binds(scope, name) else _NOTHING

    # -- building -----------------------------------------------------------------------------
    def _note_events(self) -> None:
        """Each read and binding, filed under the flow node that applies it, in evaluation order."""
        events, read_at, scope_of_read, reaching = self._events, self._read_at, self._scope_of_read, self._reaching
        sequence = 0  # orders events written at the same place (the names of ``a, b = ...``)
        for scope in self._index.scopes:
            for name, reads in scope.reads.items():
                owner = self._resolving_scope(scope, name)
                if owner is None:
                    for read in reads:
                        read_at[read.node] = read
                        scope_of_read[read.node] = scope
                    continue
                in_flow = owner.has_statements and (owner is scope or scope.runs_in_place
                                                    and self._runs_with(scope, owner))
                # a comprehension's or lambda's own variable; or a name read in a function or lambda
                # that runs later: any of the owner's bindings
                fixed = None if in_flow else frozenset(owner.bindings[name] if not owner.has_statements
                                                       else _flow_bindings(owner, name))
                for read in reads:
                    node = read.node
                    read_at[node] = read
                    scope_of_read[node] = scope
                    if fixed is None:
                        sequence += 1
                        events[read.statement].append((node.lineno, node.col_offset, 0, sequence, read))
                    else:
                        reaching[node] = fixed
            if scope.has_statements:
                for bindings in scope.bindings.values():
                    for binding in bindings:
                        if binding.statement is not None:
                            sequence += 1
                            events[binding.statement].append((*binding.at, 1, sequence, binding))
        for filed in events.values():
            if len(filed) > 1:
                filed.sort()

    def _resolving_scope(self, scope: Scope, name: str) -> Scope | None:
        """The scope whose binding of ``name`` a read in ``scope`` sees (Python's rules: a name bound
        anywhere in a function is local to all of it; class bodies do not enclose their methods)."""
        key = (id(scope), name)
        if key not in self._owners:
            self._owners[key] = self._find_resolving_scope(scope, name)
        return self._owners[key]

    def _find_resolving_scope(self, scope: Scope, name: str) -> Scope | None:
        current: Scope | None = scope
        first = True
        while current is not None:
            if (first or not current.is_class) and _binds(current, name):
                return current
            if name in current.declared_outer:
                current = self._index.module if current.declared_outer[name] == "global" else current.parent
                first = False
                continue
            current = current.parent
            first = False
        return None

    @staticmethod
    def _runs_with(inner: Scope, owner: Scope) -> bool:
        """Whether ``inner`` runs in place all the way out to ``owner`` (comprehensions in comprehensions)."""
        current: Scope | None = inner
        while current is not None and current is not owner:
            if not current.runs_in_place:
                return False
            current = current.parent
        return current is owner

    def _outer(self, scope: Scope, name: str) -> frozenset[Binding]:
        owner = self._resolving_scope(scope, name)
        return frozenset(_flow_bindings(owner, name)) if owner is not None else _NOTHING


class _Runner:
    """Walks one scope's statements, carrying the state (see the module docstring)."""

    records = True  # whether the reads met are recorded (a re-run for a snapshot does not)

    def __init__(self, flow: Flow, scope: Scope) -> None:
        self.flow = flow
        self.scope = scope

    def block(self, body: list[ast.stmt], state: State | None) -> State | None:
        for statement in body:
            if state is None:
                state = {}  # unreachable code: nothing known flows into it
            state = self.statement(statement, state)
        return state

    def statement(self, node: ast.stmt, state: State) -> State | None:
        self.notice(node, state)
        if isinstance(node, ast.If):
            self.events(node, state)
            return _merge(self.block(node.body, dict(state)), self.block(node.orelse, dict(state)))
        if isinstance(node, _LOOPS):
            return self.loop(node, state)
        if isinstance(node, _TRY):
            return self.try_(node, state)  # type: ignore[arg-type]
        if isinstance(node, (ast.With, ast.AsyncWith)):
            self.events(node, state)
            return self.block(node.body, state)
        if isinstance(node, ast.Match):
            self.events(node, state)
            ends = [self.block(case.body, self.events(case, dict(state))) for case in node.cases]
            return _merge(dict(state), *ends)  # no case may match
        self.events(node, state)
        return None if isinstance(node, _ENDS_FLOW) else state

    def notice(self, node: ast.stmt, state: State) -> None:
        """A hook for :class:`_Snapshots`."""

    def loop(self, node: ast.For | ast.AsyncFor | ast.While, state: State) -> State:
        if not isinstance(node, ast.While):
            self.events(node, state, targets=False)  # the iterable is read once, before the first pass
        head = dict(state)
        for binding in _bindings_within(node, self.flow):
            head[binding.name] = head.get(binding.name, _NOTHING) | {binding}
        body_state = dict(head)
        if isinstance(node, ast.While):
            self.events(node, body_state)
        else:
            self.events(node, body_state, reads=False)
        self.block(node.body, body_state)
        after = self.block(node.orelse, dict(head))
        return _merge(head, after)

    def try_(self, node: ast.Try, state: State) -> State | None:
        anywhere = dict(state)  # a handler can start after any statement of the body
        for binding in _bindings_within(node, self.flow, bodies=(node.body,)):
            anywhere[binding.name] = anywhere.get(binding.name, _NOTHING) | {binding}
        normal = self.block(node.orelse, self.block(node.body, dict(state)))
        handled = [self.block(handler.body, self.events(handler, dict(anywhere))) for handler in node.handlers]
        after = _merge(normal, *handled)
        if node.finalbody:
            return self.block(node.finalbody, after if after is not None else dict(anywhere))
        return after

    def events(self, node: FlowNode, state: State, *, reads: bool = True,
               targets: bool = True) -> State:
        """Apply the node's own reads and bindings, in evaluation order. A loop's header reads its
        iterable before the first pass and binds its target at the start of every pass."""
        for _, _, kind, _, item in self.flow._events.get(node, ()):  # type: ignore[arg-type]
            if kind == 0 and reads and self.records:
                read: NameRead = item  # type: ignore[assignment]
                name = read.node.id
                self.flow._reaching[read.node] = state[name] if name in state else \
                    (_NOTHING if _binds(self.scope, name) else self.flow._outer(self.scope, name))
            elif kind == 1 and targets:
                binding: Binding = item  # type: ignore[assignment]
                state[binding.name] = _NOTHING if binding.deleted else frozenset({binding})
        return state


class _Snapshots(_Runner):
    """Re-runs a scope to record the state at the start of one statement (no reads are recorded)."""

    records = False

    def __init__(self, flow: Flow, scope: Scope, target: ast.stmt) -> None:
        super().__init__(flow, scope)
        self.target = target
        self.found: State | None = None

    def notice(self, node: ast.stmt, state: State) -> None:
        if node is self.target and self.found is None:
            self.found = dict(state)

    def states(self) -> Iterator[tuple[tuple[int, int], State]]:
        body = getattr(self.scope.node, "body", None)
        if isinstance(body, list):
            self.block(body, _parameters(self.scope))
        if self.found is not None:
            yield (id(self.scope), id(self.target)), self.found


def _parameters(scope: Scope) -> State:
    """A function's state on entry: its parameters."""
    state: State = {}
    for name, bindings in scope.bindings.items():
        parameters = frozenset(binding for binding in bindings if binding.statement is None)
        if parameters:
            state[name] = parameters
    return state


def _merge(*states: State | None) -> State | None:
    live = [state for state in states if state is not None]
    if not live:
        return None
    merged = dict(live[0])
    for state in live[1:]:
        for name in merged.keys() | state.keys():
            merged[name] = merged.get(name, _NOTHING) | state.get(name, _NOTHING)
    return merged


def _binds(scope: Scope, name: str) -> bool:
    return bool(scope.bindings.get(name)) and name not in scope.declared_outer


def _flow_bindings(scope: Scope, name: str) -> list[Binding]:
    return [binding for binding in scope.bindings.get(name, ()) if not binding.deleted]


def _bindings_within(node: ast.stmt, flow: Flow, bodies: tuple[list[ast.stmt], ...] | None = None) -> Iterator[Binding]:
    """Every binding made by ``node``'s own header and the statements nested in its blocks (not in
    nested functions or classes)."""
    if bodies is None:
        yield from _own_bindings(node, flow)
        blocks = [getattr(node, "body", []), getattr(node, "orelse", [])]
    else:
        blocks = list(bodies)
    for block in blocks:
        for statement in block:
            yield from _own_bindings(statement, flow)
            if isinstance(statement, _NESTED_SCOPES):
                continue
            inner = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
            inner += [clause.body for clause in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ()))]
            for clause in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
                yield from _own_bindings(clause, flow)
            for nested in inner:
                if isinstance(nested, list):
                    yield from _bindings_within(statement, flow, bodies=(nested,))


def _own_bindings(node: FlowNode, flow: Flow) -> Iterator[Binding]:
    for _, _, kind, _, item in flow._events.get(node, ()):
        if kind == 1:
            yield item  # type: ignore[misc]


def _same_literal(found: frozenset[Binding]) -> Binding | None:
    """Several paths that all assign the same constant (``x = 'a'`` in both branches)."""
    values = [binding.value for binding in found]
    if any(value is None for value in values):
        return None
    try:
        literals = {repr(ast.literal_eval(value)) for value in values}  # type: ignore[arg-type]
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None
    if len(literals) != 1:
        return None
    return min(found, key=lambda binding: binding.at)
