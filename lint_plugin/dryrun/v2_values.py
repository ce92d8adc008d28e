"""The azure-ai-ml (SDK v2) calls a submit script uses to describe a command job, modelled for the
static evaluator: `command(...)`, `Input`, `Output`, `Environment`, the distributions, the sweep's
search spaces, `job(lr=Choice(...)).sweep(...)`, and `MLClient` as far as a job is submitted or an
environment registered through it. Nothing here imports azure-ai-ml.

`describe` turns the modelled job into the plain description `v2_job.py` reads (capture mode records
the same description from the real objects)."""

from __future__ import annotations

import ast
import copy
from typing import Any

from .evaluate import Handler, Module, Obj, Unresolved

_PREFIX = "azure.ai.ml."
# azure.ai.ml.constants: AssetTypes and InputOutputModes (checked against azure-ai-ml in the tests).
CONSTANTS = {
    **{f"azure.ai.ml.constants.AssetTypes.{name.upper()}": name
       for name in ("uri_file", "uri_folder", "mltable", "mlflow_model", "triton_model", "custom_model")},
    **{f"azure.ai.ml.constants.InputOutputModes.{name.upper()}": name
       for name in ("mount", "download", "upload", "ro_mount", "rw_mount", "eval_mount", "eval_download",
                    "direct")},
}
# command(...)'s keywords that describe what runs (the others: name, tags, identity, services, ...).
_COMMAND_FIELDS = ("code", "command", "inputs", "outputs", "environment", "environment_variables",
                   "instance_count", "distribution", "shm_size", "timeout", "experiment_name", "compute",
                   "display_name", "name")
_SWEEP_FIELDS = ("compute", "sampling_algorithm", "primary_metric", "goal", "max_total_trials",
                 "max_concurrent_trials", "timeout", "trial_timeout", "search_space")
_LIMIT_FIELDS = ("max_total_trials", "max_concurrent_trials", "timeout", "trial_timeout")
# The search spaces (azure.ai.ml.sweep) and their parameters in positional order.
_SPACES = {"Choice": ("values",), "Randint": ("upper",), "Uniform": ("min_value", "max_value"),
           "LogUniform": ("min_value", "max_value"), "QUniform": ("min_value", "max_value", "q"),
           "QLogUniform": ("min_value", "max_value", "q"), "Normal": ("mu", "sigma"),
           "LogNormal": ("mu", "sigma"), "QNormal": ("mu", "sigma", "q"), "QLogNormal": ("mu", "sigma", "q")}
_DISTRIBUTIONS = {"MpiDistribution": "mpi", "PyTorchDistribution": "pytorch",
                  "TensorFlowDistribution": "tensorflow", "RayDistribution": "ray"}


def _keywords(module: Module, node: ast.Call, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: module.arg(node, None, name) for name in names
            if module.arg_node(node, None, name) is not None}


# --- constructors ------------------------------------------------------------------------------
def _command(module: Module, node: ast.Call) -> Obj:
    """Every keyword evaluated on its own: one that cannot be resolved is kept, named, for the error
    that lists them all."""
    attrs: dict[str, Any] = {"unresolved": []}
    for name in _COMMAND_FIELDS:
        found = module.arg_node(node, None, name)
        if found is None:
            continue
        try:
            attrs[name] = module.eval(found)
        except Unresolved as exc:
            attrs["unresolved"].append(exc)
    return Obj("v2command", node, attrs)


def _input(module: Module, node: ast.Call) -> Obj:
    return Obj("v2input", node, {"type": "uri_folder", **_keywords(module, node, (
        "type", "path", "mode", "default", "optional"))})


def _output(module: Module, node: ast.Call) -> Obj:
    return Obj("v2output", node, {"type": "uri_folder", **_keywords(module, node, ("type", "path", "mode"))})


def _environment(module: Module, node: ast.Call) -> Obj:
    from .sdk_values import conda_file

    attrs = _keywords(module, node, ("name", "version", "image", "conda_file", "build"))
    if isinstance(attrs.get("conda_file"), str):  # the SDK reads the file when the Environment is made
        path = attrs["conda_file"]
        attrs["conda_file"] = {"dependencies": _conda_dependencies(conda_file(module, path))}
    return Obj("v2env", node, attrs)


def _conda_dependencies(spec: Any) -> list[Any]:
    pip = [] if spec.pip is None else [{"pip": list(spec.pip)}]
    return [*spec.conda, *pip]


def _build_context(module: Module, node: ast.Call) -> Obj:
    return Obj("v2build", node, _keywords(module, node, ("path", "dockerfile_path")))


def _distribution(kind: str) -> Handler:
    def handler(module: Module, node: ast.Call) -> Obj:
        return Obj("v2distribution", node, {"type": kind, **_keywords(module, node, (
            "process_count_per_instance", "worker_count", "parameter_server_count"))})

    return handler


def _space(name: str) -> Handler:
    def handler(module: Module, node: ast.Call) -> Obj:
        values = {key: module.arg(node, position, key) for position, key in enumerate(_SPACES[name])}
        return Obj("v2space", node, {"type": name.lower(), **values})

    return handler


def _resources(module: Module, node: ast.Call) -> Obj:
    return Obj("v2resources", node, _keywords(module, node, ("instance_count", "shm_size")))


def _limits(module: Module, node: ast.Call) -> Obj:
    return Obj("v2limits", node, _keywords(module, node, ("timeout",)))


def _client(module: Module, node: ast.Call) -> Obj:
    return Obj("mlclient", node)  # its credential and workspace names do not change the job


_CONSTRUCTORS: dict[str, Handler] = {
    "command": _command,
    "Input": _input,
    "Output": _output,
    "Environment": _environment,
    "BuildContext": _build_context,
    "JobResourceConfiguration": _resources,
    "CommandJobLimits": _limits,
    "MLClient": _client,
    "MLClient.from_config": _client,
    **{name: _distribution(kind) for name, kind in _DISTRIBUTIONS.items()},
    **{name: _space(name) for name in _SPACES},
}


def module_call(qualified: str) -> Handler | None:
    """The handler of `azure.ai.ml[.anything].NAME(...)`, whatever module the script imported it from."""
    if qualified.startswith("azure.identity."):
        return lambda module, node: Obj("other", node)  # a credential: never used offline
    if not qualified.startswith(_PREFIX):
        return None
    parts = qualified[len(_PREFIX):].split(".")
    if len(parts) > 1 and parts[-2][:1].isupper():  # a class method: MLClient.from_config
        return _CONSTRUCTORS.get(".".join(parts[-2:]))
    return _CONSTRUCTORS.get(parts[-1])


# --- methods -----------------------------------------------------------------------------------
def _call_job(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    """`job(lr=Choice(...))`: a copy of the job whose inputs take these values (search spaces too)."""
    if node.args:
        raise ValueError("a command job takes its inputs as keywords")
    attrs = copy.copy(receiver.attrs)
    attrs.pop("experiment_name", None)  # the SDK's new node does not keep it (azure-ai-ml 1.35)
    attrs["inputs"] = {**(receiver.attrs.get("inputs") or {}),
                       **{item.arg: module.eval(item.value) for item in node.keywords if item.arg}}
    return Obj("v2command", node, attrs)


def _sweep(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    attrs = _keywords(module, node, _SWEEP_FIELDS)
    space = {name: value for name, value in (receiver.attrs.get("inputs") or {}).items()
             if isinstance(value, Obj) and value.kind == "v2space"}
    space.update(attrs.pop("search_space", None) or {})
    limits = {name: _floored(attrs.pop(name)) for name in _LIMIT_FIELDS if name in attrs}
    return Obj("v2sweep", node, {**attrs, "trial": receiver, "search_space": space, "limits": limits})


def _floored(value: Any) -> Any:
    """The SDK turns a sweep timeout under 60 s into 60 (the service would read it as 60 days)."""
    return 60 if isinstance(value, int) and 0 < value <= 60 else value


def _set_sweep_limits(module: Module, receiver: Obj, node: ast.Call) -> None:
    for name, value in _keywords(module, node, _LIMIT_FIELDS).items():
        if value is not None:
            floored = name in {"timeout", "trial_timeout"}
            receiver.attrs["limits"][name] = _floored(value) if floored else value


def _set_job_limits(module: Module, receiver: Obj, node: ast.Call) -> None:
    timeout = module.arg(node, None, "timeout")
    if timeout is not None:
        receiver.attrs["timeout"] = timeout


def _set_resources(module: Module, receiver: Obj, node: ast.Call) -> None:
    receiver.attrs.update({key: value for key, value in _keywords(
        module, node, ("instance_count", "shm_size")).items() if value is not None})


def _register_environment(module: Module, receiver: Obj, node: ast.Call) -> Any:
    """`ml_client.environments.create_or_update(env)` returns the environment; `jobs.create_or_update`
    a submitted job, which a dry run does not follow."""
    if receiver.attrs.get("group") != "environments":
        return Obj("other", node)
    env = module.arg(node, 0, "environment")
    if not isinstance(env, Obj) or env.kind != "v2env":
        raise TypeError("not an Environment")
    return env


def _get_environment(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    if receiver.attrs.get("group") != "environments":
        return Obj("other", node)
    name = module.arg(node, 0, "name")
    version, label = module.arg(node, 1, "version"), module.arg(node, 2, "label")
    reference = f"{name}:{version}" if version is not None else f"{name}@{label or 'latest'}"
    return Obj("v2env", node, {"name": name, "version": version, "reference": reference})


def _submitted(module: Module, receiver: Obj, node: ast.Call) -> Obj:
    return Obj("other", node)


_METHODS: dict[tuple[str, str], Handler] = {
    ("v2command", "__call__"): _call_job,
    ("v2command", "sweep"): _sweep,
    ("v2command", "set_limits"): _set_job_limits,
    ("v2command", "set_resources"): _set_resources,
    ("v2sweep", "set_limits"): _set_sweep_limits,
    ("v2sweep", "set_resources"): lambda module, receiver, node: _set_resources(
        module, receiver.attrs["trial"], node),
    ("mlclient_ops", "create_or_update"): _register_environment,
    ("mlclient_ops", "get"): _get_environment,
    ("mlclient_ops", "begin_create_or_update"): _submitted,
    ("mlclient", "create_or_update"): _submitted,
}


def method_of(receiver: Any, name: str) -> Handler | None:
    return _METHODS.get((receiver.kind, name)) if isinstance(receiver, Obj) else None


def attribute_of(module: Module, base: Any, node: ast.Attribute) -> tuple[bool, Any]:
    if isinstance(base, Obj) and base.kind == "mlclient":
        return True, Obj("mlclient_ops", node, {"group": node.attr})  # ml_client.jobs, .environments
    if isinstance(base, Obj) and base.kind == "v2env" and node.attr in {"name", "version"}:
        return True, base.attrs.get(node.attr)  # a version the service assigns: any version of it
    return False, None


# --- the description v2_job.py reads ---------------------------------------------------------------
def describe(job: Obj) -> dict[str, Any]:
    """A command job (or a sweep of one) as plain data; statements after it already applied."""
    if job.kind == "v2sweep":
        described = describe(job.attrs["trial"])
        described["sweep"] = {
            "search_space": {name: plain(value) for name, value in job.attrs["search_space"].items()},
            "limits": dict(job.attrs.get("limits") or {}),
            **{name: job.attrs[name] for name in ("sampling_algorithm", "primary_metric", "goal")
               if name in job.attrs},
        }
        if job.attrs.get("compute") is not None:
            described["compute"] = job.attrs["compute"]
        return described
    attrs = job.attrs
    described = {name: plain(attrs[name]) for name in _COMMAND_FIELDS if name in attrs}
    inputs = described.get("inputs") or {}
    spaces = {name.lower() for name in _SPACES}  # a search space is the sweep's, not an input
    described["inputs"] = {name: value for name, value in inputs.items()
                           if not (isinstance(value, dict) and value.get("type") in spaces)}
    return described


def plain(value: Any) -> Any:
    """Modelled objects as the dicts `_to_dict()` would show; an environment reference as its text."""
    if isinstance(value, Obj):
        if value.kind == "v2env" and "reference" in value.attrs:
            return value.attrs["reference"]
        if value.kind in {"v2input", "v2output", "v2env", "v2build", "v2distribution", "v2space",
                          "v2resources", "v2limits"}:
            return {key: plain(item) for key, item in value.attrs.items()}
        raise Unresolved(ast.unparse(value.node), value.line, "not part of a command job")
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
