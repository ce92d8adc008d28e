"""Data inputs -> local folders, and argument placeholders -> mount paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .guard import refuse_system_path
from .spec import DataInput, DryRunError, InputArg


def parse_pairs(pairs: list[str], option: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise DryRunError(f"{option} {pair!r}: expected NAME=VALUE")
        result[name] = value
    return result


def map_inputs(inputs: list[DataInput], given: dict[str, str]) -> tuple[dict[str, Path | None], list[str]]:
    """Each input's local folder (None: an empty folder will be made), and warnings to print."""
    by_alias = {alias: item for item in inputs for alias in item.aliases}
    folders: dict[str, Path | None] = {item.key: None for item in inputs}
    for name, value in given.items():
        item = by_alias.get(name)
        if item is None:
            known = ", ".join(sorted(by_alias)) or "none"
            raise DryRunError(f"--data {name}=...: the job has no input named {name!r} (inputs: {known})")
        path = Path(value).expanduser().resolve()
        if not path.exists():
            raise DryRunError(f"--data {name}={value}: no such file or directory")
        refuse_system_path(path, f"--data {name}=")
        folders[item.key] = path
    warnings = [
        f"input {'/'.join(item.aliases)} (line {item.line}) has no --data: mounting an EMPTY folder"
        for item in inputs
        if folders[item.key] is None
    ]
    return folders, warnings


def substitute(arguments: list[Any], mount_paths: dict[str, str]) -> list[str]:
    """Arguments as the script receives them: data inputs replaced by their mount paths."""
    return [
        f"{item.prefix}{mount_paths[item.key]}{item.suffix}" if isinstance(item, InputArg) else str(item)
        for item in arguments
    ]


def input_variables(inputs: list[DataInput], mount_paths: dict[str, str]) -> dict[str, str]:
    """`AZUREML_DATAREFERENCE_<name>` for each input, as the service sets them."""
    return {f"AZUREML_DATAREFERENCE_{item.name or item.key}": mount_paths[item.key] for item in inputs}
