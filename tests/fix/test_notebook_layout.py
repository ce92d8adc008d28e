"""``fix`` keeps a notebook's own JSON layout: only the edited cells' ``source`` values change.

``notebook_layouts/`` holds one realistic notebook (markdown with non-ASCII text, outputs, metadata,
a trailing empty code cell, a PyTorch estimator to fix) written the way different tools write
notebooks; ``WRITERS`` says how each file was written, and a test proves each file really is that.
"""

from __future__ import annotations

import copy
import difflib
import json
import subprocess
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lint_plugin.engine import analyze_source
from lint_plugin.fix import fix_notebook
from lint_plugin.fix.notebook_layout import SourceSpan, replace_sources, source_spans
from lint_plugin.fix.result import FixResult
from lint_plugin.notebooks import read_notebook, virtual_module

LAYOUTS = Path(__file__).resolve().parent / "notebook_layouts"
STYLES = ("curated", "exact")
Writer = Callable[[Any], str]


def writer(*, newline: str = "", crlf: bool = False, **dumps: Any) -> Writer:
    def write(notebook: Any) -> str:
        text = json.dumps(notebook, **dumps) + newline
        return text.replace("\n", "\r\n") if crlf else text
    return write


WRITERS: dict[str, Writer] = {
    "jupyter_indent1.ipynb": writer(indent=1, sort_keys=True, ensure_ascii=False, newline="\n"),
    "script_indent2_escaped.ipynb": writer(indent=2),
    "single_line_strings.ipynb": writer(ensure_ascii=False),
    "compact_lists.ipynb": writer(separators=(",", ":")),
    "crlf_indent4.ipynb": writer(indent=4, sort_keys=True, ensure_ascii=False, newline="\n", crlf=True),
    "tabs_strings.ipynb": writer(indent="\t", ensure_ascii=False, newline="\n"),
}
NEW_SOURCE = ("from azureml.core import Environment  # «exact»\n"
              "src = ScriptRunConfig(script='t.py')\n\nx = \"\\t\"\n")


def read(name: str) -> str:
    return (LAYOUTS / name).read_bytes().decode("utf-8")  # CRLF kept, as the fix command reads it


def with_source(notebook: Any, index: int, source: str) -> Any:
    changed = copy.deepcopy(notebook)
    old = changed["cells"][index]["source"]
    changed["cells"][index]["source"] = source.splitlines(keepends=True) if isinstance(old, list) else source
    return changed


def joined(cell: dict[str, Any]) -> str:
    return "".join(cell["source"])


def test_every_layout_file_is_what_its_writer_writes() -> None:
    assert sorted(WRITERS) == sorted(p.name for p in LAYOUTS.glob("*.ipynb"))
    for name, write in WRITERS.items():
        text = read(name)
        assert write(json.loads(text)) == text, name
        nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_replaced_source_is_written_as_the_files_own_writer_would(name: str) -> None:
    """Every code cell, the empty one included: splicing equals re-writing with the file's writer."""
    text = read(name)
    notebook = json.loads(text)
    code = [i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"]
    assert notebook["cells"][code[-1]]["source"] in ([], "")  # the trailing empty cell Jupyter saves
    for index in code:
        for source in (NEW_SOURCE, "one line, no newline", ""):
            expected = WRITERS[name](with_source(notebook, index, source))
            assert replace_sources(text, {index: source}) == expected, (index, source)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_fix_changes_only_the_edited_cells_sources(name: str, style: str) -> None:
    text = read(name)
    result = fix_notebook(text, env_style=style)
    assert result.changed and not result.errors
    before, after = json.loads(text), json.loads(result.source)
    edited = [i for i, (old, new) in enumerate(zip(before["cells"], after["cells"])) if old != new]
    assert edited == [1, 5]  # the import cell and the estimator cell
    old_spans, new_spans = checked_spans(text, before, edited), checked_spans(result.source, after, edited)
    assert outside(text, old_spans) == outside(result.source, new_spans)  # byte-identical elsewhere
    old_lines, new_lines = text.splitlines(keepends=True), result.source.splitlines(keepends=True)
    old_inside, new_inside = span_lines(text, old_spans), span_lines(result.source, new_spans)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag != "equal":
            assert set(range(i1, i2)) <= old_inside and set(range(j1, j2)) <= new_inside, (tag, i1, i2, j1, j2)
    nbformat.validate(nbformat.reads(result.source, as_version=nbformat.NO_CONVERT))
    for index in edited:  # each source kept its representation: a list of lines stays one
        old, new = before["cells"][index]["source"], after["cells"][index]["source"]
        assert type(old) is type(new)
        assert new == (joined(after["cells"][index]).splitlines(keepends=True) if isinstance(new, list) else new)


def checked_spans(text: str, notebook: Any, cells: list[int]) -> list[SourceSpan]:
    """The spans of ``cells``' sources, each checked to be exactly the JSON value of that source."""
    spans = source_spans(text)
    for index in cells:
        span = spans[index]
        assert text[span.start] in '["' and text[span.end - 1] in ']"'
        assert json.loads(text[span.start:span.end]) == notebook["cells"][index]["source"]
    return sorted((spans[i] for i in cells), key=lambda span: span.start)


def outside(text: str, spans: list[SourceSpan]) -> list[str]:
    bounds = [0, *(edge for span in spans for edge in (span.start, span.end)), len(text)]
    return [text[bounds[k]:bounds[k + 1]] for k in range(0, len(bounds), 2)]


def span_lines(text: str, spans: list[SourceSpan]) -> set[int]:
    """0-based numbers of the lines a span touches (as ``splitlines`` numbers them)."""
    def line_of(offset: int) -> int:
        return len(text[:offset].splitlines(keepends=True)[:-1]) if offset else 0
    return {line for span in spans for line in range(line_of(span.start), line_of(span.end - 1) + 1)}


@pytest.mark.parametrize("style", STYLES)
def test_every_layout_gets_the_same_fixed_cells(style: str) -> None:
    """What the fixer produced for a cell does not depend on how the file is written."""
    results = {name: fix_notebook(read(name), env_style=style) for name in WRITERS}
    fixed = {name: [joined(cell) for cell in json.loads(result.source)["cells"]]
             for name, result in results.items()}
    reference = fixed["jupyter_indent1.ipynb"]
    assert "ScriptRunConfig(" in reference[5] and "Pillow épinglée" in reference[5]
    assert all(sources == reference for sources in fixed.values())
    assert all(summary(result) == summary(results["jupyter_indent1.ipynb"]) for result in results.values())
    for result in results.values():
        module = virtual_module(read_notebook(result.source))
        assert not analyze_source(module.source).findings
        assert fix_notebook(result.source, env_style=style).source == result.source


def summary(result: FixResult) -> list[tuple[str, int | None, int, str]]:
    return [(fix.code, fix.cell, fix.line, fix.summary) for fix in result.applied]


@pytest.mark.parametrize("name", ["jupyter_indent1.ipynb", "script_indent2_escaped.ipynb", "crlf_indent4.ipynb"])
def test_the_console_scripts_diff_shows_only_source_lines(name: str, tmp_path: Path) -> None:
    script = Path(sysconfig.get_path("scripts")) / "aml-migrate"
    assert script.exists(), "the package is not installed (pip install -e .)"
    path = tmp_path / name
    path.write_bytes((LAYOUTS / name).read_bytes())
    shown = subprocess.run([str(script), "fix", "--diff", str(path)], capture_output=True, text=True, timeout=300)
    assert shown.returncode == 1, shown.stderr
    assert path.read_bytes() == (LAYOUTS / name).read_bytes()
    changed = [line for line in shown.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert 10 < len(changed) < 30 and all(line[1:].lstrip().startswith('"') for line in changed), changed
    written = subprocess.run([str(script), "fix", str(path)], capture_output=True, text=True, timeout=300)
    assert written.returncode == 0, written.stdout + written.stderr
    assert path.read_bytes() == fix_notebook(read(name)).source.encode("utf-8")


# Property: for any notebook a JSON writer wrote, splicing a new source in gives what that writer writes.
_TEXT = st.text(st.sampled_from(list("ab \"\\\t\n\r/é—🚀\x07")), max_size=12)
_SOURCES = st.one_of(_TEXT, st.lists(_TEXT, max_size=4).map(lambda parts: "".join(parts).splitlines(keepends=True)))
_KEYS = st.permutations(["cell_type", "metadata", "source", "outputs", "execution_count"])
_WRITERS = st.builds(
    lambda indent, separators, **flags: writer(indent=indent, separators=separators, **flags),
    indent=st.sampled_from([None, 0, 1, 2, 4, "\t", "  \t"]),
    separators=st.sampled_from([None, (",", ":"), (", ", ": "), (" , ", " : ")]),
    sort_keys=st.booleans(), ensure_ascii=st.booleans(), newline=st.sampled_from(["", "\n"]), crlf=st.booleans())


@st.composite
def notebooks(draw: st.DrawFn) -> Any:
    cells = []
    for source in draw(st.lists(_SOURCES, min_size=1, max_size=4)):
        values = {"cell_type": "code", "metadata": {"tags": ["é"]}, "source": source, "outputs": [],
                  "execution_count": None}  # the tag shows how the file writes non-ASCII
        cells.append({key: values[key] for key in draw(_KEYS)})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@settings(max_examples=300, deadline=None)
@given(notebook=notebooks(), write=_WRITERS, new=_TEXT, data=st.data())
def test_splicing_equals_rewriting_for_any_writer(notebook: Any, write: Writer, new: str,
                                                  data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(notebook["cells"]) - 1))
    assert replace_sources(write(notebook), {index: new}) == write(with_source(notebook, index, new))


def test_an_unchanged_line_of_an_edited_cell_keeps_its_own_escapes() -> None:
    """A tool may escape what ``json`` does not (``\\/``, ``\\u003c``): a line the fix keeps stays as written."""
    text = ('{"cells": [{"cell_type": "code", "metadata": {}, '
            '"source": ["x = \'<\\/b>\'\\n", "y = \'\\u003c\'\\n"]}]}')
    spliced = replace_sources(text, {0: "x = '</b>'\nz = 1\ny = '<'\n"})
    assert spliced == text.replace('"y', '"z = 1\\n", "y')
