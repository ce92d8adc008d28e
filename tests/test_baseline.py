"""``aml-migrate check --baseline/--write-baseline/--ratchet`` through the real command line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from frontends import aml_migrate

ESTIMATOR = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""
TWO_ALIKE = """\
from azureml.train.estimator import Estimator

for name in ("a", "b"):
    jobs = [Estimator(source_directory=name)]
    jobs = [Estimator(source_directory=name)]
"""


def found(*args: str, cwd: Path) -> tuple[int, dict]:
    result = aml_migrate("check", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def new_findings(repo: Path, *extra: str) -> list[tuple[str, str, int]]:
    _, report = found("--baseline", "baseline.json", *extra, ".", cwd=repo)
    return [(Path(f["path"]).name, f["code"], f["line"]) for f in report["findings"]]


def write_notebook(path: Path, *sources: str) -> None:
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A legacy repository with its baseline written: a script, a notebook, identical lines."""
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "submit.py").write_text(ESTIMATOR, encoding="utf-8")
    (root / "src" / "loop.py").write_text(TWO_ALIKE, encoding="utf-8")
    write_notebook(root / "train.ipynb", "import os", ESTIMATOR)
    result = aml_migrate("check", "--write-baseline", "baseline.json", ".", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "aml-migrate: wrote 7 baseline entries to baseline.json\n"
    return root


def test_a_baseline_hides_what_it_records_and_nothing_else(repo) -> None:
    code, report = found("--baseline", "baseline.json", ".", cwd=repo)
    assert (code, report["findings"]) == (0, [])
    assert report["baseline"] == {"path": "baseline.json", "hidden": 7, "ratchet": False, "fixed": []}
    (repo / "src" / "new.py").write_text(ESTIMATOR, encoding="utf-8")
    assert new_findings(repo) == [("new.py", "AML102", 1), ("new.py", "AML101", 3)]
    assert aml_migrate("check", "--baseline", "baseline.json", ".", cwd=repo).returncode == 1


def test_the_file_is_sorted_stable_json_one_entry_a_line_with_paths_relative_to_it(repo, tmp_path) -> None:
    text = (repo / "baseline.json").read_text(encoding="utf-8")
    document = json.loads(text)
    entries = document["findings"]
    assert entries == sorted(entries, key=lambda e: (e["path"], e["code"], e["source"], e["occurrence"]))
    assert {"path": "src/loop.py", "code": "AML101", "source": "jobs = [Estimator(source_directory=name)]",
            "occurrence": 1} in entries
    assert [json.loads(line.rstrip(",")) for line in text.splitlines() if line.startswith("    {")] == entries
    # from elsewhere, with other spellings of the same paths, the file comes out byte for byte the same
    elsewhere = aml_migrate("check", "--write-baseline", str(repo / "baseline.json"), str(repo / "train.ipynb"),
                            str(repo / "src"), cwd=tmp_path)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (repo / "baseline.json").read_text(encoding="utf-8") == text


def test_edits_above_a_finding_keep_it_baselined_an_edited_line_is_new(repo) -> None:
    submit = repo / "src" / "submit.py"
    submit.write_text('"""Now with a docstring."""\nimport os\n\n' + ESTIMATOR.replace("est = ", "    est = ")
                      .replace("    est", "if True:\n    est"), encoding="utf-8")
    assert new_findings(repo) == []
    submit.write_text(submit.read_text(encoding="utf-8").replace("use_gpu=True", "use_gpu=False"), encoding="utf-8")
    assert new_findings(repo) == [("submit.py", "AML101", 7)]


def test_notebooks_match_by_cell_text_not_cell_index(repo) -> None:
    notebook = repo / "train.ipynb"
    write_notebook(notebook, "print('a new first cell')", "x = 1\n" + ESTIMATOR, "import os")
    assert new_findings(repo) == []
    write_notebook(notebook, "x = 1\n" + ESTIMATOR.replace("'1.6'", "'1.7'"))
    assert new_findings(repo) == [("train.ipynb", "AML101", 4)]


def test_identical_lines_count_by_occurrence(repo) -> None:
    loop = repo / "src" / "loop.py"
    loop.write_text(TWO_ALIKE + "    jobs = [Estimator(source_directory=name)]\n", encoding="utf-8")
    assert new_findings(repo) == [("loop.py", "AML101", 6)]  # the third of its kind is the new one
    loop.write_text(TWO_ALIKE.replace("    jobs = [Estimator(source_directory=name)]\n", "", 1), encoding="utf-8")
    _, report = found("--baseline", "baseline.json", ".", cwd=repo)
    assert report["findings"] == []
    assert report["baseline"]["fixed"] == [{"path": "src/loop.py", "code": "AML101",
                                            "source": "jobs = [Estimator(source_directory=name)]", "occurrence": 1}]


def test_the_ratchet_reports_fixed_entries_and_fails_only_when_asked(repo) -> None:
    (repo / "src" / "submit.py").unlink()
    (repo / "src" / "loop.py").write_text("import os\n", encoding="utf-8")
    result = aml_migrate("check", "--baseline", "baseline.json", ".", cwd=repo)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines()[0] == (
        "aml-migrate: 5 baseline entries are fixed: run --write-baseline to shrink it (baseline.json)")
    assert "  src/submit.py: AML101 est = PyTorch(source_directory='src', entry_script='train.py', " \
           "framework_version='1.6', use_gpu=True)" in result.stderr.splitlines()
    ratchet = aml_migrate("check", "--baseline", "baseline.json", "--ratchet", ".", cwd=repo)
    assert ratchet.returncode == 1
    assert ratchet.stderr.startswith("aml-migrate: error: 5 baseline entries are fixed: run --write-baseline")
    shrink = aml_migrate("check", "--baseline", "baseline.json", ".", "--write-baseline", cwd=repo)
    assert shrink.stderr == "aml-migrate: wrote 2 baseline entries to baseline.json (0 new, 5 fixed)\n"
    assert aml_migrate("check", "--baseline", "baseline.json", "--ratchet", ".", cwd=repo).returncode == 0


def test_the_ratchet_only_judges_what_this_run_checked(repo) -> None:
    """Checking one file, or some rules, must not call everything else fixed; a deleted file is fixed."""
    def fixed(*args: str) -> list[tuple[str, str]]:
        _, report = found("--baseline", "baseline.json", "--ratchet", *args, cwd=repo)
        return [(entry["path"], entry["code"]) for entry in report["baseline"]["fixed"]]

    assert fixed("src/submit.py") == []
    assert fixed("--select", "AML101", ".") == []
    assert fixed("--exclude", "loop.py", ".") == []
    (repo / "src" / "submit.py").unlink()
    assert fixed("src") == [("src/submit.py", "AML101"), ("src/submit.py", "AML102")]
    assert fixed("--select", "AML102", "src") == [("src/submit.py", "AML102")]
    assert fixed("train.ipynb") == []


def test_every_format_carries_the_ratchet(repo) -> None:
    (repo / "src" / "loop.py").unlink()
    github = aml_migrate("check", "--format", "github", "--baseline", "baseline.json", "--ratchet", ".", cwd=repo)
    assert github.returncode == 1
    assert github.stdout == (
        "::error title=aml-migrate baseline::3 baseline entries are fixed: run --write-baseline to shrink it "
        "(baseline.json): src/loop.py: AML101 jobs = [Estimator(source_directory=name)]; src/loop.py: AML101 "
        "jobs = [Estimator(source_directory=name)]; src/loop.py: AML102 from azureml.train.estimator import Estimator\n")
    sarif = json.loads(aml_migrate("check", "--format", "sarif", "--baseline", "baseline.json", ".", cwd=repo).stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "note", "message": {
        "text": "3 baseline entries are fixed: run --write-baseline to shrink it (baseline.json)"}}]
    assert sarif["runs"][0]["results"] == []


def test_the_configuration_names_the_baseline_relative_to_itself(repo, tmp_path) -> None:
    (repo / "pyproject.toml").write_text('[tool.aml-migrate]\nbaseline = "ci/aml-baseline.json"\n', encoding="utf-8")
    (repo / "ci").mkdir()
    missing = aml_migrate("check", ".", cwd=repo)
    assert (missing.returncode, missing.stderr) == (2, f"aml-migrate: error: {repo / 'ci/aml-baseline.json'}: no "
                                                       "such baseline file (create it with --write-baseline)\n")
    assert aml_migrate("check", "--write-baseline", cwd=repo).returncode == 0
    assert json.loads((repo / "ci" / "aml-baseline.json").read_text())["findings"][0]["path"] == "../src/loop.py"
    assert aml_migrate("check", str(repo), cwd=tmp_path).returncode == 0
    assert aml_migrate("check", "--baseline", "baseline.json", str(repo / "src" / "submit.py"),
                       cwd=repo).returncode == 0
    (repo / "pyproject.toml").write_text('[tool.aml-migrate]\nbaseline = ["a"]\n', encoding="utf-8")
    bad = aml_migrate("check", ".", cwd=repo)
    assert (bad.returncode, bad.stderr) == (2, f"aml-migrate: error: {repo / 'pyproject.toml'}: [tool.aml-migrate] "
                                               "baseline: expected a file path, got ['a']\n")


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON at line 1: Expecting property name enclosed in double quotes"),
    ('{"version": 2, "findings": []}', 'not an aml-migrate baseline (expected "version": 1)'),
    ('{"version": 1, "findings": {}}', 'not an aml-migrate baseline ("findings" is not a list)'),
    ('{"version": 1, "findings": [{"path": "a.py", "code": "AML101", "source": "x", "occurrence": -1}]}',
     'finding 1 needs "path", "code", "source" (text) and "occurrence" (a number from 0): got {"path": "a.py", '),
])
def test_a_broken_baseline_is_one_clear_line(repo, content, message) -> None:
    (repo / "baseline.json").write_text(content, encoding="utf-8")
    result = aml_migrate("check", "--baseline", "baseline.json", ".", cwd=repo)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"aml-migrate: error: baseline.json: {message}") and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_gate_options_that_cannot_work_are_usage_errors(repo) -> None:
    ratchet = aml_migrate("check", "--ratchet", ".", cwd=repo)
    assert (ratchet.returncode, ratchet.stderr) == (2, 'aml-migrate: error: --ratchet needs a baseline: --baseline '
                                                       'FILE, or baseline = "FILE" in the configuration\n')
    assert aml_migrate("check", "--write-baseline", ".", cwd=repo).returncode == 2
    source = repo / "src" / "submit.py"
    overwrite = aml_migrate("check", "--write-baseline", str(source), cwd=repo)
    assert (overwrite.returncode, source.read_text(encoding="utf-8")) == (2, ESTIMATOR)
    assert overwrite.stderr == (f"aml-migrate: error: {source} is not an aml-migrate baseline: not overwriting it "
                                "(put --write-baseline after the paths, or give it the baseline FILE)\n")
    unwritable = aml_migrate("check", "--write-baseline", "no/such/dir/b.json", ".", cwd=repo)
    assert unwritable.returncode == 2 and unwritable.stderr.startswith("aml-migrate: error: no/such/dir/b.json: cannot")


def test_an_interrupted_write_leaves_the_old_baseline(repo, monkeypatch) -> None:
    from lint_plugin.atomic import write_atomically

    target = repo / "baseline.json"
    before = target.read_bytes()
    os.chmod(target, 0o640)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(str(target), b"half")
    monkeypatch.undo()
    assert target.read_bytes() == before and sorted(p.name for p in repo.iterdir()) == ["baseline.json", "src",
                                                                                       "train.ipynb"]
    write_atomically(str(target), b"{}")
    assert target.read_bytes() == b"{}" and os.stat(target).st_mode & 0o777 == 0o640


def test_sarif_file_is_written_beside_the_chosen_format(repo) -> None:
    shutil.rmtree(repo / "src")
    (repo / "src").mkdir()
    (repo / "src" / "new.py").write_text(ESTIMATOR, encoding="utf-8")
    result = aml_migrate("check", "--baseline", "baseline.json", "--sarif-file", "out.sarif", ".", cwd=repo)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["./src/new.py", "./src/new.py"]
    results = json.loads((repo / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("AML102", "src/new.py"), ("AML101", "src/new.py")]
