#!/usr/bin/env python3
"""Regenerate or verify ``lint_plugin/sdk/estimators.py`` from the installed Azure ML SDK.

Imports every module of ``azureml.train`` and ``azureml.contrib``, collects every subclass of the
SDK's estimator bases, and for each one the package that ships it and every path it can be imported
from (its own module and the packages above it that re-export it).

    python scripts/sdk_estimator_classes.py          # print ESTIMATOR_CLASSES as the SDK has them
    python scripts/sdk_estimator_classes.py --check  # exit 1 (and say what differs) when the data is stale

Install the packages that ship estimators first: ``pip install -e '.[sdk]'`` and, for LightGBM,
``pip install --no-deps azureml-contrib-gbdt`` (its last release pins azureml-core 1.29; it works
with the current SDK). A class whose package is missing cannot be checked and is reported as such.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import io
import logging
import pkgutil
import sys
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lint_plugin.sdk.estimators import ESTIMATOR_BASES, ESTIMATOR_CLASSES, EstimatorClass  # noqa: E402

PACKAGES = ("azureml.train", "azureml.contrib")  # where the SDK ships estimator classes


def import_sdk() -> list[str]:
    """Import every module under PACKAGES; the modules that failed to import, with the reason."""
    failures = []
    with warnings.catch_warnings(), redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)  # the SDK logs deprecation notices and entry-point failures
        for package_name in PACKAGES:
            try:
                package = importlib.import_module(package_name)
            except ImportError as error:
                failures.append(f"{package_name}: {error}")
                continue
            for module in pkgutil.walk_packages(package.__path__, package_name + ".",
                                                onerror=lambda name: failures.append(name)):
                try:
                    importlib.import_module(module.name)
                except Exception as error:  # noqa: BLE001  the SDK raises anything from optional extras
                    failures.append(f"{module.name}: {type(error).__name__}: {error}")
        logging.disable(logging.NOTSET)
    return failures


def _class(path: str) -> type | None:
    module, _, name = path.rpartition(".")
    found = sys.modules.get(module)
    return getattr(found, name, None) if found else None


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _import_paths(cls: type) -> tuple[str, ...]:
    """Its module and each package above it that binds it; public paths first."""
    paths = {f"{name}.{cls.__name__}" for name, module in list(sys.modules.items())
             if module is not None and (cls.__module__ == name or cls.__module__.startswith(name + "."))
             and getattr(module, cls.__name__, None) is cls}
    return tuple(sorted(paths, key=lambda path: (any(part.startswith("_") for part in path.split(".")), path)))


def _distribution(cls: type) -> str:
    """The installed distribution whose files hold the class's module."""
    module_file = Path(sys.modules[cls.__module__].__file__ or "").resolve()
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] or ""
        if name.lower().startswith("azureml") and any(
                Path(str(dist.locate_file(file))).resolve() == module_file for file in dist.files or ()):
            return name
    return "?"


def live_classes() -> list[EstimatorClass]:
    """Every estimator class of the installed SDK, as the data module lists them (without reasons)."""
    bases = {path.rpartition(".")[2]: cls for path in ESTIMATOR_BASES if (cls := _class(path)) is not None}
    roots = [cls for cls in bases.values() if not any(issubclass(cls, other) and cls is not other
                                                       for other in bases.values())]
    found = []
    for cls in {sub for root in roots for sub in _subclasses(root)} - set(bases.values()):
        base = next(parent.__name__ for parent in cls.__mro__[1:] if parent in bases.values())
        found.append(EstimatorClass(cls.__name__, _distribution(cls), base, _import_paths(cls)))
    return sorted(found, key=lambda cls: cls.paths[0])


def differences(live: list[EstimatorClass], data: tuple[EstimatorClass, ...]) -> list[str]:
    """What the data gets wrong about the installed SDK (classes the SDK does not have installed are
    not judged: they are listed by ``unchecked``)."""
    listed = {cls.name: cls for cls in data}
    problems = []
    for cls in live:
        known = listed.get(cls.name)
        if known is None:
            problems.append(f"missing: {cls.name} ({cls.distribution}, {', '.join(cls.paths)})")
        elif (known.distribution, known.base, known.paths) != (cls.distribution, cls.base, cls.paths):
            problems.append(f"changed: {cls.name}: the SDK has {cls.distribution}, {cls.base}, {cls.paths}; "
                            f"the data has {known.distribution}, {known.base}, {known.paths}")
    return problems


def unchecked(live: list[EstimatorClass], data: tuple[EstimatorClass, ...]) -> list[str]:
    """Listed classes that the installed SDK does not have (their package is not installed)."""
    present = {cls.name for cls in live}
    return [f"{cls.name} ({cls.distribution})" for cls in data if cls.name not in present]


def render(live: list[EstimatorClass], data: tuple[EstimatorClass, ...]) -> str:
    """``ESTIMATOR_CLASSES`` as Python, each reason kept from the data (a new class needs one)."""
    reasons = {cls.name: cls.no_rewrite for cls in data}
    lines = ["ESTIMATOR_CLASSES: tuple[EstimatorClass, ...] = ("]
    for cls in live:
        reason = reasons.get(cls.name, "REVIEW: write why there is no rewrite, or None once the fixer has one")
        lines.append(f"    EstimatorClass({cls.name!r}, {cls.distribution!r}, {cls.base!r},")
        lines.append(f"                   {cls.paths!r}" + (f",\n                   no_rewrite={reason!r})," if reason
                                                          else "),"))
    lines.append(")")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with lint_plugin/sdk/estimators.py")
    args = parser.parse_args(argv)
    failures = import_sdk()
    live = live_classes()
    for failure in failures:
        print(f"note: could not import {failure}", file=sys.stderr)
    if not live:
        print("error: no estimator class found: is azureml-train-core installed?", file=sys.stderr)
        return 2
    for name in unchecked(live, ESTIMATOR_CLASSES):
        print(f"note: not installed, so not checked: {name}", file=sys.stderr)
    if not args.check:
        print(render(live, ESTIMATOR_CLASSES))
        return 0
    problems = differences(live, ESTIMATOR_CLASSES)
    for problem in problems:
        print(problem)
    print(f"{len(live)} estimator classes installed; the data is {'stale' if problems else 'up to date'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
