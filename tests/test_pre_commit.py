"""The pre-commit hooks, run by pre-commit itself (``try-repo``) in a throwaway git repository.

pre-commit installs this repository into a hook environment of its own, exactly as a user's
``.pre-commit-config.yaml`` would, so this proves the manifest, the entry points and the exit codes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from frontends import ROOT, run

SUBMIT = """\
from azureml.train.estimator import Estimator

est = Estimator(source_directory='src', entry_script='train.py', compute_target='cpu-cluster')
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("precommit-project")
    (repo / "submit.py").write_text(SUBMIT)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Train"),
                                               nbformat.v4.new_code_cell("%pip install azureml-sdk\n" + SUBMIT)])
    nbformat.write(notebook, str(repo / "train.ipynb"))
    for command in (["init", "-q"], ["add", "."], ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=repo, check=True)
    return repo


def _try_repo(project: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_check_then_fix_hooks(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    checked = _try_repo(project, "aml-migrate-check", home)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "submit.py:3:7: AML101" in checked.stdout and "train.ipynb:cell 1:4:7: AML101" in checked.stdout

    fixed = _try_repo(project, "aml-migrate-fix", home)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # pre-commit fails a hook that changed files
    assert "ScriptRunConfig(" in (project / "submit.py").read_text()
    cells = nbformat.read(str(project / "train.ipynb"), as_version=4).cells
    assert cells[1].source.startswith("%pip install azureml-sdk\n") and "ScriptRunConfig(" in cells[1].source

    assert run("git", "diff", "--quiet", cwd=project).returncode == 1
    again = _try_repo(project, "aml-migrate-fix", home)
    assert again.returncode == 0, again.stdout + again.stderr  # fixing twice changes nothing
