"""Which image a job runs in, and the derived image to build when packages must be added."""

from __future__ import annotations

import hashlib
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sdk.frameworks import DEFAULT_CPU_IMAGE, ENVIRONMENTS, FRAMEWORK_IMAGE_REGISTRY
from .packages import installable
from .spec import DryRunError, EnvironmentSpec

CONFIG_SECTION = ("tool", "aml-migrate", "dry-run")
WHEEL_DIR = "/tmp/aml-dry-run-wheels"
CAPTURE_BASE = "python:3.11-slim"  # a Python that azureml-core 1.4x-1.6x installs on
CAPTURE_SDK = ("azureml-core", "azureml-train-core")  # Experiment and ScriptRunConfig; HyperDrive
CAPTURE_SDK_V2 = ("azure-ai-ml", "azure-identity")  # MLClient, command jobs; the credentials scripts make
# Conda packages that are part of every Python image; installing them with pip makes no sense.
_CONDA_BUILTIN = {"python", "pip", "setuptools", "wheel"}


@dataclass
class BuildPlan:
    base: str
    packages: list[str]
    wheelhouse: Path | None
    tag: str
    dockerfile: str


@dataclass
class ImagePlan:
    image: str
    reason: str
    build: BuildPlan | None = None
    notes: list[str] = field(default_factory=list)


def project_images(start: Path) -> tuple[dict[str, str], Path | None]:
    """The `[tool.aml-migrate.dry-run] images` map of the nearest pyproject.toml above start."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            section = _load_toml(candidate)
            for key in CONFIG_SECTION:
                section = section.get(key, {}) if isinstance(section, dict) else {}
            images = section.get("images", {}) if isinstance(section, dict) else {}
            if not isinstance(images, dict):
                raise DryRunError(f"{candidate}: [tool.aml-migrate.dry-run] images must be a table")
            return {str(k): str(v) for k, v in images.items()}, candidate
    return {}, None


def _load_toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DryRunError(f"{path}: cannot read project config: {exc}") from None


def resolve_image(
    env: EnvironmentSpec | None, override: str | None, images: dict[str, str], wheelhouse: Path | None
) -> ImagePlan:
    if override:
        return ImagePlan(override, "--image")
    if env is not None and env.name in images:
        return ImagePlan(images[env.name], f"environment {env.name!r} pinned in project config")
    base, packages, reason, notes = _environment_contents(env, images)
    if base in images:
        notes.append(f"base image {base} replaced by {images[base]} (project config)")
        base = images[base]
    if not packages:
        return ImagePlan(base, reason, notes=notes)
    build = plan_build(base, packages, wheelhouse, env.name if env else None)
    return ImagePlan(
        build.tag, reason + f", plus {len(packages)} package(s) in a derived image", build, notes
    )


def _environment_contents(
    env: EnvironmentSpec | None, images: dict[str, str]
) -> tuple[str, list[str], str, list[str]]:
    if env is None:
        return DEFAULT_CPU_IMAGE, [], "no environment: the SDK's default CPU image", []
    notes: list[str] = []
    base = env.base_image or DEFAULT_CPU_IMAGE
    label = f"environment {env.name!r}" if env.name else "the job's inline environment"
    reason = f"{label}: " + ("its base image" if env.base_image else "the default CPU image")
    pip = env.pip
    if env.curated:
        known = next((item for item in ENVIRONMENTS if item.curated == env.curated), None)
        if env.curated in images:
            # A team image pinned for the curated name stands for the curated image and its
            # packages; what the code adds on top (a clone's extra packages) is still installed.
            base = images[env.curated]
            reason = f"curated environment {env.curated!r} pinned in project config"
            pip = [item for item in env.pip if known is None or item not in known.pip]
        elif known is None:
            what = (f"{env.origin}: no image known for environment {env.curated!r} (not a curated "
                    "environment the dry run knows, nor one the script registers)" if env.origin
                    else f"no image known for curated environment {env.curated!r}")
            raise DryRunError(
                f"{what}: pass --image IMAGE or pin it in pyproject.toml under [tool.aml-migrate.dry-run] "
                "images"
            )
        else:
            reason = f"curated environment {env.curated!r}"
    private = _framework_image(env)
    if private is not None:
        notes.append(f"{FRAMEWORK_IMAGE_REGISTRY}/{env.base_image} is Microsoft's private framework image: "
                     f"using its public base {private.base_image} with the framework's packages")
        return private.base_image, list(private.pip), reason, notes
    if env.user_managed:
        notes.append("user_managed_dependencies=True: no packages installed, as on the service")
        return base, [], reason, notes
    conda = [item for item in env.conda if re.split(r"[=<>! ]", item, maxsplit=1)[0] not in _CONDA_BUILTIN]
    if conda:
        notes.append("conda packages installed with pip (no conda in the dry run): " + ", ".join(conda))
    packages, options = installable(pip)
    if options:
        notes.append("pip options of the environment not used (the dry run installs from its own index "
                     "or --wheelhouse): " + ", ".join(options))
    return base, [*conda, *packages], reason, notes


def _framework_image(env: EnvironmentSpec) -> Any:
    """The framework scenario behind `<framework>:<version>-<cpu|gpu>` on the private registry."""
    if env.registry != FRAMEWORK_IMAGE_REGISTRY:
        return None
    return next((item for item in ENVIRONMENTS if item.framework_image == env.base_image), None)


def plan_build(
    base: str, packages: list[str], wheelhouse: Path | None, name: str | None, hash_wheelhouse: bool = True
) -> BuildPlan:
    """The derived image, tagged by a hash of what it is made of (so a second run reuses it)."""
    digest = hashlib.sha256()
    for part in (base, *packages):
        digest.update(part.encode() + b"\0")
    if wheelhouse is not None and hash_wheelhouse:
        digest.update(_wheelhouse_digest(wheelhouse).encode())
    elif wheelhouse is not None and not wheelhouse.is_dir():
        raise DryRunError(f"--wheelhouse {wheelhouse}: not a directory")
    slug = re.sub(r"[^a-z0-9._-]+", "-", (name or "environment").lower()).strip("-.") or "environment"
    tag = f"localhost/aml-dry-run/{slug}:{digest.hexdigest()[:16]}"
    return BuildPlan(base, packages, wheelhouse, tag, dockerfile(base, packages, wheelhouse is not None))


def capture_packages(names: tuple[str, ...] = CAPTURE_SDK) -> list[str]:
    """The SDK the capture sandbox needs, at the versions this machine has (unpinned without them)."""
    from importlib import metadata

    packages = []
    for name in names:
        try:
            packages.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            packages.append(name)
    return packages


def capture_image(base: str, wheelhouse: Path | None, sdk: tuple[str, ...] = CAPTURE_SDK) -> ImagePlan:
    """The capture sandbox: `base` plus the SDK (azureml-core, or azure-ai-ml for a v2 script), built
    once per base and SDK versions (where the wheels came from does not change what the image is, so
    --wheelhouse is not part of its tag)."""
    build = plan_build(base, capture_packages(sdk), wheelhouse, "capture-sandbox", hash_wheelhouse=False)
    return ImagePlan(build.tag, f"{base} with {', '.join(build.packages)}", build)


def _wheelhouse_digest(folder: Path) -> str:
    if not folder.is_dir():
        raise DryRunError(f"--wheelhouse {folder}: not a directory")
    digest = hashlib.sha256()
    for path in sorted(item for item in folder.rglob("*") if item.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def dockerfile(base: str, packages: list[str], offline: bool) -> str:
    lines = [f"FROM {base}"]
    pip = ['"$PY" -m pip install --no-cache-dir --disable-pip-version-check']
    if offline:
        lines.append(f"COPY wheelhouse/ {WHEEL_DIR}/")
        pip.append(f"--no-index --find-links {WHEEL_DIR}")
    pip.extend(shlex.quote(package) for package in packages)
    # Any python the image puts first on PATH, as the service's build does; Debian-style images
    # refuse system-wide pip installs unless told otherwise.
    run = 'RUN PY="$(command -v python || command -v python3)" && PIP_BREAK_SYSTEM_PACKAGES=1 ' + " ".join(
        pip
    )
    if offline:
        run += f" && rm -rf {WHEEL_DIR}"
    lines.append(run)
    return "\n".join(lines) + "\n"
