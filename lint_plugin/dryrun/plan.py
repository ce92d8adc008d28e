"""Turn a run spec into what runs: node specs for the launcher and the exact engine calls.

The same call list is printed by `--plan` and executed by the engine runner, so the plan is
what would happen, not a description of it."""

from __future__ import annotations

import math
import os
import re
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .data import input_variables, shell_text, substitute
from .image import ImagePlan
from .layout import MASTER_PORT, TF_PORT, Layout, Node, build_layout
from .spec import DryRunError, RunSpec

CONTAINER_WORKDIR = "/azureml-run"
CONTAINER_SUPPORT = "/azureml-dryrun"
CONTAINER_DATA = "/mnt/azureml/data"
CONTAINER_OUTPUTS = "/mnt/azureml/outputs"  # SDK v2 outputs
LABEL = "ai.aml-migrate.dry-run"


@dataclass
class RunFolder:
    root: Path
    run_id: str

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def snapshot(self) -> Path:
        return self.root / "snapshot"

    @property
    def support(self) -> Path:
        return self.root / "support"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def named_outputs(self) -> Path:
        """SDK v2 `Output`s, one folder each: kept like outputs/."""
        return self.root / "named-outputs"


def new_run_folder(output: str | None) -> RunFolder:
    run_id = f"dryrun_{time.strftime('%Y%m%d_%H%M%S')}_{secrets.token_hex(3)}"
    root = Path(output) if output else Path(".aml-dry-run") / run_id
    return RunFolder(root.resolve(), run_id)


@dataclass
class Plan:
    spec: RunSpec
    layout: Layout
    image: ImagePlan
    folder: RunFolder
    data_folders: dict[str, Path]  # input key -> host folder
    node_specs: list[dict[str, Any]]  # launcher input, one per node
    calls: list[dict[str, Any]]  # engine calls (docker) or processes (local)
    timeout: int | None
    timeout_reason: str
    engine: str

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.folder.run_id,
            "engine": self.engine,
            "run_spec": self.spec.to_json(),
            "image": {
                "image": self.image.image,
                "reason": self.image.reason,
                "notes": self.image.notes,
                "build": None
                if self.image.build is None
                else {
                    "base": self.image.build.base,
                    "packages": self.image.build.packages,
                    "wheelhouse": str(self.image.build.wheelhouse or "") or None,
                    "tag": self.image.build.tag,
                    "dockerfile": self.image.build.dockerfile,
                },
            },
            "inputs": [
                {
                    "key": item.key,
                    "answers_to": item.aliases,
                    "kind": item.kind,
                    "local_folder": str(self.data_folders[item.key]),
                    "line": item.line,
                }
                for item in self.spec.inputs
            ],
            "outputs": [
                {"key": item.key, "name": item.name,
                 "local_folder": str(self.folder.named_outputs / item.name)}
                for item in self.spec.outputs
            ],
            "nodes": len(self.layout.nodes),
            "world_size": self.layout.world_size,
            "timeout_seconds": self.timeout,
            "timeout_reason": self.timeout_reason,
            "output_folder": str(self.folder.root),
            "notes": self.spec.notes,
            "node_specs": self.node_specs,
            "engine_calls": self.calls,
        }


def time_limit(spec: RunSpec, timeout: int | None) -> tuple[int | None, str]:
    limits = []
    if spec.max_run_duration_seconds:
        limits.append((spec.max_run_duration_seconds, spec.time_limit_name))
    if timeout:
        limits.append((timeout, "--timeout"))
    return min(limits) if limits else (None, "none")


_SIZE = re.compile(r"(\d+(?:\.\d+)?)([bkmg]?)b?", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
MIN_MEMORY = 6 * 1024**2  # Docker refuses less
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Set by the harness itself: passing the caller's would change what the job is told about its run.
_HARNESS_PREFIXES = ("AZUREML_", "AZURE_ML_", "AML_DRYRUN_")


def resource_limits(memory: str | None, cpus: float | None) -> dict[str, int]:
    """`--memory` and `--cpus` as container create arguments (mem_limit bytes, nano_cpus)."""
    limits: dict[str, int] = {}
    if memory is not None:
        match = _SIZE.fullmatch(memory.strip())
        if not match:
            raise DryRunError(f"--memory {memory!r}: expected a size such as 512m or 2g")
        size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
        if size < MIN_MEMORY:
            raise DryRunError(f"--memory {memory!r}: at least 6m (the engine refuses less)")
        limits["mem_limit"] = size
    if cpus is not None:
        if not math.isfinite(cpus) or cpus <= 0:
            raise DryRunError(f"--cpus {cpus:g}: expected a positive number")
        available = os.cpu_count() or 1
        if cpus > available:
            raise DryRunError(f"--cpus {cpus:g}: this machine has {available} CPU(s)")
        limits["nano_cpus"] = round(cpus * 1e9)
    return limits


def passed_variables(names: list[str]) -> list[str]:
    """`--pass-env` names, checked: each must be set here. Values are read when the container is
    created, so they appear neither in `--plan` nor in plan.json."""
    for name in names:
        if not _NAME.fullmatch(name):
            raise DryRunError(f"--pass-env {name!r}: not a variable name (give NAME, not NAME=VALUE)")
        if name.startswith(_HARNESS_PREFIXES):
            raise DryRunError(f"--pass-env {name}: {name.split('_')[0]}_* variables are set by the dry run")
        if name not in os.environ:
            raise DryRunError(f"--pass-env {name}: not set in your environment")
    return list(dict.fromkeys(names))


def base_environment(
    spec: RunSpec, run_id: str, outputs: str, data_paths: dict[str, str], uid: int
) -> dict[str, str]:
    """What every process sees besides its rank variables (data_paths: inputs and v2 outputs)."""
    env = dict(spec.environment_variables)
    env.update(input_variables(spec.inputs, spec.outputs, data_paths))
    env.update(
        {
            "AZUREML_RUN_ID": run_id,
            "AZUREML_EXPERIMENT_NAME": spec.experiment_name,
            "AZUREML_ARM_PROJECT_NAME": spec.experiment_name,
            "AZUREML_ARM_WORKSPACE_NAME": "dry-run",
            "AZUREML_DRY_RUN": "1",
            "AML_DRYRUN_OUTPUTS": outputs,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if uid != 0:
        env.setdefault("HOME", "/tmp")  # an image has no home folder for an arbitrary uid
    return env


def node_spec(
    spec: RunSpec,
    layout: Layout,
    node: Node,
    workdir: str,
    support: str,
    logs: str,
    data_paths: dict[str, str],
    shim: bool,
) -> dict[str, Any]:
    return {
        "workdir": workdir,
        "script": spec.script,
        "arguments": substitute(spec.arguments, data_paths),
        "command": shell_text(spec.shell_command, data_paths),
        "processes": node.processes,
        "logs_dir": logs,
        "node_index": node.index,
        "distributed": layout.distributed,
        "shim_dir": f"{support}/shim" if shim else None,
    }


def container_plan(
    spec: RunSpec,
    image: ImagePlan,
    folder: RunFolder,
    data_folders: dict[str, Path],
    network: str | None,
    shim: bool,
    timeout: tuple[int | None, str],
    resources: dict[str, int] | None = None,
    pass_env: list[str] | None = None,
) -> Plan:
    prefix = f"aml-dryrun-{folder.run_id.rsplit('_', 1)[-1]}"
    distributed = spec.distributed is not None

    def host(node: Node) -> str:
        return f"{prefix}-{node.role}-{node.role_index}" if node.role != "node" else f"{prefix}-{node.index}"

    layout = build_layout(
        spec.distributed, host, lambda node: TF_PORT if node.role != "node" else MASTER_PORT
    )
    # A file input (v2 uri_file) is mounted under its own name, in a folder of its own.
    data_paths = {key: f"{CONTAINER_DATA}/{key}" + (f"/{path.name}" if path.is_file() else "")
                  for key, path in data_folders.items()}
    output_paths = {item.key: f"{CONTAINER_OUTPUTS}/{item.name}" for item in spec.outputs}
    uid, gid = os.getuid(), os.getgid()
    paths = {**data_paths, **output_paths}
    env = base_environment(spec, folder.run_id, f"{CONTAINER_WORKDIR}/outputs", paths, uid)
    volumes = {
        str(folder.snapshot): {"bind": CONTAINER_WORKDIR, "mode": "ro,Z"},
        str(folder.outputs): {"bind": f"{CONTAINER_WORKDIR}/outputs", "mode": "rw,Z"},
        str(folder.logs): {"bind": f"{CONTAINER_WORKDIR}/logs", "mode": "rw,Z"},
        str(folder.support): {"bind": CONTAINER_SUPPORT, "mode": "ro,Z"},
    }
    # Shared label (z) on data: users' data folders may be mounted by other containers too.
    volumes.update(
        {str(path): {"bind": data_paths[key], "mode": "ro,z"} for key, path in data_folders.items()}
    )
    volumes.update({str(folder.named_outputs / item.name): {"bind": output_paths[item.key], "mode": "rw,Z"}
                    for item in spec.outputs})
    calls: list[dict[str, Any]] = []
    if image.build is not None:
        calls.append(
            {
                "op": "images.build",
                "tag": image.build.tag,
                "base": image.build.base,
                "network_mode": "none" if image.build.wheelhouse else None,
                "skip_if_present": True,
            }
        )
    net_name = f"{prefix}-net" if distributed else None
    if net_name:
        calls.append(
            {
                "op": "networks.create",
                "name": net_name,
                "driver": "bridge",
                "internal": True,
                "labels": {LABEL: folder.run_id},
            }
        )
    specs = []
    for node in layout.nodes:
        specs.append(
            node_spec(
                spec,
                layout,
                node,
                CONTAINER_WORKDIR,
                CONTAINER_SUPPORT,
                f"{CONTAINER_WORKDIR}/logs",
                paths,
                shim,
            )
        )
        create: dict[str, Any] = {
            "image": image.image,
            "name": host(node),
            "hostname": host(node),
            "command": [
                "/bin/sh",
                "-c",
                'exec "$(command -v python || command -v python3)" '
                f"{CONTAINER_SUPPORT}/launch.py {CONTAINER_SUPPORT}/node-{node.index}.json",
            ],
            "environment": env,
            "volumes": volumes,
            "working_dir": CONTAINER_WORKDIR,
            "init": True,
            "user": f"{uid}:{gid}",
            "labels": {LABEL: folder.run_id},
            "detach": True,
            **(resources or {}),
        }
        if spec.shm_size:
            create["shm_size"] = spec.shm_size
        if net_name:
            create["network"] = net_name
        else:
            create["network_mode"] = network or "none"
        # pass_env: names whose values the runner adds to kwargs["environment"] from the caller's
        # environment at create time (values never printed nor saved).
        calls.append(
            {"op": "containers.create", "node": node.index, "kwargs": create, "pass_env": pass_env or []}
        )
    calls += [
        {"op": "containers.start", "nodes": "all"},
        {"op": "containers.logs", "stream": True, "follow": True},
        {"op": "containers.wait", "timeout_seconds": timeout[0]},
        {"op": "containers.kill", "when": "time limit, a failed node, or Ctrl-C"},
        {"op": "containers.remove", "force": True, "when": "always"},
    ]
    if net_name:
        calls.append({"op": "networks.remove", "name": net_name, "when": "always"})
    return Plan(spec, layout, image, folder, data_folders, specs, calls, timeout[0], timeout[1], "container")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_plan(
    spec: RunSpec,
    image: ImagePlan,
    folder: RunFolder,
    data_folders: dict[str, Path],
    python: str,
    shim: bool,
    timeout: tuple[int | None, str],
) -> Plan:
    ports: dict[int, int] = {}

    def port(node: Node) -> int:
        return ports.setdefault(node.index, _free_port())

    layout = build_layout(spec.distributed, lambda node: "127.0.0.1", port)
    data_paths = {key: str(path) for key, path in data_folders.items()}
    data_paths.update({item.key: str(folder.named_outputs / item.name) for item in spec.outputs})
    env = base_environment(spec, folder.run_id, str(folder.outputs), data_paths, 0)
    specs, calls = [], []
    for node in layout.nodes:
        specs.append(
            node_spec(
                spec,
                layout,
                node,
                str(folder.snapshot),
                str(folder.support),
                str(folder.logs),
                data_paths,
                shim,
            )
        )
        calls.append(
            {
                "op": "subprocess",
                "node": node.index,
                "argv": [
                    python,
                    str(folder.support / "launch.py"),
                    str(folder.support / f"node-{node.index}.json"),
                ],
                "environment": env,
                "cwd": str(folder.snapshot),
            }
        )
    return Plan(spec, layout, image, folder, data_folders, specs, calls, timeout[0], timeout[1], "local")
