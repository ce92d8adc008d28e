"""A job's data -> v2 ``Input``/``Output``.

* A DataReference (``datastore.path('p').as_mount()``, ``.as_download()``, ``datastore.as_mount()``,
  ``DataReference(...)``) -> ``Input(type='uri_folder', path='azureml://datastores/NAME/paths/p',
  mode='ro_mount'|'download')``; ``as_upload()`` -> ``Output(..., mode='upload')``. The datastore's name is
  written out when the source fixes it (``Datastore.get(ws, 'x')``, ``ws.datastores['x']``), else read
  where the job is built (``{ds.name}``: v1 and v2 datastores both have it).
* A dataset input (``dataset.as_named_input('x').as_mount()``, ``.as_download()``) of a dataset registered
  by name (``Dataset.get_by_name(ws, 'x', version)``, ``ws.datasets['x']``) -> ``Input(type='uri_folder',
  path='azureml:x:VERSION' | 'azureml:x@latest', mode=...)``; a FileDataset made from one datastore path
  -> that path. A dataset passed whole (direct mode), or a tabular one, stays manual.

The input's name is the v1 data reference's or dataset input's name when that is a valid v2 name,
else the variable's. Data the arguments pass reaches the script there as before (its path in place of
the placeholder); data only registered reached it through ``$AZUREML_DATAREFERENCE_<name>`` or the
run context, and now does through ``AZURE_ML_INPUT_<name>``: the job declares that.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from ...analysis.scopes import Binding
from ..astctx import ModuleContext, is_none
from .tokens import v2
from .values import Values

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODES = {"as_mount": "ro_mount", "as_download": "download", "as_upload": "upload"}
_DATASTORE_FACTORIES = ("azureml.core.Datastore.get", "azureml.core.datastore.Datastore.get",
                        "azureml.core.Datastore", "azureml.core.datastore.Datastore")
_DATASET_GET = ("azureml.core.Dataset.get_by_name", "azureml.core.dataset.Dataset.get_by_name")
_FILE_DATASET = ("azureml.core.Dataset.File.from_files", "azureml.core.dataset.Dataset.File.from_files")


@dataclass
class DataInput:
    """One input (or output) of a job."""

    name: str
    text: str  # the Input(...)/Output(...) expression, or the variable now bound to it
    output: bool = False
    listed: bool = True  # among the job's inputs (not when a run-time script_params dict passes it)
    v1_name: str | None = None  # how v1 named it to the script ($AZUREML_DATAREFERENCE_<name>), when known
    binding: Binding | None = None  # the variable the v1 object was bound to
    creation: ast.expr | None = None  # its v1 value, replaced by ``new_creation``
    new_creation: str | None = None
    changes: list[str] = field(default_factory=list)
    blocker: str | None = None


class DataPlanner:
    """Reads DataReferences and dataset inputs; ``workspace_client`` spells the MLClient of a
    Workspace binding (for ``ws.get_default_datastore()`` written in place)."""

    def __init__(self, ctx: ModuleContext, values: Values, client_of: object) -> None:
        self.ctx = ctx
        self.values = values
        self.client_of = client_of  # callable: ast.Name of a workspace -> its client token, or None

    # -- data references ---------------------------------------------------------------------------
    def reference(self, expr: ast.expr, at: ast.stmt) -> DataInput:
        """A DataReference expression (a name bound to one, or the call itself)."""
        binding, value = self._value(expr)
        found = _reference_parts(value)
        if found is None:
            return DataInput("", "", blocker=f"{self.ctx.text(expr)} is a DataReference this fix cannot read")
        store, path, mode, options = found
        where = binding.statement if binding is not None else at
        store_name = self.store_name(store, where)  # type: ignore[arg-type]
        path_text = self.values.literal_or_text(path, where) if path is not None else "''"  # type: ignore[arg-type]
        if store_name is None or path_text is None:
            return DataInput("", "", blocker=f"the datastore or path of {self.ctx.text(expr)} reads something v2 "
                                             f"code cannot")
        v1_name = self.values.string(options["data_reference_name"]) if "data_reference_name" in options else None
        name = v1_name if v1_name is not None and _IDENTIFIER.match(v1_name) else \
            binding.name if binding is not None else "data"
        uri = _uri(store_name, path_text)
        mode_name = _MODES[mode]
        changes = []
        for option in ("path_on_compute", "overwrite"):
            given = options.get(option)
            if given is not None and not is_none(given) and not (option == "overwrite" and
                                                                 self.values.constant(given) is False):
                changes.append(f"data {name}: {option}={self.ctx.text(given)} has no v2 equivalent and is dropped")
        cls = v2("Output") if mode_name == "upload" else v2("Input")
        kind = "uri_file" if _names_a_file(path_text) else "uri_folder"
        if kind == "uri_file":
            changes.append(f"data {name}: v1 referred to the file {path_text} as a data reference (a uri_folder "
                           f"on the wire); v2 types it uri_file, the script still gets the file's path")
        text = f"{cls}(type={kind!r}, path={uri}, mode={mode_name!r})"
        return self._placed(DataInput(name, text, output=mode_name == "upload", v1_name=v1_name, changes=changes),
                            binding, value)

    def store_name(self, store: ast.expr, at: ast.AST) -> str | None:
        """The datastore's name as source text: a literal, or an expression read where the job is built."""
        binding, value = self._value(store)
        literal = self._literal_store(value)
        if literal is not None:
            return repr(literal)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr == "get_default_datastore" and binding is None:
            workspace = value.func.value
            client = self.client_of(workspace) if isinstance(workspace, ast.Name) else None  # type: ignore[operator]
            return f"{client}.datastores.get_default().name" if client else None
        text = self.values.text_at(store, at)
        return f"{text}.name" if text is not None else None

    def _literal_store(self, value: ast.expr | None) -> str | None:
        """``Datastore.get(ws, 'x')``, ``Datastore(ws, 'x')``, ``ws.datastores['x']``: 'x'."""
        if _indexes(value, "datastores"):
            return self.values.string(value.slice)  # type: ignore[union-attr]
        if isinstance(value, ast.Call) and self.ctx.qualified(value.func) in _DATASTORE_FACTORIES:
            name = value.args[1] if len(value.args) > 1 else next(
                (k.value for k in value.keywords if k.arg in ("datastore_name", "name")), None)
            return self.values.string(name)
        return None

    # -- datasets --------------------------------------------------------------------------------
    def dataset(self, expr: ast.expr, at: ast.stmt) -> DataInput:
        """A dataset input (``dataset.as_named_input('x').as_mount()``...)."""
        binding, value = self._value(expr)
        shown = self.ctx.text(expr)
        chain = _dataset_chain(value)
        if chain is None:
            return DataInput("", "", blocker=f"{shown} is a dataset input this fix cannot read")
        source, name_node, mode = chain
        if mode is None:
            return DataInput("", "", blocker=f"{shown} passes the dataset whole (direct mode): the script reads it "
                                             f"through Run.input_datasets, which v2 has not; pass it as a mount "
                                             f"or download and read the path")
        where = binding.statement if binding is not None else at
        path, kind = self._dataset_path(source, where)  # type: ignore[arg-type]
        if path is None:
            return DataInput("", "", blocker=f"the dataset of {shown} is not one registered by a name the source "
                                             f"fixes, or a file dataset of one datastore path ({kind})")
        given = self.values.string(name_node) if name_node is not None else None
        name = given if given is not None and _IDENTIFIER.match(given) else binding.name if binding is not None \
            else "data"
        text = f"{v2('Input')}(type='uri_folder', path={path}, mode={_MODES[mode]!r})"
        return self._placed(DataInput(name, text, v1_name=given), binding, value)

    def _dataset_path(self, source: ast.expr, at: ast.AST) -> tuple[str | None, str]:
        binding, value = self._value(source)
        if _indexes(value, "datasets"):
            name = self.values.string(value.slice)  # type: ignore[union-attr]
            return (repr(f"azureml:{name}@latest"), "") if name else (None, "its name is known at run time only")
        if not isinstance(value, ast.Call):
            return None, "it comes from elsewhere"
        qualified = self.ctx.qualified(value.func) or ""
        if qualified in _DATASET_GET:
            names = ("workspace", "name", "version")
            arguments = {**dict(zip(names, value.args)), **{k.arg: k.value for k in value.keywords if k.arg}}
            name = self.values.string(arguments.get("name"))
            version = self.values.constant(arguments.get("version"), "latest")
            if name is None or not isinstance(version, (str, int)):
                return None, "its name or version is known at run time only"
            return repr(f"azureml:{name}@latest" if version == "latest" else f"azureml:{name}:{version}"), ""
        if qualified in _FILE_DATASET:
            path = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "path"), None)
            if isinstance(path, ast.Tuple) and len(path.elts) == 2:
                store = self.store_name(path.elts[0], at)
                inner = self.values.literal_or_text(path.elts[1], at)
                if store is not None and inner is not None:
                    return _uri(store, inner), ""
            return None, "it is made from several paths, or ones v2 code cannot read"
        return None, "tabular datasets need an MLTable: migrate them by hand"

    # -- shared ----------------------------------------------------------------------------------
    def _value(self, expr: ast.expr) -> tuple[Binding | None, ast.expr | None]:
        if isinstance(expr, ast.Name):
            binding = self.ctx.binding(expr)
            if binding is None or binding.value is None or not isinstance(binding.statement, ast.Assign):
                return None, None
            return binding, binding.value
        return None, expr

    @staticmethod
    def _placed(data: DataInput, binding: Binding | None, value: ast.expr | None) -> DataInput:
        """A v1 object bound to a name is replaced there; the job then reads the name."""
        if binding is not None:
            data.binding, data.creation, data.new_creation = binding, value, data.text
            data.text = binding.name
        return data


def _indexes(value: ast.expr | None, collection: str) -> bool:
    """``ws.<collection>['name']``."""
    return isinstance(value, ast.Subscript) and isinstance(value.value, ast.Attribute) \
        and value.value.attr == collection


def _uri(store: str, path: str) -> str:
    """``azureml://datastores/STORE/paths/PATH`` as a literal, or an f-string for parts read at run time."""
    if store[0] in "'\"" and path[0] in "'\"":
        return repr(f"azureml://datastores/{ast.literal_eval(store)}/paths/{ast.literal_eval(path)}")
    store_part = _braced(store)
    path_part = _braced(path)
    return f"f'azureml://datastores/{store_part}/paths/{path_part}'"


def _names_a_file(path: str) -> bool:
    """A datastore path whose last part has an extension (``v3/labels.csv``): v1 mounted the file itself,
    v2 takes it as a ``uri_file`` (a folder is a ``uri_folder``)."""
    if path[0] not in "'\"":
        return False
    last = ast.literal_eval(path).rstrip("/").rsplit("/", 1)[-1]
    return "." in last.strip(".") and not ast.literal_eval(path).endswith("/")


def _braced(text: str) -> str:
    if text[0] in "'\"":
        return ast.literal_eval(text).replace("{", "{{").replace("}", "}}").replace("'", "\\'")
    return "{" + text + "}"


def _reference_parts(value: ast.expr | None) -> tuple[ast.expr, ast.expr | None, str, dict[str, ast.expr]] | None:
    """(datastore, path on it, mode method, options) of a DataReference expression."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return None
    method, receiver = value.func.attr, value.func.value
    options = {k.arg: k.value for k in value.keywords if k.arg}
    if method in _MODES:
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "path":
            path = receiver.args[0] if receiver.args else next(
                (k.value for k in receiver.keywords if k.arg == "path"), None)
            options.update({k.arg: k.value for k in receiver.keywords if k.arg == "data_reference_name"})
            if len(receiver.args) > 1:
                options["data_reference_name"] = receiver.args[1]
            return receiver.func.value, path, method, options
        return receiver, None, method, options  # the datastore's root
    if method == "path":
        path = value.args[0] if value.args else options.get("path")
        if len(value.args) > 1:
            options["data_reference_name"] = value.args[1]
        return receiver, path, "as_mount", options
    return None


def _dataset_chain(value: ast.expr | None) -> tuple[ast.expr, ast.expr | None, str | None] | None:
    """(the dataset, the input's name, mount/download method) of ``ds.as_named_input('x').as_mount()``."""
    mode = None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
            and value.func.attr in ("as_mount", "as_download"):
        mode, value = value.func.attr, value.func.value
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr == "as_named_input"):
            return value, None, mode  # ``dataset.as_mount()``: unnamed
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "as_named_input":
        name = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "name"), None)
        return value.func.value, name, mode
    return None
