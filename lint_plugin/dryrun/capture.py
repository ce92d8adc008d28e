"""`dry-run --capture`: run the (in-memory migrated) submit script itself, in a sandbox, with the
Azure ML service replaced by offline stand-ins, and read back what it submitted.

The project folder is copied (the script may write files, never into the user's tree); the payload
(`payload/capture/`) runs the script and records each `Experiment.submit` as the SDK serialises it.
`captured.py` turns a record into the run spec the rest of the dry run uses."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..sdk.frameworks import ENVIRONMENTS, SCENARIO_PYTHON
from .folder import PAYLOAD, copy_tree
from .guard import refuse_system_path
from .migrate import load_source
from .sandbox import ContainerSandbox, Folders, ProcessSandbox, Sandbox
from .source import SubmitSource, project_root
from .spec import DryRunError

NO_SDK = "no-sdk"
# Which SDK a script needs in the sandbox: (module, package, how its import reads).
_SDKS = [("azureml.core", "azureml-core", re.compile(r"^\s*(from|import)\s+azureml\b", re.MULTILINE)),
         ("azure.ai.ml", "azure-ai-ml", re.compile(r"^\s*(from|import)\s+azure\.ai\.ml\b", re.MULTILINE))]
# Not copied into the sandbox: version control, earlier runs, caches and virtual environments.
_TREE_SKIP = {".git", ".aml-dry-run", "__pycache__", ".ipynb_checkpoints", ".venv", "venv", "node_modules",
              ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


@dataclass
class CaptureRequest:
    submit: Path
    argv: list[str]  # given after --
    env_style: str
    target: str  # --target: what v1 job code is migrated to first
    python: str | None  # --python: run in a subprocess with this interpreter
    engine: str
    capture_image: str | None
    wheelhouse: Path | None
    timeout: int
    pass_env: list[str]
    run_id: str


@dataclass
class Capture:
    source: SubmitSource  # the text that ran: its lines name the submission sites
    folders: Folders
    tree_inside: Path  # where the sandbox saw the copied tree
    sandbox: str
    submissions: list[dict[str, Any]]
    blocked: list[str]  # estimators left as they were, captured the way the SDK converts them
    notes: list[str] = field(default_factory=list)

    def host_paths(self, inside: str, what: str) -> tuple[Path, Path]:
        """A folder the sandbox named, as the user's path and as the copy's path."""
        path = Path(inside)
        if path != self.tree_inside and self.tree_inside not in path.parents:
            raise DryRunError(f"{what} {inside} is outside the project folder the capture sandbox copied "
                              f"({self.folders.root}); run from a folder that holds it")
        relative = path.relative_to(self.tree_inside)
        return self.folders.root / relative, self.folders.tree / relative


def capture(request: CaptureRequest, stack: ExitStack, err: TextIO) -> Capture:
    migration = load_source(request.submit, request.env_style, writefiles=True, target=request.target)
    source = migration.source
    notes = [f"estimator code was migrated in memory (nothing written): {'; '.join(migration.summary)}"
             ] if migration.summary else []
    root = project_root(request.submit)
    refuse_system_path(root, "the project folder of SUBMIT.py (it is copied for the sandbox):")
    work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="aml-dry-run-capture-")))
    # The copy keeps the project folder's name: `os.path.basename(HERE)` reads the same in a subprocess.
    folders = Folders(root, work / "tree" / root.name, work / "payload", work / "records")
    copy_tree(root, folders.tree, _TREE_SKIP)
    shutil.copytree(PAYLOAD / "capture", folders.payload, ignore=shutil.ignore_patterns("__pycache__"))
    folders.records.mkdir()
    needs = sdk_needs(source.text)
    sandbox = _sandbox(request, notes, tuple(package for _, package in needs))
    tree_inside, payload_inside, records_inside = sandbox.inside(folders)
    submit = request.submit.resolve().relative_to(root)
    script_dir = root / submit.parent
    cwd = script_dir if source.notebook is not None else _working_folder(root, script_dir, notes)
    if source.notebook is None and source.migrated:
        (folders.tree / submit).write_text(source.text, encoding="utf-8")  # what `python SUBMIT` runs
    config = {
        "records": records_inside,
        "filename": str(tree_inside / submit),
        "argv0": str(request.submit),
        "argv": request.argv,
        "cwd": str(tree_inside / cwd.relative_to(root)),
        "module_text": source.text if source.notebook is not None else None,
        "curated": _curated_table(),
        "needs": needs,
        "workspace": {"subscription_id": "dry-run", "resource_group": "dry-run", "workspace_name": "dry-run"},
    }
    (folders.payload / "config.json").write_text(json.dumps(config, indent=1))
    print(f"dry-run: running {request.submit} in the capture sandbox ({sandbox.description})", file=err)
    try:
        code = sandbox.run(folders, tree_inside / cwd.relative_to(root), _environment(request),
                           request.timeout, err)
    except TimeoutError:
        raise DryRunError(f"{request.submit}: the submit script did not finish within {request.timeout}s "
                          "(--capture-timeout); it was stopped and nothing was captured") from None
    result = _result(folders.records, code, request)
    submissions = _submissions(folders.records, result)
    _check(result, submissions, source, request, notes)
    blocked = [f"{item.name} at {source.where(item.lines[0])}: {item.reason}" for item in migration.blocked]
    return Capture(source, folders, tree_inside, sandbox.description, submissions, blocked, notes)


def _working_folder(root: Path, script_dir: Path, notes: list[str]) -> Path:
    """Where `python SUBMIT` would run: the current folder, when it is inside the copied project."""
    cwd = Path.cwd().resolve()
    if cwd == root or root in cwd.parents:
        return cwd
    notes.append(f"the current folder is outside {root}: the submit script runs in {script_dir}")
    return script_dir


def sdk_needs(text: str) -> list[list[str]]:
    """The SDKs the script imports, as [module, package]: azureml-core (v1), azure-ai-ml (v2), or both;
    neither (a script that imports its job from elsewhere) is taken as v1."""
    needs = [[module, package] for module, package, pattern in _SDKS if pattern.search(text)]
    return needs or [list(_SDKS[0][:2])]


def _sandbox(request: CaptureRequest, notes: list[str], sdk: tuple[str, ...]) -> Sandbox:
    if request.python or request.engine == "local":
        return ProcessSandbox(request.python or sys.executable, notes)
    from .engine import connect, ensure_image
    from .image import CAPTURE_BASE, CAPTURE_SDK, CAPTURE_SDK_V2, capture_image
    from .plan import LABEL

    try:
        client = connect(request.engine)
    except DryRunError:
        if request.engine != "auto":
            raise
        notes.append("no container engine: the submit script ran in a subprocess of this Python")
        return ProcessSandbox(sys.executable, notes)
    packages = tuple(name for package in sdk
                     for name in (CAPTURE_SDK_V2 if package == "azure-ai-ml" else CAPTURE_SDK))
    image = capture_image(request.capture_image or CAPTURE_BASE, request.wheelhouse, packages)
    ensure_image(client, image, Path(".aml-dry-run") / "capture-build")  # its Dockerfile and build log
    return ContainerSandbox(client, image.image, (LABEL, request.run_id))


def _environment(request: CaptureRequest) -> dict[str, str]:
    """A clean environment: nothing of the caller's but what --pass-env names."""
    import os

    passed = {name: os.environ[name] for name in request.pass_env}
    return {"LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1",
            "AZUREML_DRY_RUN": "1", **passed}


def _curated_table() -> dict[str, dict[str, Any]]:
    """What `Environment.get(ws, NAME)` stands in with: the documented curated environments."""
    python = SCENARIO_PYTHON.split("=", 1)[1]
    return {item.curated: {"base_image": item.base_image, "python": python, "pip": list(item.pip)}
            for item in ENVIRONMENTS if item.curated}


def _result(records: Path, code: int, request: CaptureRequest) -> dict[str, Any]:
    try:
        result = json.loads((records / "result.json").read_text())
    except (OSError, ValueError):
        raise DryRunError(f"{request.submit}: the capture sandbox ended (exit code {code}) without a result; "
                          "its output is above") from None
    if not isinstance(result, dict):
        raise DryRunError(f"{request.submit}: the capture sandbox wrote an unreadable result")
    if result.get("status") == NO_SDK:
        where = request.python or "the capture image"
        package = result.get("package") or "azureml-core"
        raise DryRunError(f"{where} has no {package} ({result.get('error')}): install it there "
                          f"(pip install {package}), or pass --python PATH to an interpreter that has it")
    return result


def _submissions(records: Path, result: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for index in range(1, int(result.get("submissions") or 0) + 1):
        try:
            record = json.loads((records / f"submission-{index}.json").read_text())
        except (OSError, ValueError):
            raise DryRunError(f"submission {index} of the capture was not recorded readably") from None
        if not isinstance(record, dict):
            raise DryRunError(f"submission {index} of the capture was not recorded readably")
        found.append(record)
    return found


def _check(result: dict[str, Any], submissions: list[dict[str, Any]], source: SubmitSource,
           request: CaptureRequest, notes: list[str]) -> None:
    if result.get("status") == "failed":
        line = result.get("line")
        at = f" at {source.where(line)}" if isinstance(line, int) else ""
        what = f"the submit script failed{at} (exit code {result.get('exit_code')}): {result.get('error')}"
        if not submissions:
            raise DryRunError(f"{request.submit}: {what}, before submitting anything; its traceback is above")
        notes.append(f"{what}, after {len(submissions)} submission(s): using what it submitted")
    elif not submissions:
        raise DryRunError(f"{request.submit}: the submit script ran to the end without submitting a job "
                          "(neither Experiment.submit nor ml_client.jobs.create_or_update was called)")
