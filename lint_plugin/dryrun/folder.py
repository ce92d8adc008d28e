"""Lay out a run folder: source snapshot, outputs/, logs/, empty data folders, launcher files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .plan import Plan
from .guard import escapes
from .spec import DryRunError
from .waiting import say

PAYLOAD = Path(__file__).with_name("payload")
# Never part of a snapshot: version control, earlier dry runs, and what the run itself writes.
_SNAPSHOT_IGNORE = {".git", ".aml-dry-run", "outputs", "logs", "__pycache__", ".ipynb_checkpoints"}


def copy_tree(source: Path, target: Path, skip: set[str], leave_out: Path | None = None) -> None:
    """Copy a folder for a run: without the names in `skip`, without `leave_out` (a run folder inside
    it), and without symlinks pointing outside it (each one said)."""
    left_out = leave_out.resolve() if leave_out else None

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in skip}
        for name in sorted(set(names) - skipped):
            link = Path(directory) / name
            if link.is_symlink() and escapes(link, source):
                # Copied as is, it would name a host path (or the container's own /etc) in the job.
                say(f"warning: {link.relative_to(source)} -> {os.readlink(link)}: symlink "
                    "points outside the source directory; left out of the snapshot")
                skipped.add(name)
        return skipped | {name for name in names if (Path(directory) / name).resolve() == left_out}

    shutil.copytree(source, target, ignore=ignore, symlinks=True)


def prepare(plan: Plan, source_directory: Path | None, link_outputs: bool) -> None:
    """Create the run folder. link_outputs: the local engine sees outputs/ and logs/ through links.
    No source directory (an SDK v2 job without code=): the job starts in an empty folder."""
    try:
        _prepare(plan, source_directory, link_outputs)
    except (OSError, shutil.Error) as exc:
        raise DryRunError(f"cannot prepare the run folder {plan.folder.root}: {exc}") from None


def _prepare(plan: Plan, source_directory: Path | None, link_outputs: bool) -> None:
    folder = plan.folder
    if folder.root.exists() and any(folder.root.iterdir()):
        raise DryRunError(f"--output {folder.root}: folder exists and is not empty")
    folder.root.mkdir(parents=True, exist_ok=True)
    root = folder.root.resolve()

    if source_directory is None:
        folder.snapshot.mkdir()
    else:
        copy_tree(source_directory, folder.snapshot, _SNAPSHOT_IGNORE, root)
    for sub in (folder.outputs, folder.logs, folder.data):
        sub.mkdir(exist_ok=True)
    for output in plan.spec.outputs:
        (folder.named_outputs / output.name).mkdir(parents=True, exist_ok=True)
    for name, target in (("outputs", folder.outputs), ("logs", folder.logs)):
        if link_outputs:
            (folder.snapshot / name).symlink_to(target)
        else:
            (folder.snapshot / name).mkdir()  # mount point inside the read-only snapshot
    for key, path in plan.data_folders.items():
        if path.parent == folder.data:
            path.mkdir(exist_ok=True)
    shutil.copytree(PAYLOAD, folder.support, ignore=shutil.ignore_patterns("__pycache__", "capture"))
    for spec in plan.node_specs:
        (folder.support / f"node-{spec['node_index']}.json").write_text(json.dumps(spec, indent=1))
    (folder.root / "plan.json").write_text(json.dumps(plan.to_json(), indent=1, default=str))
