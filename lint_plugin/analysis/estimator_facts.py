"""What an estimator call says about the environment it builds (for the AML101 message)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..sdk.frameworks import FRAMEWORKS, framework_environment
from .resolve import UNKNOWN, ResolvedClass, Resolver, is_none, keyword
from .scopes import Scope

_PACKAGE_PARAMETERS = ("pip_packages", "conda_packages", "pip_requirements_file", "pip_requirements_file_path")
_CUSTOM_IMAGE_PARAMETERS = ("custom_docker_image", "custom_docker_base_image")


@dataclass(frozen=True)
class EstimatorFacts:
    cls: str
    subclass: str | None
    version: object  # str, None (class default) or UNKNOWN
    gpu: object  # bool or UNKNOWN
    custom_image: bool
    environment_definition: bool
    conda_file: bool
    has_packages: bool
    via: str | None = None  # the class is reached through functools.partial or a dict of classes
    choices: tuple[str, ...] = ()

    @property
    def is_framework(self) -> bool:
        return self.cls in FRAMEWORKS

    def curated(self) -> str | None:
        """The documented curated environment, when the arguments pin it down and one exists."""
        if not self.is_framework or self.custom_image or self.environment_definition or self.conda_file:
            return None
        if self.version is UNKNOWN or self.gpu is UNKNOWN:
            return None
        scenario = framework_environment(self.cls, self.version, bool(self.gpu))  # type: ignore[arg-type]
        return scenario.curated if scenario else None

    def display(self) -> str:
        if self.via is not None:
            names = ", ".join(self.choices[:-1]) + " or " + self.choices[-1] if len(self.choices) > 1 else self.cls
            return f"{names} (through {self.via})"
        base = "Estimator" if self.cls == "Estimator" else (
            self.cls if self.cls == "ReinforcementLearningEstimator" else f"{self.cls} estimator")
        return f"{self.subclass} (a subclass of {base})" if self.subclass else base


def _given(call: ast.Call, name: str) -> bool:
    value = keyword(call, name)
    return value is not None and not is_none(value)


def estimator_facts(call: ast.Call, resolved: ResolvedClass, scope: Scope, resolver: Resolver) -> EstimatorFacts:
    version_expr = keyword(call, "framework_version")
    version = None if version_expr is None or is_none(version_expr) else resolver.literal(version_expr, scope)
    if version is not None and version is not UNKNOWN:
        version = str(version)
    gpu_expr = keyword(call, "use_gpu")
    gpu = False if gpu_expr is None else resolver.literal(gpu_expr, scope)
    if resolved.via is not None:  # the call does not show every argument, nor always the class
        version = gpu = UNKNOWN
    return EstimatorFacts(
        cls=resolved.sdk.name,
        subclass=resolved.subclass,
        version=version,
        gpu=gpu if gpu is UNKNOWN else bool(gpu),
        custom_image=any(_given(call, name) for name in _CUSTOM_IMAGE_PARAMETERS),
        environment_definition=_given(call, "environment_definition"),
        conda_file=_given(call, "conda_dependencies_file") or _given(call, "conda_dependencies_file_path"),
        has_packages=any(_given(call, name) for name in _PACKAGE_PARAMETERS),
        via=resolved.via,
        choices=resolved.choices,
    )


def advice(facts: EstimatorFacts, call: ast.Call) -> str:
    """The replacement, as precisely as the arguments allow."""
    if facts.cls == "ReinforcementLearningEstimator":
        return "the reinforcement learning service is decommissioned; there is no ScriptRunConfig replacement"
    if facts.environment_definition:
        definition = keyword(call, "environment_definition")
        return f"use ScriptRunConfig with environment={ast.unparse(definition)}"  # type: ignore[arg-type]
    if len(facts.choices) > 1:
        return "use ScriptRunConfig with an Environment for each class the code may choose"
    curated = facts.curated()
    if curated:
        return f"use ScriptRunConfig with Environment '{curated}'"
    if facts.is_framework and not facts.custom_image and not facts.conda_file:
        if facts.version is UNKNOWN or facts.gpu is UNKNOWN:
            return f"use ScriptRunConfig with the {facts.cls} curated Environment for its version and CPU/GPU"
        version = facts.version or FRAMEWORKS[facts.cls].default_version
        return (f"use ScriptRunConfig with an Environment reproducing its image "
                f"(no curated environment exists for {facts.cls} {version} {'GPU' if facts.gpu else 'CPU'})")
    return "use ScriptRunConfig with an Environment built from its image and packages"
