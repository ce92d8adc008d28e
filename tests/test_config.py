"""``[tool.aml-migrate]`` / ``[aml-migrate]`` configuration through ``aml-migrate check``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from frontends import aml_migrate

ESTIMATOR = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""
NO_ENVIRONMENT = """\
from azureml.core import ScriptRunConfig

src = ScriptRunConfig(source_directory='src', script='train.py')
"""


def found(*args: str, cwd: Path | None = None) -> set[tuple[str, str]]:
    """(file name, code) of every finding of ``check --format json``."""
    result = aml_migrate("check", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return {(Path(f["path"]).name, f["code"]) for f in json.loads(result.stdout)["findings"]}


@pytest.fixture
def project(write, tmp_path):  # type: ignore[no-untyped-def]
    """A project with an estimator script and a ScriptRunConfig without environment, one level down."""
    write("proj/src/submit.py", ESTIMATOR)
    write("proj/src/job.py", NO_ENVIRONMENT)
    return tmp_path / "proj"


ALL = {("submit.py", "AML101"), ("submit.py", "AML102"), ("job.py", "AML401")}


def test_without_configuration_every_rule_runs(project) -> None:
    assert found(str(project)) == ALL


def test_pyproject_is_found_from_the_checked_path_upwards(write, project) -> None:
    write("proj/pyproject.toml", '[project]\nname = "x"\n\n[tool.aml-migrate]\nselect = ["AML1"]\n')
    assert found(str(project / "src")) == ALL - {("job.py", "AML401")}
    assert found(str(project / "src" / "job.py")) == set()


def test_setup_cfg_section(write, project) -> None:
    write("proj/setup.cfg", "[metadata]\nname = x\n\n[aml-migrate]\nignore = AML102, AML401\n")
    assert found(str(project / "src")) == {("submit.py", "AML101")}


def test_pyproject_without_the_table_does_not_hide_setup_cfg_or_a_parent(write, project) -> None:
    write("proj/src/pyproject.toml", '[tool.black]\nline-length = 100\n')
    write("proj/setup.cfg", "[aml-migrate]\nignore = AML4\n")
    assert found(str(project / "src")) == ALL - {("job.py", "AML401")}


def test_pyproject_wins_over_setup_cfg_in_the_same_directory(write, project) -> None:
    write("proj/setup.cfg", "[aml-migrate]\nignore = AML4\n")
    write("proj/pyproject.toml", '[tool.aml-migrate]\nignore = ["AML101"]\n')
    assert found(str(project)) == ALL - {("submit.py", "AML101")}


def test_command_line_flags_win(write, project) -> None:
    write("proj/pyproject.toml", '[tool.aml-migrate]\nselect = ["AML1"]\nignore = ["AML102"]\n')
    assert found(str(project)) == {("submit.py", "AML101")}
    assert found("--select", "AML4", str(project)) == {("job.py", "AML401")}
    assert found("--ignore", "AML101", str(project)) == {("submit.py", "AML102")}


def test_extend_select_adds_to_select(write, project) -> None:
    write("proj/pyproject.toml", '[tool.aml-migrate]\nselect = ["AML101"]\nextend-select = ["AML401"]\n')
    assert found(str(project)) == {("submit.py", "AML101"), ("job.py", "AML401")}


def test_exclude_is_relative_to_the_configuration_file(write, project) -> None:
    write("proj/pyproject.toml", '[tool.aml-migrate]\nexclude = ["src/job.py", "legacy/"]\n')
    write("proj/legacy/old.py", ESTIMATOR)
    assert found(str(project / "src")) == ALL - {("job.py", "AML401")}
    assert found(str(project)) == ALL - {("job.py", "AML401")}
    assert found(str(project / "src" / "job.py")) == set()  # pre-commit names files explicitly


def test_per_file_ignores(write, project) -> None:
    write("proj/pyproject.toml", '[tool.aml-migrate.per-file-ignores]\n"src/sub*.py" = ["AML102"]\n')
    assert found(str(project)) == ALL - {("submit.py", "AML102")}


def test_per_file_ignores_in_setup_cfg_uses_flake8s_form(write, project) -> None:
    write("proj/setup.cfg", "[aml-migrate]\nper-file-ignores =\n    src/job.py: AML401\n    src/submit.py: AML1\n")
    assert found(str(project)) == set()


def test_target_sdk_version_skips_rules_that_do_not_apply_yet(write, project) -> None:
    write("proj/pyproject.toml", '[tool.aml-migrate]\ntarget-sdk-version = "1.17.0"\n')
    assert found(str(project)) == {("job.py", "AML401")}  # estimators are deprecated from 1.19.0 on


def test_env_style_is_exposed_for_the_fixer(write, project) -> None:
    from lint_plugin.config import load_config

    assert load_config(str(project / "src" / "submit.py")).env_style == "exact"
    write("proj/pyproject.toml", '[tool.aml-migrate]\nenv-style = "curated"\n')
    assert load_config(str(project / "src" / "submit.py")).env_style == "curated"



def test_the_dry_run_table_beside_the_keys_is_not_a_check_key(write, project) -> None:
    """``[tool.aml-migrate.dry-run]`` (dry-run's image pins) sits in the same table; check and fix read on."""
    write("proj/pyproject.toml", '[tool.aml-migrate]\nignore = ["AML401"]\n\n'
                                 '[tool.aml-migrate.dry-run]\nimages = { "AzureML-x" = "python:3.11-slim" }\n')
    assert ("job.py", "AML401") not in found(str(project))


BAD = {
    "unknown key": ('[tool.aml-migrate]\nselct = ["AML1"]\n', "[tool.aml-migrate] unknown key 'selct'"),
    "unknown code": ('[tool.aml-migrate]\nignore = ["E501"]\n',
                     "[tool.aml-migrate] ignore: unknown rule code(s): E501"),
    "env style": ('[tool.aml-migrate]\nenv-style = "fancy"\n',
                  "[tool.aml-migrate] env-style: expected one of exact, curated, got 'fancy'"),
    "not a list": ('[tool.aml-migrate]\nselect = 101\n', "[tool.aml-migrate] select: expected a list of strings"),
    "float version": ('[tool.aml-migrate]\ntarget-sdk-version = 1.48\n',
                      "[tool.aml-migrate] target-sdk-version: expected a version string"),
    "bad version": ('[tool.aml-migrate]\ntarget-sdk-version = "latest"\n',
                    "[tool.aml-migrate] target-sdk-version: not a version: 'latest'"),
    "per-file table": ('[tool.aml-migrate]\nper-file-ignores = ["x"]\n', "[tool.aml-migrate] per-file-ignores:"),
    "bad toml": ('[tool.aml-migrate]\nselect = [\n', "cannot read:"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_configuration_is_one_line_naming_file_and_key(write, project, case: str) -> None:
    text, expected = BAD[case]
    config = write("proj/pyproject.toml", text)
    result = aml_migrate("check", str(project))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"aml-migrate: error: {config}: {expected}"), result.stderr


def test_bad_setup_cfg_names_its_section(write, project) -> None:
    config = write("proj/setup.cfg", "[aml-migrate]\nper-file-ignores =\n    no colon here\n")
    result = aml_migrate("check", str(project))
    assert result.returncode == 2
    assert result.stderr == (f"aml-migrate: error: {config}: [aml-migrate] per-file-ignores: expected "
                             "'PATTERN: CODES' lines, got 'no colon here'\n")


def test_no_configuration_file_means_no_toml_parser(project) -> None:
    """Cheap when irrelevant: without a configuration file nothing is parsed."""
    code = ("import sys; from lint_plugin.cli import main; main(['check', '--exit-zero', sys.argv[1]]); "
            "print(sorted(m for m in ('tomllib', 'tomli', 'configparser') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, timeout=600)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr
