"""The benchmark suite works: corpus B is what issue 5 asks for, and a quick run prints every row."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
_spec = importlib.util.spec_from_file_location("aml_migrate_benchmark", BENCHMARKS / "run.py")
assert _spec and _spec.loader
benchmark = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(benchmark)

# Every budget of issue 5, as (corpus, measure) in the table.
EXPECTED_ROWS = [
    ("A", "flake8+plugin / flake8"),
    ("A*", "pylint+plugin / pylint"),
    ("A", "check / ruff"),
    ("B", "flake8+plugin / flake8"),
    ("B", "pylint+plugin / pylint"),
    ("B", "check / flake8 (stock)"),
    ("B", "fix --diff / check"),
    ("B", "check peak memory (MiB)"),
    ("-", "--version / python -c pass"),
]


def test_corpus_b_is_deterministic_and_large_enough(tmp_path: Path) -> None:
    for name in ("one", "two"):
        subprocess.run(
            [sys.executable, str(BENCHMARKS / "make_corpus.py"), str(tmp_path / name)],
            check=True,
            capture_output=True,
        )
    assert benchmark.tree_digest(tmp_path / "one") == benchmark.tree_digest(tmp_path / "two")
    assert len(list((tmp_path / "one").rglob("*.py"))) >= 300
    notebooks = list((tmp_path / "one").rglob("*.ipynb"))
    assert len(notebooks) >= 20
    for path in notebooks:
        nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT))
        assert json.loads(path.read_text(encoding="utf-8"))["nbformat"] == 4
    code = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "one").rglob("*.py"))
    for cls in (
        "PyTorch",
        "TensorFlow",
        "Chainer",
        "SKLearn",
        "Estimator",
        "EstimatorStep",
        "HyperDriveConfig",
        "ScriptRunConfig",
        "RunConfiguration",
        "PythonScriptStep",
    ):
        assert re.search(rf"[\s.]{cls}\(", code), cls
    for shape in ("get_default_datastore()", ".as_mount()", "Dataset.File.from_files("):
        assert shape in code, shape


def test_quick_benchmark_prints_every_row(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--corpus-root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| ")][1:]
    assert [(cells[0].strip(), cells[1].strip()) for cells in rows] == EXPECTED_ROWS
    for cells in rows:
        assert cells[9].strip() in ("pass", "FAIL"), cells
