"""``aml-migrate fix`` as a user runs it, through the installed console script: files written atomically
and only when changed, --diff, --check, --safe-only, bad input left byte-identical with one clear line,
exit codes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from frontends import aml_migrate

from lint_plugin.fix import runner

GOLDEN = Path(__file__).resolve().parent / "golden"


def fix(*args: str) -> subprocess.CompletedProcess[str]:
    """``aml-migrate fix ARGS``: the installed console script, never an in-process call."""
    result = aml_migrate("fix", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("est_pytorch_mpi.py", "est_sklearn.py", "nb_inputs_from_earlier_cells.ipynb",
                 "imports_annotation_manual.py"):
        shutil.copy(GOLDEN / name, tmp_path / name)
    (tmp_path / "unrelated.py").write_text("print('hello')\n")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_fix_writes_the_golden_output_and_reports(project: Path) -> None:
    os.chmod(project / "est_sklearn.py", 0o640)
    result = fix(str(project), "--env-style", "curated")
    assert result.returncode == 1  # imports_annotation_manual.py keeps a finding for a human
    out = result.stdout
    for name in ("est_pytorch_mpi", "est_sklearn"):
        expected = (GOLDEN / f"{name}.expected.py").read_text(encoding="utf-8")
        assert (project / f"{name}.py").read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(os.stat(project / "est_sklearn.py").st_mode) == 0o640
    assert (project / "imports_annotation_manual.py").read_bytes() == (GOLDEN / "imports_annotation_manual.py").read_bytes()
    assert out.startswith("fixed 3 file(s); fixes per rule: AML101 x3, AML102 x3, AML103 x1, AML301 x1; left manual: 1")
    assert "curated 'AzureML-Scikit-learn-0.20.3'" in out  # every behaviour change of an unsafe fix is listed
    assert "imports_annotation_manual.py:2: AML102 left manual: still used on line 7" in out
    assert not [p for p in project.iterdir() if p.name.startswith(".aml-migrate-")]


def test_exit_0_when_nothing_is_left(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "est_sklearn.py", tmp_path)
    assert fix(str(tmp_path)).returncode == 0
    assert fix(str(tmp_path)).returncode == 0


def test_second_run_changes_nothing(project: Path) -> None:
    fix(str(project))
    after_first = snapshot(project)
    second = fix(str(project), "--check")
    assert second.returncode == 0
    assert second.stdout.startswith("would fix 0 file(s)")
    assert snapshot(project) == after_first


def test_diff_prints_a_unified_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = fix(str(project / "est_sklearn.py"), "--diff")
    assert result.returncode == 1
    out = result.stdout
    assert f"--- a/{project / 'est_sklearn.py'}" in out
    assert "-est = SKLearn(" in out and "+est = ScriptRunConfig(" in out
    assert snapshot(project) == before


def test_check_exits_1_when_something_would_change(project: Path) -> None:
    before = snapshot(project)
    assert fix(str(project), "--check").returncode == 1
    assert snapshot(project) == before
    assert fix(str(project / "unrelated.py"), "--check").returncode == 0


def test_safe_only_skips_unsafe_fixes(project: Path) -> None:
    result = fix(str(project / "est_sklearn.py"), "--safe-only", "--env-style", "curated")
    assert result.returncode == 1  # the skipped fix leaves its finding
    assert (project / "est_sklearn.py").read_bytes() == (GOLDEN / "est_sklearn.py").read_bytes()
    assert "AML101 left manual: unsafe fix not applied (--safe-only)" in result.stdout
    assert fix(str(project / "est_sklearn.py"), "--safe-only", "--env-style", "exact").returncode == 0
    assert (project / "est_sklearn.py").read_text(encoding="utf-8") == \
        (GOLDEN / "est_sklearn.exact.expected.py").read_text(encoding="utf-8")


def test_unparsable_file_is_left_byte_identical_and_the_run_goes_on(project: Path) -> None:
    broken = b"import azureml.train.estimator\nest = (\n"
    (project / "broken.py").write_bytes(broken)
    (project / "broken.ipynb").write_text("{not json")
    captured = fix(str(project))
    assert captured.returncode == 2
    assert (project / "broken.py").read_bytes() == broken
    assert f"{project / 'broken.py'}:2: not fixed: syntax error at line 2: '(' was never closed\n" in captured.stderr
    assert f"{project / 'broken.ipynb'}:1: not fixed: not valid JSON" in captured.stderr
    assert (project / "est_sklearn.py").read_text(encoding="utf-8").count("ScriptRunConfig(") == 1


def test_new_arguments_never_copy_a_comment(tmp_path: Path) -> None:
    target = tmp_path / "job.py"
    target.write_text("from azureml.train.estimator import Estimator\n"
                      "est = Estimator(source_directory='src',  # where the code is\n"
                      "                entry_script='train.py',  # the entry point\n"
                      "                compute_target='cpu',\n"
                      "                use_docker=True)  # docker on\n")
    assert fix(str(target)).returncode == 0
    text = target.read_text()
    assert text.count("# where the code is") == 1 and text.count("# the entry point") == 1
    assert text.count("# docker on") == 1 and "max_run_duration_seconds=None)  # docker on\n" in text


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "job.py"
    target.write_bytes(b"old\n")

    def fail(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        runner.write_atomically(str(target), b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["job.py"]


def test_importing_the_command_does_not_import_libcst() -> None:
    code = ("import sys, argparse; from lint_plugin.fix import command; "
            "command.configure_parser(argparse.ArgumentParser()); print('libcst' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    shutil.copy(GOLDEN / "est_sklearn.py", target)
    (tmp_path / "project").mkdir()
    link = tmp_path / "project" / "link.py"
    link.symlink_to(target)
    assert fix(str(tmp_path / "project")).returncode == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == (GOLDEN / "est_sklearn.exact.expected.py").read_text(encoding="utf-8")


def test_jobs_give_the_serial_output_byte_for_byte(project: Path) -> None:
    """``-j 2`` fixes in worker processes; the diff, the summary and the order are the serial run's."""
    runs = [fix("--diff", f"--jobs={jobs}", str(project)) for jobs in (1, 2)]
    assert runs[0].returncode == runs[1].returncode == 1
    assert runs[0].stdout == runs[1].stdout and "would fix" in runs[0].stdout
    assert runs[0].stderr == runs[1].stderr


def test_jobs_write_every_file_as_the_serial_run_does(project: Path,
                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    serial = tmp_path_factory.mktemp("serial") / "project"
    shutil.copytree(project, serial)
    assert fix("-j", "1", str(serial)).returncode in (0, 1)
    assert fix("-j", "2", str(project)).returncode in (0, 1)
    for path in sorted(serial.rglob("*")):
        if path.is_file():
            assert (project / path.relative_to(serial)).read_bytes() == path.read_bytes(), path.name


def test_the_configuration_chooses_the_environment_style_unless_the_option_does(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "est_sklearn.py", tmp_path / "est_sklearn.py")
    (tmp_path / "pyproject.toml").write_text('[tool.aml-migrate]\nenv-style = "curated"\n')
    assert fix(str(tmp_path), "--diff").returncode == 1
    assert (tmp_path / "est_sklearn.py").read_bytes() == (GOLDEN / "est_sklearn.py").read_bytes()
    assert fix(str(tmp_path)).returncode == 0
    assert (tmp_path / "est_sklearn.py").read_text(encoding="utf-8") == \
        (GOLDEN / "est_sklearn.expected.py").read_text(encoding="utf-8")
    shutil.copy(GOLDEN / "est_sklearn.py", tmp_path / "est_sklearn.py")
    assert fix(str(tmp_path), "--env-style", "exact").returncode == 0
    assert (tmp_path / "est_sklearn.py").read_text(encoding="utf-8") == \
        (GOLDEN / "est_sklearn.exact.expected.py").read_text(encoding="utf-8")


def test_a_bad_configuration_is_one_error_line(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "est_sklearn.py", tmp_path / "est_sklearn.py")
    (tmp_path / "pyproject.toml").write_text('[tool.aml-migrate]\nenv-style = "fancy"\n')
    result = fix(str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"aml-migrate: error: {tmp_path / 'pyproject.toml'}: [tool.aml-migrate] env-style: expected one of exact, "
        f"curated, got 'fancy'"]


def test_diff_of_a_file_without_a_final_newline_applies_with_patch(tmp_path: Path) -> None:
    from lint_plugin.fix import fix_source

    source = (GOLDEN / "est_sklearn.py").read_text(encoding="utf-8").rstrip("\n")
    (tmp_path / "est_sklearn.py").write_text(source, encoding="utf-8")
    result = fix(str(tmp_path / "est_sklearn.py"), "--diff")
    assert result.returncode == 1
    diff = result.stdout.split("\nwould fix", 1)[0] + "\n"
    assert "\\ No newline at end of file\n" in diff
    patched = subprocess.run(["patch", "--dry-run", "-o", "-", str(tmp_path / "est_sklearn.py")], input=diff,
                             capture_output=True, text=True)
    assert patched.returncode == 0, patched.stderr
    assert patched.stdout.rstrip("\n").endswith(fix_source(source).source.rstrip("\n"))
