"""What a check gets: the module index, the resolver, and a way to report."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..findings import Finding
from ..rules import BY_CODE
from ..sdk.names import Kind
from .flow import Flow
from .resolve import ResolvedClass, Resolver
from .scopes import CallFact, ModuleIndex, Scope, end_position, position


class Context:
    def __init__(self, index: ModuleIndex, flow: Flow | None = None) -> None:
        self.index = index
        self.flow = flow if flow is not None else Flow(index)
        self.resolver = Resolver(self.flow)
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int, int]] = set()
        self._constructed: dict[int, ResolvedClass | None] = {}
        self._scopes: dict[ast.AST, Scope] | None = None

    def report(self, code: str, node: ast.AST, **fields: str) -> None:
        start, end = position(node), end_position(node)
        key = (code, *start)
        if key in self._seen:
            return
        self._seen.add(key)
        message = BY_CODE[code].format(**fields)
        self.findings.append(Finding(code, start[0], start[1], end[0], end[1], message))

    def scope_for(self, node: ast.AST) -> Scope | None:
        """The scope a function, class, lambda or comprehension node opens."""
        if self._scopes is None:
            self._scopes = {scope.node: scope for scope in self.index.scopes}
        return self._scopes.get(node)

    def constructed(self, fact: CallFact) -> ResolvedClass | None:
        """The SDK class a call constructs (memoised: several checks ask about every call)."""
        key = id(fact.call)
        if key not in self._constructed:
            self._constructed[key] = self.resolver.constructed_class(fact.call, fact.scope)
        return self._constructed[key]

    def calls_of(self, *kinds: Kind) -> Iterator[tuple[CallFact, ResolvedClass]]:
        for fact in self.index.calls:
            resolved = self.constructed(fact)
            if resolved is not None and resolved.sdk.kind in kinds:
                yield fact, resolved

    def source_text(self, node: ast.AST, limit: int = 40) -> str:
        text = ast.unparse(node)
        return text if len(text) <= limit else text[: limit - 3] + "..."
