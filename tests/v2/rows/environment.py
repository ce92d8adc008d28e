"""Rows ``environment reference``, ``image``, ``conda``, ``python version``, ``pip`` and
``user_managed_dependencies``."""

from __future__ import annotations

import re
from typing import Any

from sdk_offline import CURATED_IMAGE_PREFIX

from . import Difference, V2View, differing, registered, texts


def environment_differences(config: dict[str, Any], view: V2View) -> list[Difference]:
    v1 = config["environment"]
    v2 = view.trial_job.get("environment")
    registered_v1 = registered(v1)
    reference = _v2_reference(v2)
    if registered_v1 or reference:
        return _environment_reference(v1["name"] if registered_v1 else None, reference)
    if not isinstance(v2, dict):
        return [Difference("environment reference", f"v2 environment {v2!r} is neither built nor named")]
    found = _image(v1, v2) + _conda(v1, v2)
    return found


def _v2_reference(v2: Any) -> str | None:
    """The environment name a v2 job refers to: ``azureml:NAME@latest``, ``azureml:NAME:VERSION``, a
    registry path, or an Environment from ``ml_client.environments.get`` (sdk_offline.v2 marks it)."""
    if isinstance(v2, str):
        match = re.fullmatch(r"azureml://registries/[^/]+/environments/([^/]+)(?:/.*)?", v2) or re.fullmatch(
            r"(?:azureml:)?([^:@/]+)(?:[:@].*)?", v2
        )
        return match[1] if match else v2
    if isinstance(v2, dict) and str(v2.get("image", "")).startswith(CURATED_IMAGE_PREFIX):
        return v2["name"]
    return None


def _environment_reference(v1_name: str | None, v2_name: str | None) -> list[Difference]:
    """A v1 environment fetched by name (Environment.get: curated or the workspace's) is the v2 one of
    the same name; anything else (a curated v2 environment for a built v1 one, another name, a built v2
    environment for a named one) is a change the fix declares, naming the v2 environment."""
    if v1_name is not None and v2_name is not None and v1_name.lower() == v2_name.lower():
        return []
    v1 = f"the registered environment {v1_name!r}" if v1_name else "an environment it builds"
    v2 = f"the environment {v2_name!r}" if v2_name else "an environment it builds"
    return [Difference("environment reference", f"v1 uses {v1}, v2 uses {v2}", values=(v2_name or v1_name,))]


def _image(v1: dict[str, Any], v2: dict[str, Any]) -> list[Difference]:
    docker = v1["docker"]
    if docker["baseDockerfile"] or docker["buildContext"]:
        return [
            Difference(
                "image", "v1 builds its image from a Dockerfile: not in the table", ("dockerfile", "build")
            )
        ]
    # a private registry's image is pulled as address/image (azureml.core.environment.DockerSection)
    address = docker["baseImageRegistry"]["address"]
    expected = f"{address}/{docker['baseImage']}" if address else docker["baseImage"]
    if v2.get("image") != expected:
        return [
            Difference(
                "image", f"v1 image {expected!r}, v2 {v2.get('image')!r}", values=(expected, v2.get("image"))
            )
        ]
    return []


def _conda(v1: dict[str, Any], v2: dict[str, Any]) -> list[Difference]:
    conda = v2.get("conda_file")
    if v1["python"]["userManagedDependencies"]:
        if conda:
            return [
                Difference("user_managed_dependencies", "v1 user-managed (no conda), v2 has a conda_file")
            ]
        return []
    if not isinstance(conda, dict):
        return [Difference("conda", f"v1 conda dependencies, v2 conda_file {conda!r}")]
    expected, actual = _conda_parts(v1["python"]["condaDependencies"]), _conda_parts(conda)
    found = [
        Difference(
            row,
            f"v1 {expected[row]!r}, v2 {actual[row]!r}",
            values=tuple(differing(texts(expected[row]), texts(actual[row]))),
        )
        for row in ("conda", "python version")
        if expected[row] != actual[row]
    ]
    return found + _pip(expected["pip"], actual["pip"])


def _pip(expected: list[Any], actual: list[Any]) -> list[Difference]:
    """The pip row, packages and pip options (``--find-links URL``: CondaDependencies.set_pip_option)
    apart, so that declaring one cannot excuse the other. An option is named by its flag or in full:
    CondaDependencies.create adds its index options with the URL of the machine that built the job."""
    if expected == actual:
        return []
    changed = differing(texts(expected), texts(actual))
    options = [item for item in changed if item.startswith("-")]
    packages = [item for item in changed if not item.startswith("-")]
    found = []
    if packages or not options:  # (or only the order differs)
        found.append(Difference("pip", f"v1 {expected!r}, v2 {actual!r}", values=tuple(packages)))
    if options:
        flags = tuple(dict.fromkeys(option.split()[0] for option in options))
        found.append(Difference("pip", f"pip options: v1 {expected!r}, v2 {actual!r}", values=(*options, *flags)))
    return found


def _conda_parts(conda: dict[str, Any]) -> dict[str, Any]:
    """Channels and conda packages (row ``conda``), the python spec (``python version``), pip packages
    (``pip``), each in its order. The environment's name is a label."""
    dependencies = conda.get("dependencies") or []
    packages = [d for d in dependencies if isinstance(d, str)]
    python = [p for p in packages if re.match(r"python\s*(?:[=<>!~]|$)", p)]
    pip = [p for d in dependencies if isinstance(d, dict) for p in d.get("pip", [])]
    return {
        "conda": {
            "channels": conda.get("channels") or [],
            "packages": [p for p in packages if p not in python],
        },
        "python version": python,
        "pip": pip,
    }
