"""``aml-migrate report``: the data (``--format json``) checked against ``check``'s own report, and the
HTML page loaded in real headless Chromium (Debian's package, driven by Playwright): it loads without
errors or network requests, the chart renders to scale, links reach the files, the filter works. A
screenshot lands in the test artefacts (``$AML_MIGRATE_TEST_ARTIFACTS``, default ``.test-artifacts/``)."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from frontends import ROOT, aml_migrate, check_json
from needs import unavailable

ESTIMATOR = """\
from azureml.train.dnn import PyTorch

est = PyTorch(source_directory='src', entry_script='train.py', framework_version='1.6', use_gpu=True)
"""
NO_ENVIRONMENT = """\
from azureml.core import ScriptRunConfig

src = ScriptRunConfig(source_directory='src', script='train.py')
"""
HOSTILE = "<img src=x onerror=alert(1)>"  # a folder name is text, never markup
ARTIFACTS = Path(os.environ.get("AML_MIGRATE_TEST_ARTIFACTS", ROOT / ".test-artifacts"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for folder, name, text in [("jobs", "submit.py", ESTIMATOR), ("jobs", "other.py", ESTIMATOR.replace("est =", "x =")),
                               ("jobs/nightly", "run.py", NO_ENVIRONMENT), (HOSTILE, "job.py", NO_ENVIRONMENT),
                               (".", "requirements.txt", "azureml-sdk==1.0.83\n")]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(text, encoding="utf-8")
    cells = [nbformat.v4.new_markdown_cell("# Train"), nbformat.v4.new_code_cell(ESTIMATOR)]
    (root / "notebooks").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(root / "notebooks" / "train.ipynb"))
    return root


def report_json(root: Path, *args: str) -> dict:
    result = aml_migrate("report", "--format", "json", *args, ".", cwd=root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_data_adds_up_to_checks_own_findings(project) -> None:
    data = report_json(project)
    checked = check_json(project)["findings"]
    kinds = Counter(f["fix"]["applicability"] if f["fix"] else "hint" for f in checked)
    assert data["totals"] == {"findings": len(checked), "safe": kinds["safe"], "unsafe": kinds["unsafe"],
                              "manual": kinds["manual"], "hint": kinds["hint"]}
    assert kinds["safe"] and kinds["manual"] and kinds["hint"]
    assert len(data["findings"]) == len(checked) and data["files_checked"] == 6 and data["files_with_findings"] == 6
    assert {rule["code"]: rule["count"] for rule in data["rules"]} == Counter(f["code"] for f in checked)
    folders = {folder["folder"]: folder for folder in data["folders"]}
    assert set(folders) == {"jobs", "jobs/nightly", HOSTILE, "notebooks", "."}
    assert [f["folder"] for f in data["folders"]][0] == "jobs"  # most findings first
    for folder in data["folders"]:
        assert folder["count"] == sum(folder[kind] for kind in ("safe", "unsafe", "manual", "hint"))
    manual = next(reason for reason in data["manual_reasons"] if reason["codes"] == ["AML401"])
    assert manual["count"] == 2 and manual["reason"].startswith("pass environment=")
    notebook = next(f for f in data["findings"] if f["cell"] is not None and f["code"] == "AML101")
    assert notebook["path"] == "notebooks/train.ipynb" and notebook["line"] == 3
    raw = (project / "notebooks" / "train.ipynb").read_text(encoding="utf-8").splitlines()
    assert "est = PyTorch(" in raw[notebook["file_line"] - 1]


def test_selection_and_configuration_apply_as_in_check(project) -> None:
    assert {f["code"] for f in report_json(project, "--select", "AML401")["findings"]} == {"AML401"}
    (project / "pyproject.toml").write_text('[tool.aml-migrate]\nexclude = ["notebooks/"]\n', encoding="utf-8")
    assert all(not f["path"].startswith("notebooks/") for f in report_json(project)["findings"])


class _Assets(HTMLParser):
    """Everything in a page that could load something from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.loads += [f"<{tag} {name}={value}>" for name, value in attrs
                       if name in ("src", "srcset", "data", "poster") or (tag == "link" and name == "href")]


def test_the_page_is_self_contained_and_escapes_what_it_shows(project) -> None:
    result = aml_migrate("report", ".", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("aml-migrate: wrote aml-migrate-report.html: 9 findings in 6 files (")
    page = (project / "aml-migrate-report.html").read_text(encoding="utf-8")
    assets = _Assets()
    assets.feed(page)
    assert assets.loads == [] and "url(" not in page and "@import" not in page and "http://" not in page.replace(
        "http://www.w3.org/2000/svg", "")
    assert "default-src 'none'" in page and HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_output_choices_and_errors(project, tmp_path) -> None:
    stdout = aml_migrate("report", "-o", "-", ".", cwd=project)
    assert stdout.stdout.startswith("<!DOCTYPE html>") and not (project / "aml-migrate-report.html").exists()
    linked = aml_migrate("report", "-o", "-", "--link-template", "https://example.org/r/blob/main/{path}#L{line}",
                         "jobs/submit.py", cwd=project).stdout
    assert 'href="https://example.org/r/blob/main/jobs/submit.py#L3"' in linked
    bad = aml_migrate("report", "--link-template", "{file}", ".", cwd=project)
    assert (bad.returncode, bad.stderr) == (2, "aml-migrate: error: --link-template takes {path} and {line} only: "
                                               "'file' in '{file}'\n")
    unwritable = aml_migrate("report", "-o", str(tmp_path / "no" / "r.html"), ".", cwd=project)
    assert unwritable.returncode == 2 and unwritable.stderr.startswith("aml-migrate: error: ")
    assert aml_migrate("report", "--select", "AML999", ".", cwd=project).returncode == 2
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.py").write_text("import os\n", encoding="utf-8")
    clean = aml_migrate("report", "-o", "-", "clean", "missing", cwd=tmp_path)
    assert clean.returncode == 0 and "<p>Nothing to migrate.</p>" in clean.stdout
    assert "<li><code>missing</code>: cannot read: no such file or directory</li>" in clean.stdout


@pytest.fixture(scope="module")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's Chromium through Playwright; in CI both must be there (.ci/setup-browser.sh installs it)."""
    executable = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        unavailable("no chromium or playwright on this machine (CI installs Debian's chromium and playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def test_the_report_renders_in_chromium(project, chromium, tmp_path) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    assert aml_migrate("report", "-o", str(target), ".", cwd=project).returncode == 0
    data = report_json(project)
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(target.as_uri(), wait_until="load")

    bars = page.locator("#folder-chart g.bar")
    assert bars.count() == len(data["folders"]) and width_per_finding(page, data) > 50
    for index, folder in enumerate(data["folders"]):
        segments = bars.nth(index).locator("rect.seg")
        drawn = {}
        for number in range(segments.count()):
            box = segments.nth(number).bounding_box()
            assert box and box["height"] > 10
            drawn[segments.nth(number).get_attribute("class").split()[1]] = box["width"]
        assert drawn == pytest.approx({kind: folder[kind] * width_per_finding(page, data)
                                       for kind in ("safe", "unsafe", "manual", "hint") if folder[kind]}, abs=1)
    fills = {kind: page.locator(f"rect.seg.{kind}").first.evaluate("e => getComputedStyle(e).fill")
             for kind in ("safe", "manual", "hint")}
    assert len(set(fills.values())) == 3 and "rgb(0, 0, 0)" not in fills.values()
    assert page.locator("#total-safe .number").inner_text() == str(data["totals"]["safe"])
    assert page.locator("#folder-chart text", has_text=HOSTILE).count() == 1

    rows = page.locator("#findings tbody tr")
    assert rows.count() == len(data["findings"])
    for number in range(rows.count()):
        href = rows.nth(number).locator("a").evaluate("a => a.href")
        assert Path(unquote(urlparse(href).path)).is_file(), href
    page.fill("#filter", "AML401 nightly")
    assert page.locator("#shown").inner_text() == "1" and page.locator("#findings tbody tr:visible").count() == 1

    page.fill("#filter", "")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.close()
    assert problems == []
    assert requests == [target.as_uri()], "the page must load nothing but itself"


def width_per_finding(page, data: dict) -> float:  # type: ignore[no-untyped-def]
    """The rendered width of one finding: the longest bar's width over its count."""
    longest = page.locator("#folder-chart g.bar").first.locator("rect.seg")
    width = sum(longest.nth(n).bounding_box()["width"] for n in range(longest.count()))
    return width / data["folders"][0]["count"]
