"""The standard-library calls submit scripts use to find their files and settings, for the static
evaluator: `__file__` and `os.path`/`pathlib` on it, `json`/`yaml` of a file inside the project, and
`argparse` (the parser the script builds, parsing the arguments given after `--`).

Everything is evaluated with real Python objects (paths, dicts, an `argparse.Namespace`); only files
inside the project are read, and nothing is written or executed."""

from __future__ import annotations

import argparse
import ast
import json
import os
import pathlib
from typing import Any, Callable

from .evaluate import Handler, Module, Obj, Unresolved
from .spec import DataInput, DryRunError


def load_yaml(text: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise DryRunError("reading YAML needs PyYAML: pip install 'aml-migrate[dryrun]'") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"not valid YAML: {exc}") from None


def _args(module: Module, node: ast.Call) -> list[Any]:
    if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
        raise ValueError("keyword or starred arguments")
    return [module.eval(arg) for arg in node.args]


def _pure(function: Callable[..., Any]) -> Handler:
    """A side-effect-free function of literal arguments (`os.path.join(a, "src")`)."""
    return lambda module, node: function(*_args(module, node))


def _relative_to_cwd(function: Callable[[str], str]) -> Handler:
    """`os.path.abspath("x")` is relative to the folder the script runs in: the current one."""

    def handler(module: Module, node: ast.Call) -> str:
        (path,) = _args(module, node)
        return function(os.path.join(module.context.cwd, os.fspath(path)))

    return handler


# --- files: opened for reading only, inside the project ---------------------------------------
def _open(module: Module, node: ast.Call) -> Obj:
    path = module.arg(node, 0, "file")
    mode = module.arg(node, 1, "mode", "r")
    if not isinstance(mode, str) or set(mode) - set("rbt"):
        raise ValueError(f"open(..., {mode!r}) writes: not followed")
    return Obj("file", node, {"path": module.context.readable(path)})


def _contents(value: Any) -> str:
    if isinstance(value, Obj) and value.kind == "file":
        return value.attrs["path"].read_text(encoding="utf-8")
    if isinstance(value, str):
        return value
    raise TypeError("not a file or text")


def _json_load(module: Module, node: ast.Call) -> Any:
    return json.loads(_contents(module.arg(node, 0, "fp")))


def _json_loads(module: Module, node: ast.Call) -> Any:
    return json.loads(_contents(module.arg(node, 0, "s")))


def _yaml_load(module: Module, node: ast.Call) -> Any:
    # Whatever Loader the script names, only plain data is built (safe_load).
    return load_yaml(_contents(module.arg(node, 0, "stream")))


def _file_read(module: Module, receiver: Obj, node: ast.Call) -> str:
    return _contents(receiver)


# --- argparse: the script's own parser, built from its add_argument calls ------------------------
class _ParserStopped(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # instead of printing usage and exiting
        raise _ParserStopped(message)

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        raise _ParserStopped(message or f"exited with {status} (--help?)")


_PARSER_OPTIONS = ("prog", "add_help", "prefix_chars", "allow_abbrev", "argument_default")
_DESCRIPTIVE = {"help", "metavar"}  # what only changes the help text: dropped when unresolvable
_TYPES: dict[str, Any] = {"int": int, "float": float, "str": str, "bool": bool}
_TYPE_PATHS = {"pathlib.Path": pathlib.Path, "argparse.BooleanOptionalAction": argparse.BooleanOptionalAction}


def _argument_parser(module: Module, node: ast.Call) -> Obj:
    options = {}
    for keyword in node.keywords:
        if keyword.arg in _PARSER_OPTIONS:
            options[keyword.arg] = module.eval(keyword.value)
    return Obj("argparser", node, {"options": options})


def _callable(module: Module, node: ast.AST) -> Any:
    """`type=float`, `action=argparse.BooleanOptionalAction`: builtins and a few library classes."""
    if isinstance(node, ast.Name) and node.id in _TYPES and node.id not in module.bindings:
        return _TYPES[node.id]
    found = _TYPE_PATHS.get(module.qualified(node) or "")
    if found is None:
        raise Unresolved(ast.unparse(node), getattr(node, "lineno", 0), "a function of the script")
    return found


def _add_argument(module: Module, parser: argparse.ArgumentParser, call: ast.Call) -> None:
    flags = [module.eval(arg) for arg in call.args]
    options: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise Unresolved(ast.unparse(call), call.lineno)
        if keyword.arg in {"type", "action"} and not isinstance(keyword.value, ast.Constant):
            options[keyword.arg] = _callable(module, keyword.value)
            continue
        try:
            options[keyword.arg] = module.eval(keyword.value)
        except Unresolved:
            if keyword.arg not in _DESCRIPTIVE:
                raise
    parser.add_argument(*flags, **options)


def parser_calls(module: Module, receiver: Obj, before: int) -> list[tuple[int, ast.Call]]:
    """The parser's `add_argument`/`set_defaults` calls before `before`, its groups' included."""
    names = {receiver.var} if receiver.var else set()
    for name, entries in module.bindings.items():
        for _, value in entries:
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr in {"add_argument_group", "add_mutually_exclusive_group"}
                and ast.unparse(value.func.value) in names
            ):
                names.add(name)
    calls = [entry for name in names for entry in module.calls_on(name, receiver.line, before)]
    return sorted(calls, key=lambda entry: entry[0])


def _parse(known: bool) -> Handler:
    def handler(module: Module, receiver: Obj, node: ast.Call) -> Any:
        parser = _Parser(**receiver.attrs["options"])
        for _, call in parser_calls(module, receiver, node.lineno):
            method = call.func.attr  # type: ignore[attr-defined]
            if method == "add_argument":
                _add_argument(module, parser, call)
            elif method == "set_defaults":
                defaults = {item.arg: module.eval(item.value) for item in call.keywords if item.arg}
                parser.set_defaults(**defaults)
        given = module.arg(node, 0, "args")
        argv = list(given) if given is not None else module.context.argv[1:]
        try:
            return list(parser.parse_known_args(argv)) if known else parser.parse_args(argv)
        except _ParserStopped as exc:
            raise DryRunError(
                f"{module.context.file or 'the submit script'}: its argument parser (line {node.lineno}) "
                f"stops: {exc}; give the script's arguments after --, e.g. `dry-run SUBMIT.py -- --x 1`"
            ) from None

    return handler


def _vars(module: Module, node: ast.Call) -> dict[str, Any]:
    (value,) = _args(module, node)
    if not isinstance(value, argparse.Namespace):
        raise TypeError("vars() of something other than parsed arguments")
    return vars(value)


# --- tables -------------------------------------------------------------------------------------
MODULE_CALLS: dict[str, Handler] = {
    "os.path.join": _pure(os.path.join),
    "os.path.dirname": _pure(os.path.dirname),
    "os.path.basename": _pure(os.path.basename),
    "os.path.normpath": _pure(os.path.normpath),
    "os.path.splitext": _pure(lambda path: list(os.path.splitext(path))),
    "os.path.abspath": _relative_to_cwd(os.path.abspath),
    "os.path.realpath": _relative_to_cwd(os.path.realpath),
    "os.fspath": _pure(os.fspath),
    "os.getcwd": lambda module, node: str(module.context.cwd),
    "pathlib.Path": lambda module, node: pathlib.Path(*_args(module, node)),
    "pathlib.Path.cwd": lambda module, node: module.context.cwd,
    "json.load": _json_load,
    "json.loads": _json_loads,
    "yaml.safe_load": _yaml_load,
    "yaml.load": _yaml_load,
    "yaml.full_load": _yaml_load,
    "io.open": _open,
    "argparse.ArgumentParser": _argument_parser,
}
MODULE_ATTRIBUTES: dict[str, Callable[[Module], Any]] = {
    "sys.argv": lambda module: list(module.context.argv),
}
_CONVERSIONS = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}


def _conversion(name: str) -> Handler:
    def handler(module: Module, node: ast.Call) -> Any:
        values = _args(module, node)
        if len(values) > 1 or any(isinstance(value, Obj) for value in values) or (
            name != "str" and any(isinstance(value, DataInput) for value in values)
        ):
            raise TypeError(f"{name}() of a value the dry run keeps as an object")
        if name == "str" and values and isinstance(values[0], DataInput):
            return values[0]  # str(data_reference) is its placeholder: kept as the input itself
        return _CONVERSIONS[name](*values)

    return handler


BUILTINS: dict[str, Handler] = {
    **{name: _conversion(name) for name in _CONVERSIONS},
    "open": _open,
    "vars": _vars,
}

_PATH_METHODS = {"resolve", "absolute", "joinpath", "with_name", "with_suffix", "as_posix"}
_PATH_ATTRIBUTES = {"parent", "name", "stem", "suffix", "parts"}
_STR_METHODS = {"format", "replace", "lower", "upper", "strip", "lstrip", "rstrip", "split", "join"}


def _value_method(name: str) -> Handler:
    def handler(module: Module, receiver: Any, node: ast.Call) -> Any:
        if isinstance(receiver, pathlib.Path) and name in {"resolve", "absolute"}:
            receiver = module.context.cwd / receiver  # relative to where the script runs
        keywords = {item.arg: module.eval(item.value) for item in node.keywords if item.arg}
        return getattr(receiver, name)(*[module.eval(arg) for arg in node.args], **keywords)

    return handler


def method_of(receiver: Any, name: str) -> Handler | None:
    if isinstance(receiver, Obj):
        if receiver.kind == "argparser" and name in {"parse_args", "parse_known_args"}:
            return _parse(name == "parse_known_args")
        if receiver.kind == "file" and name == "read":
            return _file_read
        return None
    if isinstance(receiver, pathlib.Path) and name == "open":
        return lambda module, path, node: Obj("file", node, {"path": module.context.readable(path)})
    if isinstance(receiver, pathlib.Path) and name == "read_text":
        return lambda module, path, node: module.context.readable(path).read_text(encoding="utf-8")
    if (
        (isinstance(receiver, pathlib.Path) and name in _PATH_METHODS)
        or (isinstance(receiver, str) and name in _STR_METHODS)
        or (isinstance(receiver, dict) and name == "get")
    ):
        return _value_method(name)
    return None


def attribute_of(module: Module, base: Any, node: ast.Attribute) -> tuple[bool, Any]:
    if isinstance(base, argparse.Namespace) and hasattr(base, node.attr):
        return True, getattr(base, node.attr)
    if isinstance(base, pathlib.Path) and node.attr in _PATH_ATTRIBUTES:
        return True, getattr(base, node.attr)
    return False, None
