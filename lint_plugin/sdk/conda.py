"""SDK v1's ``CondaDependencies``, as plain data and the operations v1 code applies to it.

Stage 2 of ``fix --target v2`` writes a v1 environment's conda specification out as the dict a v2
``Environment(conda_file=...)`` takes; this replays what the SDK's methods do to the specification,
in the same order (``azureml/core/conda_dependencies.py``, azureml-core 1.61; the values below are the
installed SDK's and are checked against it in the tests). Items known only at run time are carried
as their source text: an operation that would have to look inside one raises :class:`RunTimeOnly`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The base specification every CondaDependencies() starts from (the SDK's packaged template).
TEMPLATE_NAME = "project_environment"
TEMPLATE_PYTHON = "3.8.13"
TEMPLATE_PIP = ("azureml-defaults",)
TEMPLATE_CHANNELS = ("anaconda", "conda-forge")
# ``PYTHON_DEFAULT_VERSION``: CondaDependencies.create()'s default, and what from_conda_specification
# adds to a file that names no Python.
PYTHON_DEFAULT_VERSION = "3.10.18"


class RunTimeOnly(ValueError):
    """The operation depends on a value only run time knows."""


@dataclass(frozen=True)
class Expr:
    """A value known at run time only: the source text that computes it (``splat``: ``*text`` in a list)."""

    text: str
    splat: bool = False


Item = str | Expr


@dataclass
class CondaSpec:
    """``name``, ``dependencies`` (``python=X`` first as the template has it, conda packages, one
    ``{"pip": [...]}``) and ``channels``, in the SDK's order."""

    dependencies: list[Item | dict[str, list[Item]]]
    channels: list[Item] = field(default_factory=lambda: list(TEMPLATE_CHANNELS))
    name: str = TEMPLATE_NAME

    @classmethod
    def template(cls) -> CondaSpec:
        return cls([f"python={TEMPLATE_PYTHON}", {"pip": list(TEMPLATE_PIP)}])

    # -- CondaDependencies' methods ---------------------------------------------------------------
    def set_python_version(self, version: Item) -> None:
        entry = f"python={version}" if isinstance(version, str) else Expr(f"'python=' + {version.text}")
        index = self._python_index()
        if index is None:
            self.dependencies.append(entry)
        else:
            self.dependencies[index] = entry

    def set_pip_requirements(self, items: list[Item]) -> None:
        pip = self._pip()
        if pip is None:
            self.dependencies.append({"pip": list(items)})
        else:
            pip[:] = list(items)

    def add_pip_package(self, package: Item) -> None:
        if not isinstance(package, str) or package.startswith("-"):
            raise RunTimeOnly("a pip package known only at run time is added by name")
        self.remove_pip_package(package)
        pip = self._pip()
        if pip is None:
            self.dependencies.append({"pip": [package]})
        elif package not in pip:
            pip.append(package)

    def remove_pip_package(self, package: Item) -> None:
        pip = self._pip()
        if pip is None:
            return
        if not isinstance(package, str) or any(not isinstance(item, str) for item in pip):
            raise RunTimeOnly("pip packages known only at run time are compared by name")
        name = package_name(package)
        names = [item for item in pip if isinstance(item, str) and not item.startswith("-")]
        matching = [item for item in names if package_name(item) == name]
        if matching:
            pip.remove(matching[-1])

    def add_conda_package(self, package: Item) -> None:
        if not isinstance(package, str):
            raise RunTimeOnly("a conda package known only at run time is compared with the others")
        if package.startswith("python") and package_name(package) == "python":
            self.set_python_version(re.split(r"[=<>~!]+", package, maxsplit=1)[-1] if "=" in package else "")
            return
        if any(not isinstance(entry, (str, dict)) for entry in self.dependencies):
            raise RunTimeOnly("conda packages known only at run time are compared with the new one")
        if package not in self.dependencies:
            self.dependencies.append(package)

    def add_channel(self, channel: Item) -> None:
        if channel not in self.channels:
            self.channels.append(channel)

    def set_pip_option(self, option: Item) -> None:
        if not isinstance(option, str):
            raise RunTimeOnly("a pip option known only at run time replaces the one of its kind")
        pip = self._pip()
        if pip is None:
            self.dependencies.append({"pip": [option]})
            return
        if any(not isinstance(item, str) for item in pip):
            raise RunTimeOnly("pip options are compared with pip entries known only at run time")
        kind = option.split()[0]
        same = [index for index, item in enumerate(pip) if str(item).startswith("-") and str(item).split()[0] == kind]
        if same:
            for index in same:
                pip[index] = option
        else:
            pip.append(option)

    @classmethod
    def create(cls, pip_packages: list[Item] | None, conda_packages: list[Item] | None,
               python_version: Item | None) -> CondaSpec:
        """``CondaDependencies.create`` without the pip index options a non-default pip index adds and
        without pinning ``azureml-*`` packages to the SDK version installed where it ran (the caller
        declares both)."""
        spec = cls.template()
        spec.set_python_version(python_version if python_version is not None else PYTHON_DEFAULT_VERSION)
        if pip_packages is not None:
            spec.set_pip_requirements([])
            for package in pip_packages:
                spec.add_pip_package(package)
        for package in conda_packages or ():
            spec.add_conda_package(package)
        return spec

    # -- internals ------------------------------------------------------------------------------
    def _python_index(self) -> int | None:
        for index, entry in enumerate(self.dependencies):
            if isinstance(entry, str) and package_name(entry) == "python":
                return index
            if isinstance(entry, Expr) and entry.text.startswith("'python='"):
                return index
        return None

    def _pip(self) -> list[Item] | None:
        return next((entry["pip"] for entry in self.dependencies if isinstance(entry, dict)), None)

    # -- output ---------------------------------------------------------------------------------
    def to_python(self, indent: str) -> str:
        """The specification as a Python dict literal laid out over lines at ``indent``."""
        inner = indent + "    "
        dependencies = ", ".join(_item(entry) for entry in self.dependencies)
        return (f"{{\n{inner}'name': {self.name!r},\n{inner}'dependencies': [{dependencies}],\n"
                f"{inner}'channels': [{', '.join(_item(c) for c in self.channels)}],\n{indent}}}")


def _item(entry: Item | dict[str, list[Item]]) -> str:
    if isinstance(entry, dict):
        return "{'pip': [" + ", ".join(_item(item) for item in entry["pip"]) + "]}"
    if isinstance(entry, Expr):
        return f"*{entry.text}" if entry.splat else entry.text
    return repr(entry)


def package_name(spec: str) -> str:
    """The name the SDK compares packages by (``CondaDependencies._get_package_name``)."""
    if spec.endswith(".whl"):
        return re.split("-", re.split("/", spec)[-1])[0]
    return re.split(r"[\[=|<|>|~|!]", spec)[0]
