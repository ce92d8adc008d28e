"""SARIF and ``--format github`` as GitHub consumes them: the documented upload rules, notebook regions
in the raw ``.ipynb`` file for every way a notebook can be written, and stable fingerprints."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest
from frontends import aml_migrate
from github_sarif import upload_problems
from test_output_formats import ESTIMATOR, check_sarif

MULTI_LINE = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src',
              entry_script='caf\u00e9 \U0001F600.py', framework_version='1.6', use_gpu=True)
"""


def write_notebook(path: Path, *sources: str, layout: str = "indent-1") -> Path:
    """A notebook (markdown cell first) written the way ``layout`` says, as real tools write them."""
    cells = [nbformat.v4.new_markdown_cell("# Train")] + [nbformat.v4.new_code_cell(s) for s in sources]
    document = json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))
    if layout == "one-string":  # source as one string, not a list of lines
        for cell in document["cells"]:
            cell["source"] = "".join(cell["source"])
    if layout == "chunks":  # a list whose pieces are not lines
        for cell in document["cells"]:
            text = "".join(cell["source"])
            cell["source"] = [text[i:i + 7] for i in range(0, len(text), 7)]
    text = {"indent-1": lambda: nbformat.writes(nbformat.from_dict(document)),
            "indent-2": lambda: json.dumps(document, indent=2),
            "single-line": lambda: json.dumps(document),
            "one-string": lambda: json.dumps(document, indent=1, ensure_ascii=True),
            "chunks": lambda: json.dumps(document, indent=1, ensure_ascii=False),
            "crlf": lambda: json.dumps(document, indent=1).replace("\n", "\r\n")}[layout]()
    path.write_bytes(text.encode("utf-8"))
    return path


def raw_offset(text: str, line: int, column: int) -> int:
    """A 1-based line and code-point column of ``text`` as an offset."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    return starts[line - 1] + column - 1


def cell_text(path: Path, cell: int) -> list[str]:
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][cell]["source"]
    return ("".join(source) if isinstance(source, list) else source).split("\n")


def flagged_text(path: Path, finding: dict, lines: list[str]) -> str:
    """What the finding covers in its cell, in characters (the JSON report's columns count UTF-8 bytes)."""
    def chars(line: str, byte_column: int) -> int:
        return len(line.encode("utf-8")[:byte_column].decode("utf-8"))

    first, last = lines[finding["line"] - 1], lines[finding["end_line"] - 1]
    if finding["line"] == finding["end_line"]:
        return first[chars(first, finding["column"]):chars(first, finding["end_column"])]
    middle = lines[finding["line"]:finding["end_line"] - 1]
    return "\n".join([first[chars(first, finding["column"]):], *middle, last[:chars(last, finding["end_column"])]])


def decoded_span(raw: str, region: dict) -> str:
    """The JSON string content between the region's ends, decoded: the literals' separators (``",\\n "``
    between list items) dropped, escapes decoded. A region that starts or ends inside an escape, or
    outside a string, does not decode."""
    span = raw[raw_offset(raw, region["startLine"], region["startColumn"]):
               raw_offset(raw, region["endLine"], region["endColumn"])]
    pieces = re.split(r'(?<!\\)"\s*,\s*"', span)  # a quote closing a literal is never escaped
    return "".join(json.loads(f'"{piece}"') for piece in pieces)


LAYOUTS = ("indent-1", "indent-2", "single-line", "one-string", "chunks", "crlf")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_notebook_regions_cover_exactly_the_flagged_code_in_the_raw_file(tmp_path, layout) -> None:
    path = write_notebook(tmp_path / "train.ipynb", "import os\n", MULTI_LINE, "x = 1", ESTIMATOR, layout=layout)
    raw = path.read_bytes().decode("utf-8")
    report = json.loads(aml_migrate("check", "--format", "json", str(path)).stdout)["findings"]
    results = check_sarif(path)["runs"][0]["results"]
    assert len(results) == len(report) >= 4 and any(f["end_line"] > f["line"] for f in report)
    for finding, result in zip(report, results):
        region = result["locations"][0]["physicalLocation"]["region"]
        expected = flagged_text(path, finding, cell_text(path, finding["cell"]))
        assert expected and decoded_span(raw, region) == expected, (finding, region)
        if layout == "single-line":
            assert region["startLine"] == region["endLine"] == 1


def test_notebook_regions_follow_the_line_of_each_source_string(tmp_path) -> None:
    """Jupyter's own layout: each source line is a JSON string on its own line of the file."""
    path = write_notebook(tmp_path / "train.ipynb", MULTI_LINE)
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    result = next(r for r in check_sarif(path)["runs"][0]["results"] if r["ruleId"] == "AML101")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert raw_lines[region["startLine"] - 1].lstrip().startswith('"est = PyTorch(')
    assert raw_lines[region["endLine"] - 1].lstrip().startswith('"              entry_script=')
    assert region["endLine"] == region["startLine"] + 1


def test_github_annotations_use_the_same_notebook_positions_as_sarif(tmp_path) -> None:
    path = write_notebook(tmp_path / "train.ipynb", MULTI_LINE, layout="chunks")
    results = check_sarif(path)["runs"][0]["results"]
    annotations = aml_migrate("check", "--format", "github", str(path)).stdout.splitlines()
    for result, annotation in zip(results, annotations, strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (f",line={region['startLine']},col={region['startColumn']},endLine={region['endLine']},"
                f"endColumn={region['endColumn']},title={result['ruleId']}::") in annotation


def test_a_notebook_without_a_file_mapping_points_at_the_file_start_and_says_so(tmp_path) -> None:
    """nbformat 3 keeps cells in worksheets: positions are not mapped, the cell and line still are."""
    path = tmp_path / "old.ipynb"
    cell = {"cell_type": "code", "input": ESTIMATOR.splitlines(keepends=True), "language": "python",
            "outputs": [], "metadata": {}}
    path.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                                "worksheets": [{"cells": [cell], "metadata": {}}]}, indent=1), encoding="utf-8")
    results = check_sarif(path)["runs"][0]["results"]
    estimator = next(r for r in results if r["ruleId"] == "AML101")
    assert estimator["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert estimator["properties"]["regionIsFileStart"] is True
    assert estimator["message"]["text"].startswith("cell 0, line 3, column 7: ")
    annotation = aml_migrate("check", "--format", "github", str(path)).stdout.splitlines()[1]
    assert ",line=" not in annotation and "::cell 0, line 3, column 7: " in annotation


def test_a_notebook_too_deep_to_map_still_gets_every_format_without_a_traceback(tmp_path) -> None:
    path = write_notebook(tmp_path / "deep.ipynb", ESTIMATOR, layout="single-line")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["metadata"]["widgets"] = json.loads("[" * 900 + "]" * 900)  # deeper than a recursive walk goes
    path.write_text(json.dumps(document), encoding="utf-8")
    estimator = next(r for r in check_sarif(path)["runs"][0]["results"] if r["ruleId"] == "AML101")
    assert estimator["properties"]["regionIsFileStart"] is True
    github = aml_migrate("check", "--format", "github", str(path))
    assert github.returncode == 1 and "Traceback" not in github.stderr and "::cell 1, line 3, column 7: " in github.stdout


def project(root: Path) -> Path:
    """A small repository: a script, a notebook, a requirements file, in folders."""
    (root / "src").mkdir(parents=True)
    (root / "src" / "submit.py").write_text(ESTIMATOR + "other = PyTorch(source_directory='x')\n", encoding="utf-8")
    (root / "notebooks").mkdir()
    write_notebook(root / "notebooks" / "train.ipynb", "import os\n", MULTI_LINE)
    (root / "requirements.txt").write_text("azureml-sdk==1.0.83\n", encoding="utf-8")
    return root


def test_sarif_follows_githubs_upload_rules(tmp_path) -> None:
    repository = project(tmp_path / "repo")
    log = check_sarif(Path("."), cwd=repository)
    results = log["runs"][0]["results"]
    assert {Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).suffix for r in results} == {
        ".py", ".ipynb", ".txt"}
    assert upload_problems(log, repository) == []


def test_the_upload_rules_checker_catches_each_broken_rule(tmp_path) -> None:
    """The checker above can fail: each documented rule, broken on purpose in a valid log, is reported."""
    repository = project(tmp_path / "repo")
    log = check_sarif(Path("."), cwd=repository)

    def broken(change) -> list[str]:  # type: ignore[no-untyped-def]
        copied = copy.deepcopy(log)
        change(copied["runs"][0]["results"][0], copied["runs"][0])
        return upload_problems(copied, repository)

    def location(result):  # type: ignore[no-untyped-def]
        return result["locations"][0]["physicalLocation"]

    assert broken(lambda r, run: location(r)["region"].pop("startLine"))
    assert broken(lambda r, run: location(r)["region"].update(startLine=0))
    assert broken(lambda r, run: location(r)["region"].update(startColumn=0))
    assert broken(lambda r, run: location(r)["region"].update(endLine=location(r)["region"]["startLine"] - 1))
    assert broken(lambda r, run: location(r).pop("region"))
    assert broken(lambda r, run: r.update(ruleId="AML999"))
    assert broken(lambda r, run: r.update(ruleIndex=(r["ruleIndex"] + 1) % 5))
    assert broken(lambda r, run: r.pop("partialFingerprints"))
    assert broken(lambda r, run: r.update(message={"id": "default", "arguments": []}))
    assert broken(lambda r, run: r.update(locations=[]))
    assert broken(lambda r, run: location(r)["artifactLocation"].update(uri=(repository / "src/submit.py").as_uri()))
    assert broken(lambda r, run: location(r)["artifactLocation"].pop("uriBaseId"))
    assert broken(lambda r, run: location(r)["artifactLocation"].update(uri="src/missing.py"))
    assert broken(lambda r, run: run["originalUriBaseIds"]["%SRCROOT%"].update(uri="file:///x"))


def fingerprints(repository: Path) -> dict[str, str]:
    """Each result's fingerprint, by rule and flagged text, for one run over ``repository``."""
    log = check_sarif(Path("."), cwd=repository)
    found = {}
    for result in log["runs"][0]["results"]:
        (value,) = result["partialFingerprints"].values()
        found[value] = result["ruleId"]
    assert len(found) == len(log["runs"][0]["results"]), "fingerprints must be unique"
    return found


def test_fingerprints_survive_edits_above_and_new_cells_but_not_an_edited_line(tmp_path) -> None:
    repository = project(tmp_path / "repo")
    before = fingerprints(repository)
    submit = repository / "src" / "submit.py"
    submit.write_text("# a comment added on top\n\n" + submit.read_text(encoding="utf-8"), encoding="utf-8")
    notebook = repository / "notebooks" / "train.ipynb"
    document = json.loads(notebook.read_text(encoding="utf-8"))
    document["cells"].insert(0, nbformat.v4.new_code_cell("print('a new cell above')"))
    notebook.write_text(json.dumps(document, indent=1), encoding="utf-8")
    assert fingerprints(repository) == before
    submit.write_text(submit.read_text(encoding="utf-8").replace("other = PyTorch(source_directory='x')",
                                                                 "other = PyTorch(source_directory='y')"))
    after = fingerprints(repository)
    assert len(set(after) - set(before)) == 1 and after.keys() != before.keys()
