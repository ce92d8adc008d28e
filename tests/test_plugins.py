"""flake8 and pylint adapters, through their real commands and pylint's own test utilities."""

from __future__ import annotations

import sys

import astroid
from pylint.testutils import CheckerTestCase, MessageTest

from frontends import flake8_findings, pylint_findings, pylint_messages, run
from lint_plugin.pylint_plugin import AmlMigrateChecker

SUBMIT = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py')
other = PyTorch(source_directory='src')  # noqa: AML101
"""


def test_flake8_noqa_and_select(write) -> None:
    path = str(write("submit.py", SUBMIT))
    assert flake8_findings(path) == {(path, 1, 0, "AML102"), (path, 3, 6, "AML101")}
    assert flake8_findings(path, extra=("--select", "AML101")) == {(path, 3, 6, "AML101")}


def test_flake8_extend_select_keeps_the_default_checks(write) -> None:
    path = str(write("submit.py", SUBMIT + "import os\n"))
    result = run(sys.executable, "-m", "flake8", "--isolated", "--extend-select", "AML", path)
    codes = {line.split(": ")[1].split()[0] for line in result.stdout.splitlines()}
    assert {"AML101", "AML102", "F401"} <= codes


def test_flake8_plugin_is_registered_as_an_entry_point() -> None:
    result = run(sys.executable, "-m", "flake8", "--version")
    assert "aml-migrate" in result.stdout


def test_flake8_does_not_crash_on_unparsable_files(write) -> None:
    path = str(write("broken.py", "import azureml.core\ndef f(:\n"))
    result = run(sys.executable, "-m", "flake8", "--isolated", "--select", "AML,E9", path)
    assert "Traceback" not in result.stderr and "E999" in result.stdout


def test_pylint_reports_with_symbols_and_honours_disable_and_noqa(write) -> None:
    path = str(write("submit.py", SUBMIT + "third = PyTorch('src')  # pylint: disable=deprecated-estimator\n"))
    messages = pylint_messages(path)
    assert [(m["line"], m["column"], m["symbol"], m["message-id"]) for m in messages] == [
        (1, 0, "deprecated-estimator-import", "W9102"),
        (3, 6, "deprecated-estimator", "W9101"),
    ]


def test_pylint_sees_an_imported_subclass_of_an_estimator(write, tmp_path) -> None:
    write("teamlib/__init__.py", "")
    write("teamlib/estimators.py", """\
        from azureml.train.dnn import PyTorch

        class TeamPyTorch(PyTorch):
            def __init__(self, **kwargs):
                super().__init__(framework_version='1.6', **kwargs)
    """)
    submit = str(write("submit.py", """\
        from azureml.core import Workspace
        from teamlib.estimators import TeamPyTorch

        ws = Workspace.from_config()
        est = TeamPyTorch(source_directory='src', entry_script='train.py')
    """))
    found = {(line, code) for path, line, col, code in pylint_findings(submit, extra=(f"--init-hook=import sys; "
                                                                                      f"sys.path.insert(0, '{tmp_path}')",))}
    assert found == {(5, "AML101")}
    assert flake8_findings(submit) == set()  # only inference can see this one


def test_pylint_skips_files_without_azureml(write) -> None:
    path = str(write("model.py", "class PyTorch:\n    pass\n\nPyTorch()\n"))
    assert pylint_messages(path) == []


class TestCheckerWithPylintUtilities(CheckerTestCase):
    CHECKER_CLASS = AmlMigrateChecker

    def test_module_findings_become_line_messages(self, tmp_path) -> None:
        path = tmp_path / "submit.py"
        path.write_text("from azureml.core import ScriptRunConfig\nsrc = ScriptRunConfig('src', script='t.py')\n")
        module = astroid.MANAGER.ast_from_file(str(path))
        from lint_plugin.engine import analyze_source

        expected = analyze_source(path.read_text()).findings
        assert [f.code for f in expected] == ["AML401"] and expected[0].fix.applicability == "manual"
        text = ("ScriptRunConfig has no environment: the job silently runs in the default CPU image; "
                f"pass environment= (manual: {expected[0].fix.summary})")
        # pylint's unit-test linter enables every message, the opt-in SDK v2 ones (default_enabled=False) too
        v2 = ("ScriptRunConfig is SDK v1: use azure.ai.ml.command(code=..., command=..., environment=..., "
              "compute=...) (fix: aml-migrate fix --target v2)")
        with self.assertAddsMessages(
            MessageTest("missing-environment", line=2, col_offset=6, end_line=2, end_col_offset=43, args=(text,)),
            MessageTest("v1-script-run-config", line=2, col_offset=6, end_line=2, end_col_offset=43, args=(v2,)),
            ignore_position=False,
        ):
            self.walk(module)

    def test_nothing_for_a_compatibility_shim(self, tmp_path) -> None:
        path = tmp_path / "compat.py"
        path.write_text("try:\n    from azureml.core import ScriptRunConfig\nexcept ImportError:\n"
                        "    from azureml.train.estimator import Estimator\n")
        with self.assertNoMessages():
            self.walk(astroid.MANAGER.ast_from_file(str(path)))
