"""Data inputs -> local folders, and argument placeholders -> mount paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .guard import refuse_system_path
from .spec import DataInput, DataOutput, DryRunError, InputArg


def parse_pairs(pairs: list[str], option: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise DryRunError(f"{option} {pair!r}: expected NAME=VALUE")
        result[name] = value
    return result


def map_inputs(
    inputs: list[DataInput], given: dict[str, str], where: str = ""
) -> tuple[dict[str, Path | None], list[str]]:
    """Each input's local folder or file (None: an empty folder will be made), and warnings to print.

    An SDK v1 input without `--data` gets an empty folder; an SDK v2 input its local path, and a remote
    one (`azureml://...`, `azureml:NAME:VERSION`) must be given with `--data`."""
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
        if item.asset_type == "uri_file" and not path.is_file():
            raise DryRunError(f"--data {name}={value}: input {item.name!r} is a uri_file: give a file")
        refuse_system_path(path, f"--data {name}=")
        folders[item.key] = path
    for item in inputs:
        if folders[item.key] is None and item.local_path is not None:
            folders[item.key] = Path(item.local_path)
            refuse_system_path(folders[item.key], f"input {item.name!r} (line {item.line}):")
    remote = [item for item in inputs if folders[item.key] is None and item.kind == "input"]
    if remote:
        missing = ", ".join(f"{item.name!r} ({item.uri or 'no path'})" for item in remote)
        names = " ".join(f"--data {item.name}={'FILE' if item.asset_type == 'uri_file' else 'FOLDER'}"
                         for item in remote)
        raise DryRunError(f"{where}: the job's input {missing} is not on this machine: give a local copy "
                          f"with {names}" if len(remote) == 1 else
                          f"{where}: the job's inputs {missing} are not on this machine: give a local "
                          f"copy of each with {names}")
    warnings = [
        f"input {'/'.join(item.aliases)} (line {item.line}) has no --data: mounting an EMPTY folder"
        for item in inputs
        if folders[item.key] is None
    ]
    return folders, warnings


def substitute(arguments: list[Any], mount_paths: dict[str, str]) -> list[str]:
    """Arguments as the script receives them: data inputs (and v2 outputs) replaced by their paths."""
    return [
        f"{item.prefix}{mount_paths[item.key]}{item.suffix}" if isinstance(item, InputArg) else str(item)
        for item in arguments
    ]


def shell_text(segments: list[Any] | None, mount_paths: dict[str, str]) -> str | None:
    """A v2 command the shell runs: its placeholders replaced by the paths, as the service does."""
    return None if segments is None else "".join(substitute(segments, mount_paths))


def input_variables(
    inputs: list[DataInput], outputs: list[DataOutput], mount_paths: dict[str, str]
) -> dict[str, str]:
    """What the service tells the job about its data: `AZUREML_DATAREFERENCE_<name>` for each v1
    input, `AZURE_ML_INPUT_<name>` / `AZURE_ML_OUTPUT_<name>` for each v2 input and output."""
    variables = {}
    for item in inputs:
        prefix = "AZURE_ML_INPUT_" if item.kind == "input" else "AZUREML_DATAREFERENCE_"
        variables[f"{prefix}{item.name or item.key}"] = mount_paths[item.key]
    variables.update({f"AZURE_ML_OUTPUT_{item.name}": mount_paths[item.key] for item in outputs})
    return variables
