"""The SDK's package semantics, without the SDK: what `CondaDependencies` ends up holding.

`CondaDependencies.add_pip_package` replaces an entry with the same package name (the last one, in
place of nothing: the new entry goes to the end), `add_conda_package` only skips an identical entry,
and `create(pip_packages=...)` drops the default `azureml-defaults`. A dry run must install what the
cloud job would get, so the static resolver applies the same rules in the same order. The model is
checked against the real SDK in tests/dryrun/test_dryrun_packages.py (azureml-core 1.61).

Not modelled: `create(pin_sdk_version=True)` pinning azureml-* packages to the installed SDK version
(which packages it pins depends on a data file of the SDK install, broken in 1.61)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FRESH_PYTHON = "3.8.13"  # the python of CondaDependencies()' base file
CREATE_PYTHON = "3.10.18"  # CondaDependencies.create's default python_version
DEFAULT_PIP = "azureml-defaults"
_VERSION = re.compile(r"(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$")
_NAME_END = re.compile(r"[\[=|<|>|~|!]")  # the SDK's own pattern (the `|` are literal there too)


class PackageError(ValueError):
    """What the SDK refuses (an option as a package, removing python); the message says which."""


def package_name(value: str) -> str:
    """The SDK's idea of a requirement's name: `torch==1.6` -> `torch`, a wheel URL -> its project."""
    if value.endswith(".whl"):
        return value.split("/")[-1].split("-")[0]
    return _NAME_END.split(value)[0]


def _is_python(entry: str) -> bool:
    return entry.startswith("python") and package_name(entry) == "python"


def _version(entry: str) -> str | None:
    match = _VERSION.search(entry)
    return match.group() if match else None


@dataclass
class CondaSpec:
    """A conda environment as the SDK keeps it: conda entries (python among them) and one pip list."""

    conda: list[str] = field(default_factory=list)
    pip: list[str] | None = None  # None: no pip section at all; options (`--index-url ...`) included
    python_version: str | None = None

    @classmethod
    def fresh(cls) -> CondaSpec:
        """`CondaDependencies()`, which every new `Environment` holds."""
        return cls([f"python={FRESH_PYTHON}"], [DEFAULT_PIP], FRESH_PYTHON)

    @classmethod
    def from_dependencies(cls, dependencies: list) -> CondaSpec:
        """The `dependencies:` list of a conda YAML, as `CondaDependencies(path)` loads it."""
        conda = [str(item) for item in dependencies if not isinstance(item, dict)]
        pips = [item["pip"] for item in dependencies if isinstance(item, dict) and "pip" in item]
        pip = [str(item) for item in pips[-1] or []] if pips else None
        python = next((_version(entry) for entry in conda if _is_python(entry)), None)
        return cls(conda, pip, python)

    @classmethod
    def create(
        cls,
        python_version: str = CREATE_PYTHON,
        conda_packages: list[str] | None = None,
        pip_packages: list[str] | None = None,
    ) -> CondaSpec:
        spec = cls.fresh()
        spec.set_python_version(python_version)
        if pip_packages is None:
            pip_packages = [DEFAULT_PIP]
        else:
            for package in spec.pip_packages:
                spec.remove_pip_package(package)
        for package in pip_packages:
            spec.add_pip_package(package)
        for package in conda_packages or []:
            spec.remove_conda_package(package)
        for package in conda_packages or []:
            spec.add_conda_package(package)
        return spec

    @property
    def pip_packages(self) -> list[str]:
        return [item for item in self.pip or [] if not item.startswith("-")]

    @property
    def conda_packages(self) -> list[str]:
        return list(self.conda)

    def add_pip_package(self, package: str) -> None:
        self.remove_pip_package(package)
        if self.pip is None:
            self.pip = [package]
        elif package not in self.pip_packages:
            self.pip.append(package)

    def remove_pip_package(self, package: str) -> None:
        if package.startswith("-"):
            raise PackageError(f"invalid package name {package}")
        name = package_name(package)
        same = [item for item in self.pip or [] if package_name(item) == name]
        if same:
            assert self.pip is not None
            self.pip.remove(same[-1])  # the SDK picks the last match, then removes the first equal entry

    def add_conda_package(self, package: str) -> None:
        if package in self.conda:
            return
        if _is_python(package):
            self.set_python_version(_version(package))
        else:
            self.conda.append(package)

    def remove_conda_package(self, package: str) -> None:
        if package in self.conda:
            if _is_python(package):
                raise PackageError("python must not be removed from conda dependencies")
            self.conda.remove(package)

    def set_pip_requirements(self, requirements: list[str]) -> None:
        self.pip = list(requirements)

    def set_python_version(self, version: str | None) -> None:
        entry = f"python={version}"
        index = next((i for i, item in enumerate(self.conda) if _is_python(item)), None)
        if index is None:
            self.conda.append(entry)
        elif self.python_version != version:
            self.conda[index] = entry
        self.python_version = version


def installable(requirements: list[str]) -> tuple[list[str], list[str]]:
    """Requirement lines pip can take one by one: comments and blanks gone; options set aside
    (index URLs, `-r file`), since the dry run installs from its own index or wheelhouse."""
    packages: list[str] = []
    options: list[str] = []
    for line in requirements:
        text = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not text or text.startswith("#"):
            continue
        (options if text.startswith("-") else packages).append(text)
    return packages, options
