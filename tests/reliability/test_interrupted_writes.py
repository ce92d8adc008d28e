"""``aml-migrate fix`` killed mid-run, run twice at once, and what it keeps of the files it rewrites.

The symlink test is a regression: fix once replaced a symlinked file by a regular file (fixed in 82fe1af)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .helpers import assert_no_traceback, fix_argv, fix_tree

FILES = 24
SEED = int(os.environ.get("AML_RELIABILITY_SEED", "7"))
TEMPORARY_PREFIX = ".aml-migrate-"


def _script(index: int) -> str:
    return (f"from azureml.core import Experiment, Workspace\nfrom azureml.train.dnn import PyTorch\n\n"
            f"ws = Workspace.from_config()\n"
            f"est = PyTorch(source_directory='src_{index}', entry_script='train.py', compute_target='gpu')\n"
            f"run = Experiment(ws, 'job-{index}').submit(est)\n")


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A tree of scripts to fix, with every file's old and (from a complete run) new bytes."""
    old_tree = tmp_path_factory.mktemp("old")
    for index in range(FILES):
        (old_tree / f"job_{index:02}.py").write_text(_script(index), encoding="utf-8")
    new_tree = tmp_path_factory.mktemp("new") / "tree"
    shutil.copytree(old_tree, new_tree)
    fix_tree(str(new_tree))
    old = {p.name: p.read_bytes() for p in old_tree.iterdir()}
    new = {p.name: p.read_bytes() for p in new_tree.iterdir()}
    assert all(new[name] != old[name] for name in old), "every file has something to fix"
    return old_tree, old, new


def _kill_after(tree: Path, rewritten: int) -> None:
    """Start fix on ``tree``; SIGKILL it as soon as ``rewritten`` files have a new mtime."""
    before = {p.name: p.stat().st_mtime_ns for p in tree.iterdir()}
    process = subprocess.Popen(fix_argv(str(tree)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while process.poll() is None:
            changed = sum(1 for name, mtime in before.items() if _mtime(tree / name) != mtime)
            if changed >= rewritten:
                break
            time.sleep(0.002)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # os.replace is atomic, but be explicit: a missing file fails below
        return None


def test_sigkill_at_random_points_leaves_every_file_old_or_new(versions, tmp_path: Path) -> None:
    old_tree, old, new = versions
    rng = random.Random(SEED)
    partial_runs = 0
    for attempt in range(3):
        tree = tmp_path / f"run{attempt}"
        shutil.copytree(old_tree, tree)
        _kill_after(tree, rng.randrange(1, FILES))
        names = {p.name for p in tree.iterdir()}
        assert set(old) <= names, "no file disappears"
        assert all(n.startswith(TEMPORARY_PREFIX) and not n.endswith(".py") for n in names - set(old))
        states = [(tree / n).read_bytes() for n in old]
        assert all(data in (old[n], new[n]) for n, data in zip(old, states)), "a file is half written"
        partial_runs += 0 < sum(data == new[n] for n, data in zip(old, states)) < FILES
    assert partial_runs, "at least one kill landed between the first and the last write"
    fix_tree(str(tree))  # a later run finishes the job
    assert {n: (tree / n).read_bytes() for n in old} == new


def test_two_concurrent_fixes_end_with_every_file_fixed(versions, tmp_path: Path) -> None:
    old_tree, old, new = versions
    tree = tmp_path / "tree"
    shutil.copytree(old_tree, tree)
    runs = [subprocess.Popen(fix_argv(str(tree)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for process in runs:
        stdout, stderr = process.communicate(timeout=600)
        assert_no_traceback(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
        assert process.returncode == 0, stderr
    assert {p.name: p.read_bytes() for p in tree.iterdir()} == new


def test_fix_keeps_permissions_and_leaves_files_without_fixes_untouched(tmp_path: Path) -> None:
    executable, private, clean = tmp_path / "submit.py", tmp_path / "secret.py", tmp_path / "clean.py"
    for path, mode in ((executable, 0o755), (private, 0o600)):
        path.write_text(_script(1), encoding="utf-8")
        path.chmod(mode)
    clean.write_text("from azureml.core import Workspace\nws = Workspace.from_config()\n", encoding="utf-8")
    os.utime(clean, ns=(1_000_000_000, 1_000_000_000))
    fix_tree(str(tmp_path))
    assert "PyTorch(" not in executable.read_text() and "PyTorch(" not in private.read_text()
    assert (executable.stat().st_mode & 0o7777, private.stat().st_mode & 0o7777) == (0o755, 0o600)
    assert clean.stat().st_mtime_ns == 1_000_000_000


def test_fix_through_a_symlink_rewrites_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text(_script(1), encoding="utf-8")
    (tmp_path / "project").mkdir()
    link = tmp_path / "project" / "link.py"
    link.symlink_to(target)
    fix_tree(str(tmp_path / "project"))
    assert link.is_symlink() and "PyTorch(" not in target.read_text()
