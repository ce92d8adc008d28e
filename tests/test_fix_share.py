"""benchmarks/fix_share.py, run through its command line on a tiny corpus whose outcomes are known.

The corpus holds estimators every version of the fixer must rewrite (plain literal arguments) and
ones no version can (the decommissioned reinforcement learning estimator, ``**kwargs`` whose keys
nobody knows), so the counts asserted here do not move as the fixer improves. The contract checks
are proven by breaking the fixer on purpose: a ``sitecustomize`` module put on the subprocess's path
wraps ``fix_source`` so that its output no longer parses, is unstable, still holds what it claims to
have fixed, crashes, reads an estimator attribute from a ScriptRunConfig, passes a Datastore as a
plain argument, or drops a ``script_params`` key from a job submitted as is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "fix_share.py"

PLAIN = """\
from azureml.core import Experiment, Workspace
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
est = SKLearn(source_directory="src", entry_script="train.py", compute_target="cpu-cluster",
              script_params={"--alpha": 0.5})
run = Experiment(ws, "plain").submit(est)
"""

REINFORCEMENT = """\
from azureml.contrib.train.rl import Ray, ReinforcementLearningEstimator
from azureml.core import Experiment, Workspace

ws = Workspace.from_config()
head = ReinforcementLearningEstimator(source_directory="rl", entry_script="train.py",
                                      compute_target="gpu", rl_framework=Ray())
rollout = ReinforcementLearningEstimator(source_directory="rl", entry_script="rollout.py",
                                         compute_target="cpu", rl_framework=Ray())
Experiment(ws, "rl").submit(head)
"""

KWARGS = """\
from azureml.train.estimator import Estimator


def make_estimator(source_dir, entry, **kwargs):
    return Estimator(source_directory=source_dir, entry_script=entry, **kwargs)
"""

NOTEBOOK_CELLS = [
    "from azureml.core import Experiment, Workspace\nfrom azureml.train.dnn import PyTorch\n\n"
    "ws = Workspace.from_config()",
    "!ls src\nest = PyTorch(source_directory='src', entry_script='train.py', compute_target='gpu',\n"
    "              framework_version='1.6', use_gpu=True)\nrun = Experiment(ws, 'nb').submit(est)",
]

BREAKERS = """\
import json
import os
import re
from dataclasses import replace

MODE = os.environ.get("FIX_SHARE_TEST_BREAK")
if MODE:
    import lint_plugin.fix.api as api
    import lint_plugin.fix.notebook as notebook

    real_fix_source, real_fix_notebook = api.fix_source, notebook.fix_notebook

    def broken_fix_source(source, **options):
        result = real_fix_source(source, **options)
        planted = re.search(r"^# reason: (.*)$", source, re.MULTILINE)
        if MODE == "reasons" and planted:
            result.manual = [replace(item, reason=planted.group(1)) for item in result.manual]
        if '"plain"' not in source:  # the other modes break plain.py only, before and after its fix
            return result
        if MODE == "crash":
            raise RuntimeError("planted fixer bug")
        if MODE == "unparsable":
            result.source += "\\nest = (\\n"
        elif MODE == "unstable":  # every fix adds a line
            result.source += "# fixed again\\n"
        elif MODE == "recheck":  # claims its fixes but leaves the estimator (stable)
            result.source = source if source.endswith("# touched\\n") else source + "# touched\\n"
        elif MODE == "raises" and "'scipy'" not in result.source:
            result.source += "est.conda_dependencies.add_pip_package('scipy')\\n"
        elif MODE == "drops-argument":
            result.source = result.source.replace('"--alpha", 0.5', "")
        elif MODE == "changes-data" and "src2" not in result.source:
            result.source += ("src2 = ScriptRunConfig('.', arguments=['--data', ws.get_default_datastore()], "
                              "environment=Environment('x'))\\n")
        return result

    def broken_fix_notebook(text, **options):
        result = real_fix_notebook(text, **options)
        if MODE == "unparsable-notebook" and result.changed:
            raw = json.loads(result.source)
            raw["cells"][-1]["source"] = "".join(raw["cells"][-1]["source"]) + "\\nest = ("
            result.source = json.dumps(raw)
        return result

    api.fix_source, notebook.fix_notebook = broken_fix_source, broken_fix_notebook
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "lib").mkdir(parents=True)
    (root / "plain.py").write_text(PLAIN)
    (root / "rl_jobs.py").write_text(REINFORCEMENT)
    (root / "lib" / "wrappers.py").write_text(KWARGS)
    (root / "lib" / "no_azure.py").write_text("def add(a, b):\n    return a + b\n")
    cells = [nbformat.v4.new_markdown_cell("# Train"), *map(nbformat.v4.new_code_cell, NOTEBOOK_CELLS)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(root / "train.ipynb"))
    # plain.py holds one estimator; the manifest says two, so the comparison must report it.
    sites = {"plain.py": 2, "rl_jobs.py": 2, "lib/wrappers.py": 1, "lib/no_azure.py": 0, "train.ipynb": 1}
    (root / "sites.json").write_text(json.dumps({"estimator_sites": sites}))
    return root


def run_script(*args: str, break_mode: str | None = None,
               shim: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The script as users run it; with ``break_mode``, under a fixer broken by the ``shim`` folder."""
    env = {**os.environ}
    if break_mode and shim:
        env["FIX_SHARE_TEST_BREAK"] = break_mode
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shim), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.mark.parametrize("style", ["exact", "curated"])
def test_counts_sites_outcomes_and_reasons(corpus: Path, style: str) -> None:
    done = run_script(str(corpus), "--json", "--env-style", style)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["files"], data["sites"], data["rewritten"], data["manual"]) == (5, 5, 2, 3)
    assert data["safe"] + data["unsafe"] == 2 and data["share"] == 0.4
    assert [group["count"] for group in data["manual_reasons"]] == [2, 1]
    assert data["manual_reasons"][0]["sites"] == ["rl_jobs.py:5", "rl_jobs.py:7"]
    assert data["manual_reasons"][1]["sites"] == ["lib/wrappers.py:5"]
    outcomes = {(s["path"], s["cell"], s["line"]): s["outcome"] for s in data["site_list"]}
    assert outcomes[("train.ipynb", 2, 2)] in ("safe", "unsafe")
    assert outcomes[("plain.py", None, 5)] in ("safe", "unsafe")
    assert data["detections"]["AML101"] == 5
    assert data["expected_sites"] == {"expected": 6, "detected": 5,
                                      "mismatches": {"plain.py": {"expected": 2, "detected": 1}}}
    assert data["violations"] == [] and data["errors"] == []


def test_text_table(corpus: Path) -> None:
    done = run_script(str(corpus))
    assert done.returncode == 0, done.stderr
    assert "5 files, 5 AML101 estimator sites" in done.stdout
    assert "| **rewritten (not manual)** | **2** | **40.0%** |" in done.stdout
    assert "| manual | 3 | 60.0% |" in done.stdout
    assert "- 2 x " in done.stdout and "at rl_jobs.py:5, rl_jobs.py:7" in done.stdout
    assert "plain.py: expected 2, detected 1" in done.stdout
    assert "CONTRACT VIOLATION" not in done.stdout


def write_shim(folder: Path) -> Path:
    shim = folder / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(BREAKERS)
    return shim


def test_reasons_differing_only_in_code_are_one_group(tmp_path: Path) -> None:
    """Manual reasons are planted (``# reason:`` lines) so that this tests the grouping, not today's
    wording: reasons that differ only in code (quoted, punctuated, or a variable of the file) are one
    reason; an English word that happens to be a variable in one file (``run``) does not split a group."""
    elsewhere = "is used elsewhere than as an estimator's distributed_training"
    planted = {"a.py": ("mpi", f"mpi {elsewhere} (line 3)"),
               "b.py": ("mpi_config", f"mpi_config {elsewhere} (lines 12, 14)"),
               "c.py": ("run", "script_params built at run time: write `['--a', x]` by hand"),
               "d.py": ("other", "script_params built at run time: write `[y]` by hand"),
               "e.py": ("other", "inputs item ds.as_named_input('x').as_mount() is not a DataReference")}
    for name, (variable, reason) in planted.items():
        (tmp_path / "corpus").mkdir(exist_ok=True)
        (tmp_path / "corpus" / name).write_text(f"# reason: {reason}\n{variable} = 1\n" + KWARGS)
    data = json.loads(run_script(str(tmp_path / "corpus"), "--json", break_mode="reasons",
                                 shim=write_shim(tmp_path)).stdout)
    assert [(group["count"], group["reason"], group["sites"]) for group in data["manual_reasons"]] == [
        (2, "script_params built at run time: write `…` by hand", ["c.py:7", "d.py:7"]),
        (2, "… is used elsewhere than as an estimator's distributed_training (line N)", ["a.py:7", "b.py:7"]),
        (1, "inputs item ds.as_named_input(…).as_mount() is not a DataReference", ["e.py:7"])]


# A Datastore passed as is is also a finding the checker reports (AML301) and a second fix mends.
_DATASTORE_AS_IS = ("changes-data", "recheck", "not-idempotent")


@pytest.mark.parametrize("mode, path, kind, also", [
    ("unparsable", "plain.py", "unparsable", ()), ("unparsable-notebook", "train.ipynb", "unparsable", ()),
    ("unstable", "plain.py", "not-idempotent", ()), ("recheck", "plain.py", "recheck", ()),
    ("crash", "plain.py", "crash", ()), ("raises", "plain.py", "raises", ()),
    ("changes-data", "plain.py", "changes-data", _DATASTORE_AS_IS),
    ("drops-argument", "plain.py", "changes-data", ())])
def test_a_broken_fixer_is_reported_and_fails_the_run(corpus: Path, tmp_path: Path, mode: str, path: str,
                                                      kind: str, also: tuple[str, ...]) -> None:
    shim = write_shim(tmp_path)
    done = run_script(str(corpus), "--json", break_mode=mode, shim=shim)
    assert done.returncode == 1, done.stderr
    violations = json.loads(done.stdout)["violations"]
    assert violations and {(v["path"], v["kind"]) for v in violations} == {(path, k) for k in (kind, *also)}
    text = run_script(str(corpus), break_mode=mode, shim=shim)
    assert text.returncode == 1 and f"!!! {path}: {kind}: " in text.stdout
    assert "contract violation" in text.stderr


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    done = run_script(str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no such file or directory" in done.stderr
