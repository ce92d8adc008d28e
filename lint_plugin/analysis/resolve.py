"""Qualified names and value kinds, resolved through a scope's bindings."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..sdk.names import BY_PATH, CLASSES, STAR_EXPORTS, Kind, SdkClass
from .flow import Flow
from .scopes import Binding, Scope

_MAX_DEPTH = 12
_DATASTORE_REFERENCE_METHODS = frozenset({"path", "as_mount", "as_download", "as_upload", "upload",
                                          "upload_files"})
_REFERENCE_MODES = frozenset({"as_mount", "as_download", "as_upload"})
# A dataset's (or a DatasetConsumptionConfig's) methods that give a DatasetConsumptionConfig.
_DATASET_INPUT_METHODS = frozenset({"as_named_input", "as_mount", "as_download", "as_hdfs"})
# Class attributes that are namespaces rather than factories: `Dataset.File.from_files(...)`.
_CLASS_PREFIXES: tuple[tuple[str, SdkClass], ...] = tuple(
    (path + ".", cls) for cls in CLASSES for path in cls.paths
)


@dataclass(frozen=True)
class ResolvedClass:
    sdk: SdkClass
    subclass: str | None = None  # the user's class that subclasses ``sdk``, when that is what is called
    # how an estimator class is reached other than by its name: "functools.partial" or "a dict of classes"
    # (then ``choices`` names every class it may be)
    via: str | None = None
    choices: tuple[str, ...] = ()


class Resolver:
    """Answers "what is this expression?" for the checks, following names through the bindings that
    reach them (:class:`~.flow.Flow`)."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow

    def qualified_name(self, expr: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        """The dotted name ``expr`` refers to through imports and aliases. Where paths disagree, the
        one qualified name the imports among them give (``try: import X`` / ``except: X = None``)."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Attribute):
            base = self.qualified_name(expr.value, scope, depth + 1)
            return f"{base}.{expr.attr}" if base else None
        if not isinstance(expr, ast.Name):
            return None
        reaching = self.flow.reaching(expr)
        if not reaching:
            return self._star_import(expr.id, scope)
        if len(reaching) == 1:
            return self._binding_name(next(iter(reaching)), depth)
        names = {self._binding_name(binding, depth) for binding in reaching} - {None}
        classes = {BY_PATH.get(name) for name in names}
        if len(names) > 1 and len(classes) == 1 and None not in classes:
            return next(iter(classes)).qualified_name  # type: ignore[union-attr]  # two paths to one class
        return names.pop() if len(names) == 1 else None

    def _binding_name(self, binding: Binding, depth: int) -> str | None:
        if binding.imported is not None:
            return binding.imported
        if isinstance(binding.value, (ast.Name, ast.Attribute)):  # `E = Estimator` aliases
            return self.qualified_name(binding.value, binding.scope, depth + 1)
        return None

    @staticmethod
    def _star_import(name: str, scope: Scope) -> str | None:
        current: Scope | None = scope
        while current is not None:
            for module in current.star_imports:
                if name in STAR_EXPORTS.get(module, ()):
                    return f"{module}.{name}"
            current = current.parent
        return None

    def sdk_class(self, expr: ast.expr, scope: Scope, depth: int = 0) -> ResolvedClass | None:
        """The SDK class ``expr`` names, or the estimator a class of the module subclasses."""
        if depth > _MAX_DEPTH:
            return None
        found = BY_PATH.get(self.qualified_name(expr, scope) or "")
        if found is not None:
            return ResolvedClass(found)
        if isinstance(expr, ast.Subscript):
            return self._chosen_class(expr, scope, depth + 1)
        binding = self.binding_of(expr, scope)
        if binding is not None and isinstance(binding.value, (ast.Call, ast.Subscript)):
            return self._indirect_class(binding.value, binding.scope, depth + 1)
        if binding is None or not isinstance(binding.definition, ast.ClassDef):
            return None
        for base in binding.definition.bases:
            inherited = self.sdk_class(base, binding.scope, depth + 1)
            if inherited is not None and inherited.sdk.kind is Kind.ESTIMATOR:
                return ResolvedClass(inherited.sdk, binding.definition.name)
        return None

    def _indirect_class(self, value: ast.Call | ast.Subscript, scope: Scope, depth: int) -> ResolvedClass | None:
        """A name bound to ``functools.partial(Estimator, ...)`` or to ``CLASSES[key]``."""
        if isinstance(value, ast.Subscript):
            return self._chosen_class(value, scope, depth)
        if self.qualified_name(value.func, scope) != "functools.partial" or not value.args:
            return None
        inner = self.sdk_class(value.args[0], scope, depth + 1)
        if inner is None or inner.sdk.kind is not Kind.ESTIMATOR:
            return None
        return ResolvedClass(inner.sdk, inner.subclass, via="functools.partial", choices=(inner.sdk.name,))

    def _chosen_class(self, subscript: ast.Subscript, scope: Scope, depth: int) -> ResolvedClass | None:
        """``CLASSES[key]`` where ``CLASSES`` is a dict written out whose values are all estimator classes."""
        table, table_scope = self.value_of(subscript.value, scope)
        if not isinstance(table, ast.Dict) or not table.values:
            return None
        classes = [self.sdk_class(value, table_scope, depth + 1) for value in table.values]
        if any(found is None or found.sdk.kind is not Kind.ESTIMATOR for found in classes):
            return None
        names = tuple(dict.fromkeys(found.sdk.name for found in classes))  # type: ignore[union-attr]
        return ResolvedClass(classes[0].sdk, via="a dict of classes", choices=names)  # type: ignore[union-attr]

    def constructed_class(self, call: ast.Call, scope: Scope) -> ResolvedClass | None:
        return self.sdk_class(call.func, scope)

    def binding_of(self, expr: ast.expr, scope: Scope | None = None) -> Binding | None:
        """The one binding a plain name holds where it is read (None for anything else, or when
        paths disagree)."""
        return self.flow.binding(expr) if isinstance(expr, ast.Name) else None

    def value_of(self, expr: ast.expr, scope: Scope, depth: int = 0) -> tuple[ast.expr, Scope]:
        """Follow a name to the expression last assigned to it (the expression itself otherwise)."""
        while isinstance(expr, ast.Name) and depth <= _MAX_DEPTH:
            binding = self.binding_of(expr, scope)
            if binding is None or binding.value is None:
                break
            expr, scope, depth = binding.value, binding.scope, depth + 1
        return expr, scope

    def kind(self, expr: ast.expr, scope: Scope, depth: int = 0) -> Kind | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            reaching = self.flow.reaching(expr)
            if len(reaching) == 1:
                binding = next(iter(reaching))
                return self.kind(binding.value, binding.scope, depth + 1) if binding.value is not None else None
            kinds = {self.kind(b.value, b.scope, depth + 1) if b.value is not None else None for b in reaching}
            return kinds.pop() if len(kinds) == 1 else None  # the same kind on every path
        if isinstance(expr, ast.NamedExpr):
            return self.kind(expr.value, scope, depth + 1)
        if isinstance(expr, ast.Call):
            return self._call_kind(expr, scope, depth)
        if isinstance(expr, ast.Subscript):
            container = expr.value
            if isinstance(container, ast.Attribute) and container.attr == "datastores":
                return Kind.DATASTORE
            if isinstance(container, ast.Attribute) and container.attr == "datasets":
                return Kind.DATASET  # ``ws.datasets['name']``
            return None
        if isinstance(expr, ast.Attribute):
            if expr.attr == "workspace":
                return Kind.WORKSPACE
            if expr.attr == "experiment":
                return Kind.EXPERIMENT
        return None

    def _call_kind(self, call: ast.Call, scope: Scope, depth: int) -> Kind | None:
        constructed = self.sdk_class(call.func, scope, depth + 1)
        if constructed is not None:
            return constructed.sdk.kind
        qualified = self.qualified_name(call.func, scope, depth + 1)
        if qualified:
            for prefix, cls in _CLASS_PREFIXES:
                if qualified.startswith(prefix):
                    return cls.kind  # a class method factory: Datastore.get(...), Workspace.from_config()
            return None
        if not isinstance(call.func, ast.Attribute):
            return None
        return self._method_kind(call.func, scope, depth)

    def _method_kind(self, method: ast.Attribute, scope: Scope, depth: int) -> Kind | None:
        name, receiver = method.attr, method.value
        if name == "get_default_datastore":
            return Kind.DATASTORE
        receiver_kind = self.kind(receiver, scope, depth + 1)
        if receiver_kind is Kind.DATASTORE and name in _DATASTORE_REFERENCE_METHODS:
            return Kind.DATA_REFERENCE
        if receiver_kind is Kind.DATA_REFERENCE and name in _REFERENCE_MODES | {"path"}:
            return Kind.DATA_REFERENCE
        if receiver_kind in (Kind.DATASET, Kind.DATASET_INPUT) and name in _DATASET_INPUT_METHODS:
            return Kind.DATASET_INPUT
        if receiver_kind is Kind.DATASET:
            return Kind.DATASET
        if receiver_kind is Kind.EXPERIMENT and name == "submit":
            return Kind.RUN
        if receiver_kind is None and name == "as_named_input":
            return Kind.DATASET_INPUT  # only datasets have it, wherever the dataset comes from
        if receiver_kind is None and name in _REFERENCE_MODES and _is_path_call(receiver):
            return Kind.DATA_REFERENCE  # `<datastore>.path('x').as_mount()`: only datastores have .path()
        return None

    def literal(self, expr: ast.expr, scope: Scope) -> object:
        """The constant an expression evaluates to (through names), or :data:`UNKNOWN`."""
        value, _ = self.value_of(expr, scope)
        if isinstance(value, ast.Constant):
            return value.value
        return UNKNOWN


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def _is_path_call(expr: ast.expr) -> bool:
    return (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "path"
            and not (isinstance(expr.func.value, ast.Name) and expr.func.value.id == "os"))


def keyword(call: ast.Call, name: str, position_index: int | None = None) -> ast.expr | None:
    """The expression passed for parameter ``name``, by keyword or at ``position_index``."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position_index is not None and len(call.args) > position_index:
        candidate = call.args[position_index]
        if not any(isinstance(arg, ast.Starred) for arg in call.args[: position_index + 1]):
            return candidate
    return None


def keyword_node(call: ast.Call, name: str) -> ast.keyword | None:
    return next((kw for kw in call.keywords if kw.arg == name), None)


def passes_unpacked(call: ast.Call) -> bool:
    """``*args`` or ``**kwargs`` hide parameters from static analysis."""
    return any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)


def is_none(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
