"""Rows ``inputs`` and ``path_on_compute``: data references and datasets."""

from __future__ import annotations

import re
from typing import Any

from . import Difference, V2View, differing, sdk_named


_MODES = {"mount": "ReadOnlyMount", "download": "Download", "upload": "Upload", "direct": "Direct"}


def data_differences(
    config: dict[str, Any], view: V2View, names: dict[str, str], kinds: dict[str, str]
) -> list[Difference]:
    """Every v1 data reference and dataset input against the v2 input (or output, for an upload) the
    command pairs it with, or, off the command line, the one of the same name, or, for a name the v1
    SDK made up, one that describes the same data."""
    found: list[Difference] = []
    expected: dict[str, dict[str, Any]] = {}
    for name, reference in (config["dataReferences"] or {}).items():
        expected[name] = _reference(name, reference, found)
    for name, consumed in (config["data"] or {}).items():
        expected[name] = _dataset(name, consumed, kinds, found)
    for name, value in (config.get("outputData") or {}).items():
        found.append(
            Difference(
                "not expressible",
                f"v1 output dataset {name!r}: not in the table",
                ("output", "outputData"),
                (name,),
            )
        )
    actual = {
        name: _v2_data(value, "jobInputType")
        for name, value in view.inputs.items()
        if value.get("jobInputType") != "literal" and name not in view.search_space
    }
    actual.update({name: _v2_data(value, "jobOutputType") for name, value in view.outputs.items()})
    pairs = dict(names)
    sdk_names = sdk_named(config)
    for name in expected:
        if name not in pairs and name in actual and name not in pairs.values():
            pairs[name] = name
    for name, description in expected.items():
        if name not in pairs and name in sdk_names:
            free = [n for n, d in actual.items() if n not in pairs.values() and d == description]
            if free:
                pairs[name] = free[0]
    for name, description in expected.items():
        v2_name = pairs.get(name)
        if v2_name not in actual:
            found.append(
                Difference(
                    "inputs",
                    f"v1 {name!r} {description} has no v2 input or output",
                    (name,),
                    tuple(description.values()),
                )
            )
        elif actual[v2_name] != description:
            values = differing(list(description.values()), list(actual[v2_name].values()))
            found.append(
                Difference(
                    "inputs",
                    f"v1 {name!r} {description}, v2 {v2_name!r} {actual[v2_name]}",
                    (name, v2_name),
                    tuple(values),
                )
            )
    for v2_name in sorted(set(actual) - set(pairs.values())):
        found.append(
            Difference(
                "inputs",
                f"v2 {v2_name!r} {actual[v2_name]} is no v1 input",
                (v2_name,),
                tuple(actual[v2_name].values()),
            )
        )
    return found


def _reference(name: str, reference: dict[str, Any], found: list[Difference]) -> dict[str, Any]:
    if reference.get("pathOnCompute"):
        found.append(
            Difference(
                "path_on_compute",
                f"v1 {name!r} at {reference['pathOnCompute']!r}",
                (name,),
                (reference["pathOnCompute"],),
            )
        )
    if reference.get("overwrite"):
        found.append(Difference("not expressible", f"v1 {name!r} overwrite=True", ("overwrite",), (name,)))
    path = reference.get("pathOnDataStore") or ""
    uri = f"azureml://datastores/{reference['dataStoreName']}/paths/{path}"
    return {"type": "uri_folder", "uri": _uri(uri), "mode": _MODES.get(reference["mode"], reference["mode"])}


def _dataset(
    name: str, consumed: dict[str, Any], kinds: dict[str, str], found: list[Difference]
) -> dict[str, Any]:
    dataset = consumed["dataLocation"].get("dataset") or {}
    if consumed.get("pathOnCompute"):
        found.append(
            Difference(
                "path_on_compute",
                f"v1 {name!r} at {consumed['pathOnCompute']!r}",
                (name,),
                (consumed["pathOnCompute"],),
            )
        )
    if not dataset.get("name"):
        found.append(
            Difference("inputs", f"v1 {name!r}: a dataset with no registered name (manual)", (name,))
        )
    kind = "mltable" if kinds.get(dataset.get("id")) == "TabularDataset" else "uri_folder"
    uri = f"azureml:{dataset.get('name')}:{dataset.get('version')}"
    return {"type": kind, "uri": uri, "mode": _MODES.get(consumed["mechanism"], consumed["mechanism"])}


def _v2_data(value: dict[str, Any], type_key: str) -> dict[str, Any]:
    return {"type": value.get(type_key), "uri": _uri(str(value.get("uri"))), "mode": value.get("mode")}


def _uri(uri: str) -> str:
    """A folder URI with or without its trailing slash is the same folder. ``azureml:NAME@latest`` is
    the version the offline registry returns for a name without one (sdk_offline.service: version 1)."""
    if uri.startswith("azureml://"):
        return uri.rstrip("/")
    return re.sub(r"^(azureml:[^:@]+)@latest$", r"\1:1", uri)
