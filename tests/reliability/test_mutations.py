"""Mutated copies of the realistic fixtures through every front end and the fixer.

Each fixture (``tests/fixtures/check`` and ``examples/legacy_project``) gets seeded mutations: lines
deleted, duplicated or truncated, the file cut short, stray brackets and quotes, NUL, BOM, tabs,
IPython magics in a ``.py``; notebooks get mutated cells or broken JSON. The whole corpus goes through
``aml-migrate check``, ``flake8`` and ``pylint`` once each, one ``aml-migrate lsp`` session (and
``aml-migrate fix`` on a copy).
``AML_RELIABILITY_SEED`` picks other mutations locally; CI uses the fixed default."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest

from frontends import FIXTURES, ROOT
from needs import require_module
from lint_plugin.analysis import mentions_azureml

from .helpers import assert_no_traceback, cli_check, fix_tree, flake8_run, pylint_run
from .mutations import TEXT_MUTATIONS, mutate_notebook, python_parses

SEED = int(os.environ.get("AML_RELIABILITY_SEED", "7"))
MUTANTS_PER_FILE = 3
SOURCES = sorted([*FIXTURES.glob("check/*.py"), *FIXTURES.glob("check/*.ipynb"),
                  *(ROOT / "examples" / "legacy_project").glob("*.py"),
                  *(ROOT / "examples" / "legacy_project").glob("*.ipynb")])


def _mutant(rng: random.Random, source: Path) -> tuple[str, bytes]:
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".ipynb":
        return "notebook", mutate_notebook(rng, text).encode("utf-8")
    mutation = rng.choice(TEXT_MUTATIONS)
    return mutation.__name__, mutation(rng, text).encode("utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(SEED)
    root = tmp_path_factory.mktemp("mutants")
    for source in SOURCES:
        for index in range(MUTANTS_PER_FILE):
            kind, data = _mutant(rng, source)
            (root / f"{source.stem}__{index}__{kind}{source.suffix}").write_bytes(data)
    return root


def _python_files(root: Path) -> list[Path]:
    return sorted(root.glob("*.py"))


def test_the_corpus_has_every_mutation_and_files_python_rejects(corpus: Path) -> None:
    kinds = {path.stem.rsplit("__", 1)[-1] for path in corpus.iterdir()}
    assert len(SOURCES) > 30
    assert {m.__name__ for m in TEXT_MUTATIONS} | {"notebook"} <= kinds
    assert any(not python_parses(p.read_bytes()) for p in _python_files(corpus))


def test_cli_reports_every_unparsable_file_and_never_a_traceback(corpus: Path) -> None:
    report = cli_check(corpus)
    errors = {Path(e["path"]).name for e in report["errors"]}
    for path in _python_files(corpus):
        data = path.read_bytes()
        if mentions_azureml(data) and not python_parses(data):
            assert path.name in errors, f"{path.name}: no error line"
        elif python_parses(data):
            assert path.name not in errors, f"{path.name}: error for a file Python accepts"
    for path in corpus.glob("*.ipynb"):
        if not _readable_notebook(path):
            assert path.name in errors, f"{path.name}: broken notebook without an error line"


def _readable_notebook(path: Path) -> bool:
    try:
        notebook = json.loads(path.read_bytes())
    except ValueError:
        return False
    return isinstance(notebook, dict) and "nbformat" in notebook and isinstance(notebook.get("cells"), list)


def test_flake8_reports_every_unparsable_file_and_never_a_traceback(corpus: Path) -> None:
    result = flake8_run(*_python_files(corpus))
    assert_no_traceback(result)
    assert result.returncode in (0, 1)
    reported = {Path(line.split(":", 1)[0]).name for line in result.stdout.splitlines() if " E9" in line}
    rejected = {p.name for p in _python_files(corpus) if not python_parses(p.read_bytes())}
    assert rejected <= reported


def test_pylint_reports_every_unparsable_file_and_never_a_traceback(corpus: Path) -> None:
    result = pylint_run(*_python_files(corpus))
    assert_no_traceback(result)
    messages = json.loads(result.stdout or "[]")
    assert not [m for m in messages if m["symbol"] in ("astroid-error", "fatal")], "pylint crashed on a file"
    reported = {Path(m["path"]).name for m in messages if m["symbol"] in ("syntax-error", "parse-error")}
    rejected = {p.name for p in _python_files(corpus) if not python_parses(p.read_bytes())}
    assert rejected <= reported


def test_fix_keeps_parsable_files_parsable_and_leaves_the_rest_byte_identical(
        corpus: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(corpus, tree)
    before = {path.name: path.read_bytes() for path in tree.iterdir()}
    fix_tree(str(tree))
    changed = 0
    for path in _python_files(tree):
        if python_parses(before[path.name]):
            assert python_parses(path.read_bytes()), f"{path.name}: parsed before fix, not after"
            changed += path.read_bytes() != before[path.name]
        else:
            assert path.read_bytes() == before[path.name], f"{path.name}: unparsable but rewritten"
    for path in tree.glob("*.ipynb"):
        _assert_notebook_fixed_or_untouched(before[path.name], path.read_bytes())
    assert changed, "the fixer rewrote at least one mutant"
    assert sorted(p.name for p in tree.iterdir()) == sorted(before), "no stray files left behind"


def _assert_notebook_fixed_or_untouched(old: bytes, new: bytes) -> None:
    """A rewritten notebook was readable, still is, and kept its cells: same count, kinds, non-code cells."""
    if new == old:
        return
    before, after = json.loads(old), json.loads(new)
    assert after["nbformat"] == before["nbformat"]
    assert [c.get("cell_type") for c in after["cells"]] == [c.get("cell_type") for c in before["cells"]]
    assert [c for c in after["cells"] if c.get("cell_type") != "code"] == [
        c for c in before["cells"] if c.get("cell_type") != "code"]


def test_language_server_answers_every_mutant_and_its_fix_all_parses(corpus: Path) -> None:
    """One ``aml-migrate lsp`` session opens every mutated script and asks for fix-all on each: every
    document gets diagnostics, no handler fails, and a fix-all edit of a parsable file still parses."""
    require_module("pygls", "setup.cfg extra 'lsp'")
    from test_lsp import FIX_ALL, applied, drive

    async def scenario(session) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
        fixes = 0
        for path in _python_files(corpus):
            uri, text = path.as_uri(), path.read_bytes().decode("utf-8", errors="replace")
            session.open(uri, text)
            diagnostics = await session.published(uri)
            for action in await session.actions(uri, diagnostics, only=[FIX_ALL]):
                assert python_parses(text.encode()) and python_parses(applied(text, action.edit).encode())
                fixes += 1
        return session.messages, fixes

    messages, fixes = drive(corpus, scenario)
    assert not [m for m in messages if "failed" in m or "Traceback" in m], messages
    assert fixes, "some mutants had something to fix"
