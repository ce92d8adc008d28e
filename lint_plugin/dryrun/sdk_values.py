"""The SDK calls a submit script uses to describe a job, modelled for the static evaluator.

Environments carry their conda dependencies as a `CondaSpec` (packages.py), built and changed with
the SDK's own rules: a new `Environment` holds `CondaDependencies()` and the SDK's example variable,
a curated one its documented packages, and every `add_pip_package` replaces a same-name entry."""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from typing import Any

from ..sdk.frameworks import DEFAULT_CPU_IMAGE, ENVIRONMENTS, SCENARIO_PYTHON
from ..sdk.names import BY_PATH, Kind
from .evaluate import Handler, Module, Obj
from .packages import CREATE_PYTHON, FRESH_PYTHON, CondaSpec
from .spec import DataInput

DEFAULT_DATASTORE = "workspaceblobstore"
# What every new Environment carries (azureml/core/environment.py): the cloud job gets it too.
DEFAULT_ENVIRONMENT_VARIABLES = {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}
_CONDA_PATH = "azureml.core.conda_dependencies.CondaDependencies"


@dataclass(frozen=True)
class _Named:
    name: str
    kind: Kind | None = None


_CONDA = _Named("CondaDependencies")


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


def module_call(module: Module, node: ast.Call, qualified: str) -> Handler | None:
    cls, member = _split_sdk(qualified)
    if cls is None:
        return None
    handler = _CONSTRUCTORS.get((cls.name, member))
    if handler is None and (member or cls.kind in {Kind.WORKSPACE, Kind.RUN}):
        return lambda module, node: Obj("other", node)
    return handler


def method_of(receiver: Any, name: str) -> Handler | None:
    return _METHODS.get((receiver.kind, name)) if isinstance(receiver, Obj) else None


def attribute_of(module: Module, base: Any, node: ast.Attribute) -> tuple[bool, Any]:
    if isinstance(base, DataInput) and node.attr == "data_reference_name":
        return True, base.name or base.key
    if isinstance(base, Obj) and node.attr in base.attrs:
        return True, base.attrs[node.attr]
    if isinstance(base, Obj) and base.kind == "other" and node.attr == "datastores":
        return True, Obj("datastores", node)
    return False, None


def carried_packages(value: Any) -> list[str]:
    """The packages an environment or a CondaDependencies would have installed."""
    if not isinstance(value, Obj) or value.kind not in {"env", "conda"}:
        return []
    spec: CondaSpec = value.attrs["conda"]
    conda = [item for item in spec.conda_packages if not item.startswith("python")]
    return [*conda, *spec.pip_packages]


# --- constructors -------------------------------------------------------------------------------
def new_environment(node: ast.AST, name: Any, conda: CondaSpec, **attrs: Any) -> Obj:
    fields = {"name": name, "curated": None, "base_image": DEFAULT_CPU_IMAGE, "conda": conda,
              "variables": dict(DEFAULT_ENVIRONMENT_VARIABLES)}
    return Obj("env", node, {**fields, **attrs})


def _src(module: Module, node: ast.Call) -> Obj:
    return Obj("src", node)


def _environment(module: Module, node: ast.Call) -> Obj:
    return new_environment(node, module.arg(node, 0, "name"), CondaSpec.fresh())


def _environment_get(module: Module, node: ast.Call) -> Obj:
    """A curated environment: its documented image and packages. A name the dry run does not know
    (a workspace's own environment) has no known contents: only what the script adds is."""
    name = module.arg(node, 1, "name")
    known = next((item for item in ENVIRONMENTS if item.curated == name), None)
    if known is None:
        conda = CondaSpec([f"python={FRESH_PYTHON}"], [], FRESH_PYTHON)
        return new_environment(node, name, conda, curated=name, base_image=None, variables={})
    python = SCENARIO_PYTHON.split("=", 1)[1]
    conda = CondaSpec([SCENARIO_PYTHON], list(known.pip), python)
    return new_environment(node, name, conda, curated=name, base_image=known.base_image, variables={})


def _environment_from_pip(module: Module, node: ast.Call) -> Obj:
    conda = CondaSpec.fresh()
    path = module.context.readable(module.arg(node, 1, "file_path"))
    conda.set_pip_requirements(path.read_text(encoding="utf-8").splitlines())
    version = module.arg(node, 2, "pip_version")
    conda.add_conda_package(f"pip={version}" if version else "pip")
    return new_environment(node, module.arg(node, 0, "name"), conda)


def _environment_from_conda(module: Module, node: ast.Call) -> Obj:
    conda = conda_file(module, module.arg(node, 1, "file_path"))
    if conda.python_version is None:
        conda.set_python_version(CREATE_PYTHON)
    return new_environment(node, module.arg(node, 0, "name"), conda)


def _environment_from_image(module: Module, node: ast.Call) -> Obj:
    conda_path, pip_path = module.arg(node, 3, "conda_specification"), module.arg(node, 4, "pip_requirements")
    if conda_path or pip_path:
        raise ValueError("from_docker_image with dependency files is not modelled")
    return new_environment(node, module.arg(node, 0, "name"), CondaSpec.fresh(),
                           base_image=module.arg(node, 1, "image"))


def conda_file(module: Module, path: Any) -> CondaSpec:
    from .std_values import load_yaml

    data = load_yaml(module.context.readable(path).read_text(encoding="utf-8"))
    dependencies = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(dependencies, list):
        raise ValueError(f"{path}: no dependencies list")
    return CondaSpec.from_dependencies(dependencies)


def _conda_create(module: Module, node: ast.Call) -> Obj:
    conda = CondaSpec.create(
        python_version=module.arg(node, 0, "python_version", CREATE_PYTHON),
        conda_packages=module.arg(node, 1, "conda_packages"),
        pip_packages=module.arg(node, 2, "pip_packages"),
    )
    return Obj("conda", node, {"conda": conda})


def _conda_constructor(module: Module, node: ast.Call) -> Obj:
    path = module.arg(node, 0, "conda_dependencies_file_path")
    return Obj("conda", node, {"conda": CondaSpec.fresh() if path is None else conda_file(module, path)})


def _distributed(kind: str, *parameters: tuple[str, int, Any]) -> Handler:
    """MpiConfiguration / PyTorchConfiguration / TensorflowConfiguration: (name, position, default)."""

    def handler(module: Module, node: ast.Call) -> Obj:
        values = {name: module.arg(node, position, name, default) for name, position, default in parameters}
        return Obj("distributed", node, {"type": kind, **values})

    return handler


def _datastore_get(module: Module, node: ast.Call) -> Obj:
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


_CONSTRUCTORS: dict[tuple[str, str], Handler] = {
    ("ScriptRunConfig", ""): _src,
    ("Environment", ""): _environment,
    ("Environment", "get"): _environment_get,
    ("Environment", "from_pip_requirements"): _environment_from_pip,
    ("Environment", "from_conda_specification"): _environment_from_conda,
    ("Environment", "from_docker_image"): _environment_from_image,
    ("CondaDependencies", "create"): _conda_create,
    ("CondaDependencies", ""): _conda_constructor,
    ("MpiConfiguration", ""): _distributed("mpi", ("process_count_per_node", 0, 1), ("node_count", 1, 1)),
    ("PyTorchConfiguration", ""): _distributed(
        "pytorch", ("communication_backend", 0, "Nccl"), ("process_count", 1, None), ("node_count", 2, 1)),
    ("TensorflowConfiguration", ""): _distributed(
        "tensorflow", ("worker_count", 0, 1), ("parameter_server_count", 1, 1)),
    ("Datastore", "get"): _datastore_get,
    ("Datastore", ""): _datastore_get,
    ("Datastore", "register_azure_blob_container"): _datastore_get,
    ("Datastore", "register_azure_file_share"): _datastore_get,
    ("DataReference", ""): _data_reference,
    ("Dataset", "File.from_files"): _dataset,
    ("Dataset", "Tabular.from_delimited_files"): _dataset,
    ("Dataset", "Tabular.from_parquet_files"): _dataset,
    ("Dataset", "get_by_name"): _dataset_by_name,
    ("Dataset", "get_by_id"): _dataset,
    ("Experiment", ""): _experiment,
    ("RunConfiguration", ""): _run_configuration,
}


# --- methods ----------------------------------------------------------------------------------
def _environment_clone(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    # A clone keeps what it was cloned from (a curated image and its packages) under a new name.
    attrs = copy.deepcopy({key: value for key, value in receiver.attrs.items()})
    return Obj("env", node, {**attrs, "name": module.arg(node, 0, "new_name")})


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


def _datapath_mount(mode: str) -> Handler:
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


def _datastore_mount(mode: str) -> Handler:
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


def _dataset_mount(mode: str) -> Handler:
    def handler(module: Module, receiver: Obj, node: ast.Call) -> DataInput:
        return dataset_input(module, receiver, node, mode)

    return handler


def _conda_method(name: str, position: int, keyword: str) -> Handler:
    """`deps.add_pip_package(p)` and friends: the SDK's own rule, applied to the modelled deps."""

    def handler(module: Module, receiver: Obj, node: ast.Call) -> None:
        getattr(receiver.attrs["conda"], name)(module.arg(node, position, keyword))

    return handler


def _ignored(module: Module, receiver: Obj, node: ast.Call) -> None:
    """Settings with no effect on a pip-installed dry-run image (channels, pip options)."""


_METHODS: dict[tuple[str, str], Handler] = {
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
    ("conda", "add_pip_package"): _conda_method("add_pip_package", 0, "pip_package"),
    ("conda", "add_conda_package"): _conda_method("add_conda_package", 0, "conda_package"),
    ("conda", "remove_pip_package"): _conda_method("remove_pip_package", 0, "pip_package"),
    ("conda", "remove_conda_package"): _conda_method("remove_conda_package", 0, "conda_package"),
    ("conda", "set_pip_requirements"): _conda_method("set_pip_requirements", 0, "pip_requirements"),
    ("conda", "set_python_version"): _conda_method("set_python_version", 0, "version"),
    ("conda", "add_channel"): _ignored,
    ("conda", "set_pip_option"): _ignored,
}
