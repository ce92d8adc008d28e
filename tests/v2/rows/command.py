"""Rows ``code``, ``command`` and ``compute``."""

from __future__ import annotations

import json
import os
import re
import shlex
from typing import Any

from sdk_offline import Job

from . import Difference, V2View, differing, sdk_named


def code_differences(old: Job, view: V2View) -> list[Difference]:
    # HyperDrive sends the snapshot of the source directory (the offline stand-in names it)
    v1 = str(old.sent.get("source_directory") or ".").removeprefix("snapshot of ")
    v2 = view.trial_rest.get("codeId")
    if v2 is None or os.path.normpath(v1) != os.path.normpath(str(v2)):  # the same folder
        return [Difference("code", f"v1 source_directory {v1!r}, v2 code {v2!r}", values=(v1, v2))]
    return []


def compute_differences(config: dict[str, Any], view: V2View) -> list[Difference]:
    if config["target"] != view.compute:
        return [
            Difference(
                "compute",
                f"v1 target {config['target']!r}, v2 compute {view.compute!r}",
                values=(config["target"], view.compute),
            )
        ]
    return []


_DATA_IN_ARGUMENT = re.compile(r"\$AZUREML_DATAREFERENCE_(\w+)|DatasetConsumptionConfig:(\w+)")
_V2_PLACEHOLDER = re.compile(r"\$\{\{(inputs|outputs|search_space)\.(\w+)\}\}")
_MARK = re.compile("\x00([a-z]+):([^\x00]*)\x00")


def _mark(kind: str, name: str) -> str:
    return f"\x00{kind}:{name}\x00"


def hyperparameter_flags(hyper: dict[str, Any] | None) -> dict[str, str]:
    """Each HyperDrive parameter's command-line flag -> its v2 input name (``--batch-size`` ->
    ``batch_size``)."""
    space = (hyper or {}).get("generator_config", {}).get("parameter_space", {})
    # HyperDriveConfig (runconfig.py, _get_platform_config...: "The run_config script param input expects the
    # -- to be specified for script_params") compares parameter-space names with their dashes stripped:
    # a parameter named ``alpha`` is the script's ``--alpha``.
    return {(flag if flag.startswith("-") else f"--{flag}"): hyperparameter_input(flag) for flag in space}


def hyperparameter_input(name: str) -> str:
    """A parameter-space name's v2 input (the table: dashes stripped, the others -> underscores)."""
    return name.lstrip("-").replace("-", "_")


def _argument_text(argument: Any) -> str:
    """What the v1 SDK puts on the command line for one argument: ``str()`` of it (an object the JSON
    form could not name keeps its ``str``, sdk_offline.jobs.to_json)."""
    if isinstance(argument, dict) and "str" in argument:
        return argument["str"]
    return str(argument)


def _v1_command(config: dict[str, Any], flags: dict[str, str]) -> list[str]:
    """``python`` + script + arguments, each data reference/dataset marked where it stands, each tuned
    hyperparameter's value marked (appended when the arguments do not have its flag: HyperDrive passes
    every parameter as ``--flag value`` after the script's arguments)."""
    tokens = [_argument_text(a) for a in config["arguments"]]
    tokens = [_DATA_IN_ARGUMENT.sub(lambda m: _mark("data", m[1] or m[2]), t) for t in tokens]
    for flag, name in flags.items():
        if flag in tokens[:-1]:
            tokens[tokens.index(flag) + 1] = _mark("hp", name)
        elif any(t.startswith(f"{flag}=") for t in tokens):
            index = next(i for i, t in enumerate(tokens) if t.startswith(f"{flag}="))
            tokens[index] = f"{flag}={_mark('hp', name)}"
        else:
            tokens += [flag, _mark("hp", name)]
    return ["python", str(config["script"]), *tokens]


def _v2_command(view: V2View) -> list[str]:
    """The v2 command as the shell splits it, each placeholder marked: a data input/output by name, a
    swept input as a hyperparameter, a literal input by the value the REST form substitutes."""

    def placeholder(match: re.Match[str]) -> str:
        kind, name = match[1], match[2]
        if kind == "search_space" or name in view.search_space:
            return _mark("hp", name)
        value = view.inputs.get(name) or {}
        if kind == "inputs" and value.get("jobInputType") == "literal":
            return str(value.get("value"))
        return _mark("data", name)

    command = _OPTIONAL.sub(lambda m: _optional(m[1], view), view.trial_rest.get("command", ""))
    return [_V2_PLACEHOLDER.sub(placeholder, token) for token in shlex.split(command)]


# azure-ai-ml's optional-input syntax: ``$[[text]]`` is in the command only when the inputs it names have
# values (a swept input always has one in a trial).
_OPTIONAL = re.compile(r"\$\[\[(.*?)\]\]")


def _optional(text: str, view: V2View) -> str:
    bound = all(
        kind != "inputs" or name in view.search_space or (view.inputs.get(name) or {}).get("value") is not None
        or (view.inputs.get(name) or {}).get("uri") is not None
        for kind, name in _V2_PLACEHOLDER.findall(text)
    )
    return text if bound else ""


def command_differences(
    config: dict[str, Any], view: V2View, flags: dict[str, str]
) -> tuple[dict[str, str], list[Difference]]:
    """The command row, and the v1 -> v2 name of each data input the command pairs by position."""
    if config.get("command"):
        return {}, [Difference("command", "v1 runs a command, not a script: not in the table", ("command",))]
    expected = _v1_command(config, flags)
    try:
        actual = _v2_command(view)
    except ValueError as error:  # shlex: unbalanced quotes
        return {}, [Difference("command", f"v2 command does not split as a shell would: {error}")]
    names: dict[str, str] = {}
    free = sdk_named(config)
    if len(expected) == len(actual):
        mismatched = [(e, a) for e, a in zip(expected, actual) if not _same_token(e, a, names, free)]
    else:
        mismatched = [(expected, actual)]
    if mismatched:
        shown = " | ".join(f"{_show(e)} != {_show(a)}" for e, a in mismatched)
        return names, [
            Difference(
                "command",
                f"v1 {_show(expected)}, v2 {_show(actual)} ({shown})",
                values=tuple(_show(t) for t in differing(expected, actual)),
            )
        ]
    return names, []


def _same_token(expected: str, actual: str, names: dict[str, str], free: set[str]) -> bool:
    """The same text around the same kinds of placeholder; data placeholders pair v1 and v2 names,
    consistently, and a name the v1 program chose (not one of ``free``, the SDK's) must be kept (the
    table's NAME rule)."""
    e_parts, a_parts = _MARK.split(expected), _MARK.split(actual)
    if len(e_parts) != len(a_parts):
        return False
    for i in range(0, len(e_parts), 3):
        if e_parts[i] != a_parts[i]:
            return False
        if i + 2 < len(e_parts):
            (e_kind, e_name), (a_kind, a_name) = e_parts[i + 1:i + 3], a_parts[i + 1:i + 3]
            if e_kind != a_kind or (e_kind == "hp" and e_name != a_name):
                return False
            if e_kind == "data":
                if names.setdefault(e_name, a_name) != a_name or list(names.values()).count(a_name) > 1:
                    return False
                if e_name not in free and e_name != a_name:
                    return False
    return True


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return _MARK.sub(lambda m: f"<{m[1]} {m[2]}>", text.replace("\\u0000", "\x00"))
