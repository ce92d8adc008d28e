"""A small static evaluator: literals, names bound in the same module, and the SDK calls a
submit script uses to describe a job. Anything else raises :class:`Unresolved` with its source
text, so the caller can name it and the user can supply it with ``--set``."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sdk.names import BY_PATH, Kind
from .spec import DataInput, InputArg

DEFAULT_DATASTORE = "workspaceblobstore"


class Unresolved(Exception):
    def __init__(self, name: str, line: int) -> None:
        super().__init__(name)
        self.name = name
        self.line = line


@dataclass
class Obj:
    """A modelled SDK object: what a submit script builds, as far as a dry run needs it."""

    kind: str  # src, env, conda, distributed, datastore, datapath, dataset, experiment, other
    node: ast.AST
    attrs: dict[str, Any] = field(default_factory=dict)
    var: str | None = None  # the module name it is bound to, for later attribute assignments

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 0)


class Module:
    """Bindings of one module, flattened: the latest binding before a use wins."""

    def __init__(self, tree: ast.Module, overrides: dict[str, Any], base_dir: Path) -> None:
        self.tree = tree
        self.base_dir = base_dir  # where the submit script runs: relative files are read from here
        self.overrides = overrides
        self.imports: dict[str, str] = {}
        self.bindings: dict[str, list[tuple[int, ast.AST | None]]] = {}
        self.attr_sets: dict[str, list[tuple[int, ast.AST]]] = {}
        self.item_sets: dict[str, list[tuple[int, ast.AST, ast.AST]]] = {}
        self.method_calls: dict[str, list[tuple[int, ast.Call]]] = {}
        self._cache: dict[int, Any] = {}
        self._inputs: list[DataInput] = []
        self._collect()

    # --- collecting bindings -------------------------------------------------------------
    def _collect(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.imports[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._bind(target, node.value, node.lineno)
            elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.withitem, ast.NamedExpr)):
                self._bind_opaque(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for arg in ast.walk(node.args):
                    if isinstance(arg, ast.arg):
                        self.bindings.setdefault(arg.arg, []).append((node.lineno, None))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                if isinstance(func, ast.Attribute):
                    self.method_calls.setdefault(ast.unparse(func.value), []).append(
                        (node.lineno, node.value)
                    )
        for table in (self.bindings, self.attr_sets, self.item_sets, self.method_calls):
            for entries in table.values():
                entries.sort(key=lambda entry: entry[0])

    def _bind(self, target: ast.AST, value: ast.AST, line: int) -> None:
        if isinstance(target, ast.Name):
            self.bindings.setdefault(target.id, []).append((line, value))
        elif isinstance(target, ast.Attribute):
            self.attr_sets.setdefault(ast.unparse(target), []).append((line, value))
        elif isinstance(target, ast.Subscript):
            self.item_sets.setdefault(ast.unparse(target.value), []).append((line, target.slice, value))
        else:
            self._bind_unknown(target, line)

    def _bind_unknown(self, target: ast.AST, line: int) -> None:
        """A binding whose value is not followed (unpacking, loops, augmented assignment): a name
        becomes unresolvable from here on; an attribute or item stands for itself, so evaluating it
        reports it by its own text instead of using an older value."""
        if isinstance(target, ast.Name):
            self.bindings.setdefault(target.id, []).append((line, None))
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            self._bind(target, target, line)
        elif isinstance(target, ast.Starred):
            self._bind_unknown(target.value, line)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind_unknown(element, line)

    def _bind_opaque(self, node: ast.AST) -> None:
        target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
        line = getattr(node, "lineno", None) or getattr(getattr(node, "context_expr", None), "lineno", 0)
        if target is not None:
            self._bind_unknown(target, line)

    # --- lookups -------------------------------------------------------------------------
    def binding(self, name: str, line: int) -> tuple[int, ast.AST | None] | None:
        before = [entry for entry in self.bindings.get(name, []) if entry[0] < line]
        return before[-1] if before else None

    def attribute(self, dotted: str, after: int) -> tuple[int, ast.AST] | None:
        later = [entry for entry in self.attr_sets.get(dotted, []) if entry[0] >= after]
        return later[-1] if later else None

    def qualified(self, node: ast.AST) -> str | None:
        """`Dataset.File.from_files` -> `azureml.core.Dataset.File.from_files`, through imports."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.imports:
            return None
        return ".".join([self.imports[node.id], *reversed(parts)])

    @property
    def inputs(self) -> list[DataInput]:
        return self._inputs

    # --- evaluation ----------------------------------------------------------------------
    def eval(self, node: ast.AST) -> Any:
        key = id(node)
        if key not in self._cache:
            self._cache[key] = self._eval(node)
        return self._cache[key]

    def _eval(self, node: ast.AST) -> Any:
        text = ast.unparse(node)
        if text in self.overrides and isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            return self.overrides[text]
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return self._sequence(node)
        if isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):
                raise Unresolved(text, line)
            return {self._key(k): self.eval(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, ast.JoinedStr):
            return "".join(self._format(value) for value in node.values)
        if isinstance(node, ast.BinOp):
            return self._binop(node, text)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.eval(node.operand)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, text)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, text)
        if isinstance(node, ast.Call):
            return self._call(node, text)
        raise Unresolved(text, line)

    def _sequence(self, node: ast.List | ast.Tuple) -> list[Any]:
        items: list[Any] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                value = self.eval(element.value)
                if not isinstance(value, list):
                    raise Unresolved(ast.unparse(element), element.lineno)
                items.extend(value)
            else:
                items.append(self.eval(element))
        return items

    def _key(self, node: ast.AST) -> Any:
        value = self.eval(node)
        return value.name or value.key if isinstance(value, DataInput) else value

    def _format(self, node: ast.AST) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        assert isinstance(node, ast.FormattedValue)
        value = self.eval(node.value)
        if isinstance(value, (Obj, DataInput)) or node.format_spec is not None or node.conversion != -1:
            raise Unresolved(ast.unparse(node.value), node.lineno)
        return str(value)

    def _binop(self, node: ast.BinOp, text: str) -> Any:
        left, right = self.eval(node.left), self.eval(node.right)
        operators = {
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b,
            ast.FloorDiv: lambda a, b: a // b,
        }
        operator = operators.get(type(node.op))
        if operator is None or isinstance(left, (Obj, DataInput)) or isinstance(right, (Obj, DataInput)):
            raise Unresolved(text, node.lineno)
        try:
            return operator(left, right)
        except TypeError:
            raise Unresolved(text, node.lineno) from None

    def _name(self, node: ast.Name) -> Any:
        found = self.binding(node.id, node.lineno)
        if found is None or found[1] is None:
            raise Unresolved(node.id, found[0] if found else node.lineno)
        try:
            value = self.eval(found[1])
        except Unresolved:
            raise Unresolved(node.id, found[0]) from None  # the name to --set, where it is bound
        if isinstance(value, Obj) and value.var is None:
            value.var = node.id
        return value

    def _attribute(self, node: ast.Attribute, text: str) -> Any:
        if self.qualified(node) is not None:
            raise Unresolved(text, node.lineno)
        base = self._base(node, text)
        if isinstance(base, DataInput) and node.attr == "data_reference_name":
            return base.name or base.key
        if isinstance(base, Obj) and node.attr in base.attrs:
            return base.attrs[node.attr]
        if isinstance(base, Obj) and base.kind == "other" and node.attr == "datastores":
            return Obj("datastores", node)
        raise Unresolved(text, node.lineno)

    def _base(self, node: ast.Attribute | ast.Subscript, text: str) -> Any:
        """The object an attribute or item is taken from; if unknown, the whole expression is named."""
        try:
            return self.eval(node.value)
        except Unresolved:
            raise Unresolved(text, node.lineno) from None

    def _subscript(self, node: ast.Subscript, text: str) -> Any:
        base = self._base(node, text)
        if isinstance(base, Obj) and base.kind == "datastores":
            return Obj("datastore", node, {"name": self.eval(node.slice)})
        try:
            return base[self.eval(node.slice)]
        except (TypeError, KeyError, IndexError):
            raise Unresolved(text, node.lineno) from None

    # --- calls ---------------------------------------------------------------------------
    def _call(self, node: ast.Call, text: str) -> Any:
        qualified = self.qualified(node.func)
        if qualified is not None:
            return self._module_call(node, qualified, text)
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in {"str", "int", "float", "bool", "list", "dict"}
            and node.func.id not in self.bindings
        ):
            return self._builtin(node, text)
        if isinstance(node.func, ast.Attribute):
            receiver = self.eval(node.func.value)
            return self._method(receiver, node.func.attr, node, text)
        raise Unresolved(text, node.lineno)

    def _builtin(self, node: ast.Call, text: str) -> Any:
        name = node.func.id  # type: ignore[attr-defined]
        if node.keywords or len(node.args) > 1:
            raise Unresolved(text, node.lineno)
        if not node.args:
            return {"str": "", "int": 0, "float": 0.0, "bool": False, "list": [], "dict": {}}[name]
        value = self.eval(node.args[0])
        if isinstance(value, DataInput):
            if name != "str":
                raise Unresolved(text, node.lineno)
            return value
        if isinstance(value, Obj):
            raise Unresolved(text, node.lineno)
        return {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}[name](value)

    def arg(self, node: ast.Call, position: int | None, keyword: str, default: Any = None) -> Any:
        """Evaluate one argument of a call given by position or keyword; default if absent."""
        found = self.arg_node(node, position, keyword)
        return default if found is None else self.eval(found)

    @staticmethod
    def arg_node(node: ast.Call, position: int | None, keyword: str) -> ast.AST | None:
        for item in node.keywords:
            if item.arg == keyword:
                return item.value
        if position is not None and position < len(node.args):
            candidate = node.args[position]
            return None if isinstance(candidate, ast.Starred) else candidate
        return None

    def _module_call(self, node: ast.Call, qualified: str, text: str) -> Any:
        if qualified == "os.path.join":
            return os.path.join(*[self.eval(arg) for arg in node.args])
        cls, member = _split_sdk(qualified)
        if cls is None:
            raise Unresolved(text, node.lineno)
        handler = _CONSTRUCTORS.get((cls.name, member))
        if handler is None:
            if member or cls.kind in {Kind.WORKSPACE, Kind.RUN}:
                return Obj("other", node)
            raise Unresolved(text, node.lineno)
        return handler(self, node)

    def apply(self, receiver: Obj, call: ast.Call) -> None:
        """Apply a statement-level method call (`conda.add_pip_package(...)`) to an object."""
        assert isinstance(call.func, ast.Attribute)
        self._method(receiver, call.func.attr, call, ast.unparse(call))

    def _method(self, receiver: Any, method: str, node: ast.Call, text: str) -> Any:
        if isinstance(receiver, DataInput) and method == "to_config":
            return receiver
        if not isinstance(receiver, Obj):
            raise Unresolved(text, node.lineno)
        handler = _METHODS.get((receiver.kind, method))
        if handler is None:
            raise Unresolved(text, node.lineno)
        return handler(self, receiver, node)

    def new_input(self, kind: str, node: ast.AST, **fields: Any) -> DataInput:
        item = DataInput(
            key=f"input_{len(self._inputs) + 1}", kind=kind, line=getattr(node, "lineno", 0), **fields
        )
        self._inputs.append(item)
        return item

    def as_argument(self, value: Any) -> Any:
        """One `arguments` element: a DataInput becomes a marker, everything else its text."""
        if isinstance(value, DataInput):
            return InputArg(value.key)
        if isinstance(value, Obj) and value.kind in {"dataset", "named_dataset"}:
            # A dataset passed directly (tabular `as_named_input`) is consumed by the service too;
            # one input per dataset object, however often it is referenced.
            if "consumed_as" not in value.attrs:
                value.attrs["consumed_as"] = dataset_input(self, value, value.node)
            return InputArg(value.attrs["consumed_as"].key)
        if isinstance(value, Obj):
            raise Unresolved(ast.unparse(value.node), getattr(value.node, "lineno", 0))
        return str(value)


_CONDA_PATH = "azureml.core.conda_dependencies.CondaDependencies"


def _split_sdk(qualified: str) -> tuple[Any, str]:
    """The SDK class a qualified name starts with, and the member path after it."""
    parts = qualified.split(".")
    for end in range(len(parts), 0, -1):
        cls = BY_PATH.get(".".join(parts[:end]))
        if cls is not None:
            return cls, ".".join(parts[end:])
    if qualified.startswith(_CONDA_PATH):
        return _CONDA, qualified.removeprefix(_CONDA_PATH).lstrip(".")
    return None, ""


@dataclass(frozen=True)
class _Named:
    name: str
    kind: Kind | None = None


_CONDA = _Named("CondaDependencies")


# --- SDK constructors and methods -------------------------------------------------------------
def _src(module: Module, node: ast.Call) -> Obj:
    return Obj("src", node)


def _environment(module: Module, node: ast.Call) -> Obj:
    return Obj("env", node, {"name": module.arg(node, 0, "name"), "curated": None})


def _environment_get(module: Module, node: ast.Call) -> Obj:
    name = module.arg(node, 1, "name")
    return Obj("env", node, {"name": name, "curated": name})


def _environment_clone(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    # A clone keeps what it was cloned from (a curated image and its packages) under a new name.
    return Obj("env", node, {**receiver.attrs, "name": module.arg(node, 0, "new_name")})


def _environment_from_pip(module: Module, node: ast.Call) -> Obj:
    return Obj(
        "env",
        node,
        {"name": module.arg(node, 0, "name"), "curated": None, "pip_file": module.arg(node, 1, "file_path")},
    )


def _environment_from_conda(module: Module, node: ast.Call) -> Obj:
    return Obj(
        "env",
        node,
        {
            "name": module.arg(node, 0, "name"),
            "curated": None,
            "conda_file": module.arg(node, 1, "file_path"),
        },
    )


def _conda_create(module: Module, node: ast.Call) -> Obj:
    return Obj(
        "conda",
        node,
        {
            "pip": list(module.arg(node, 2, "pip_packages", []) or []),
            "conda": list(module.arg(node, 1, "conda_packages", []) or []),
        },
    )


def _conda_constructor(module: Module, node: ast.Call) -> Obj:
    path = module.arg(node, 0, "conda_dependencies_file_path")
    if path is None:
        return Obj("conda", node, {"pip": [], "conda": []})
    from .extract import read_conda_file

    conda, pip = read_conda_file(module.base_dir / str(path))
    return Obj("conda", node, {"pip": pip, "conda": conda})


def _mpi(module: Module, node: ast.Call) -> Obj:
    return Obj(
        "distributed",
        node,
        {
            "type": "mpi",
            "process_count_per_node": module.arg(node, 0, "process_count_per_node", 1),
            "node_count": module.arg(node, 1, "node_count", 1),
        },
    )


def _pytorch(module: Module, node: ast.Call) -> Obj:
    return Obj(
        "distributed",
        node,
        {
            "type": "pytorch",
            "communication_backend": module.arg(node, 0, "communication_backend", "Nccl"),
            "process_count": module.arg(node, 1, "process_count"),
            "node_count": module.arg(node, 2, "node_count", 1),
        },
    )


def _tensorflow(module: Module, node: ast.Call) -> Obj:
    return Obj(
        "distributed",
        node,
        {
            "type": "tensorflow",
            "worker_count": module.arg(node, 0, "worker_count", 1),
            "parameter_server_count": module.arg(node, 1, "parameter_server_count", 1),
        },
    )


def _datastore_get(module: Module, node: ast.Call) -> Obj:
    return Obj("datastore", node, {"name": module.arg(node, 1, "datastore_name")})


def _datastore_register(module: Module, node: ast.Call) -> Obj:
    return Obj("datastore", node, {"name": module.arg(node, 1, "datastore_name")})


def _data_reference(module: Module, node: ast.Call) -> DataInput:
    store = module.arg(node, 0, "datastore")
    return module.new_input(
        "reference",
        node,
        name=module.arg(node, 1, "data_reference_name"),
        datastore=store.attrs.get("name") if isinstance(store, Obj) else None,
        path_on_datastore=module.arg(node, 2, "path_on_datastore"),
        mode=module.arg(node, 3, "mode", "mount"),
    )


def _dataset(module: Module, node: ast.Call) -> Obj:
    return Obj("dataset", node, {"registered_name": None})


def _dataset_by_name(module: Module, node: ast.Call) -> Obj:
    return Obj("dataset", node, {"registered_name": module.arg(node, 1, "name")})


def _experiment(module: Module, node: ast.Call) -> Obj:
    return Obj("experiment", node, {"name": module.arg(node, 1, "name")})


def _run_configuration(module: Module, node: ast.Call) -> Obj:
    return Obj("runconfig", node)


_CONSTRUCTORS = {
    ("ScriptRunConfig", ""): _src,
    ("Environment", ""): _environment,
    ("Environment", "get"): _environment_get,
    ("Environment", "from_pip_requirements"): _environment_from_pip,
    ("Environment", "from_conda_specification"): _environment_from_conda,
    ("CondaDependencies", "create"): _conda_create,
    ("CondaDependencies", ""): _conda_constructor,
    ("MpiConfiguration", ""): _mpi,
    ("PyTorchConfiguration", ""): _pytorch,
    ("TensorflowConfiguration", ""): _tensorflow,
    ("Datastore", "get"): _datastore_get,
    ("Datastore", ""): _datastore_get,
    ("Datastore", "register_azure_blob_container"): _datastore_register,
    ("Datastore", "register_azure_file_share"): _datastore_register,
    ("DataReference", ""): _data_reference,
    ("Dataset", "File.from_files"): _dataset,
    ("Dataset", "Tabular.from_delimited_files"): _dataset,
    ("Dataset", "Tabular.from_parquet_files"): _dataset,
    ("Dataset", "get_by_name"): _dataset_by_name,
    ("Dataset", "get_by_id"): _dataset,
    ("Experiment", ""): _experiment,
    ("RunConfiguration", ""): _run_configuration,
}


def _workspace_default_store(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    return Obj("datastore", node, {"name": DEFAULT_DATASTORE})


def _datastore_path(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    return Obj(
        "datapath",
        node,
        {
            "datastore": receiver.attrs.get("name"),
            "path": module.arg(node, 0, "path"),
            "name": module.arg(node, 1, "data_reference_name"),
        },
    )


def _datapath_mount(mode: str) -> Any:
    def handler(module: Module, receiver: Obj, node: ast.Call) -> DataInput:
        return module.new_input(
            "reference",
            node,
            name=receiver.attrs["name"],
            datastore=receiver.attrs["datastore"],
            path_on_datastore=receiver.attrs["path"],
            mode=mode,
        )

    return handler


def _datastore_mount(mode: str) -> Any:
    # `datastore.as_mount()` names the reference after the datastore itself.
    def handler(module: Module, receiver: Obj, node: ast.Call) -> DataInput:
        name = receiver.attrs.get("name")
        return module.new_input("reference", node, name=name, datastore=name, mode=mode)

    return handler


def _named_input(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    return Obj(
        "named_dataset",
        node,
        {"name": module.arg(node, 0, "name"), "registered_name": receiver.attrs.get("registered_name")},
    )


def dataset_input(module: Module, receiver: Obj, node: ast.AST, mode: str = "direct") -> DataInput:
    return module.new_input(
        "dataset",
        node,
        name=receiver.attrs.get("name"),
        dataset=receiver.attrs.get("registered_name"),
        mode=mode,
    )


def _dataset_mount(mode: str) -> Any:
    def handler(module: Module, receiver: Obj, node: ast.Call) -> DataInput:
        return dataset_input(module, receiver, node, mode)

    return handler


def _conda_add(key: str) -> Any:
    def handler(module: Module, receiver: Obj, node: ast.Call) -> None:
        receiver.attrs[key].append(module.arg(node, 0, "package"))

    return handler


def _conda_set_pip(module: Module, receiver: Obj, node: ast.Call) -> None:
    receiver.attrs["pip"] = list(module.arg(node, 0, "requirements"))


def _ignored(module: Module, receiver: Obj, node: ast.Call) -> None:
    """Settings with no effect on a pip-installed dry-run image (python version, channels, pip options)."""


_METHODS = {
    ("env", "clone"): _environment_clone,
    ("other", "get_default_datastore"): _workspace_default_store,
    ("datastore", "path"): _datastore_path,
    ("datastore", "as_mount"): _datastore_mount("mount"),
    ("datastore", "as_download"): _datastore_mount("download"),
    ("datapath", "as_mount"): _datapath_mount("mount"),
    ("datapath", "as_download"): _datapath_mount("download"),
    ("datapath", "as_upload"): _datapath_mount("upload"),
    ("dataset", "as_named_input"): _named_input,
    ("dataset", "as_mount"): _dataset_mount("mount"),
    ("dataset", "as_download"): _dataset_mount("download"),
    ("named_dataset", "as_mount"): _dataset_mount("mount"),
    ("named_dataset", "as_download"): _dataset_mount("download"),
    ("conda", "add_pip_package"): _conda_add("pip"),
    ("conda", "add_conda_package"): _conda_add("conda"),
    ("conda", "set_pip_requirements"): _conda_set_pip,
    ("conda", "set_python_version"): _ignored,
    ("conda", "add_channel"): _ignored,
    ("conda", "set_pip_option"): _ignored,
}
