"""Seeded mutations of real files: what an editor, a bad merge or a truncated copy leaves behind."""

from __future__ import annotations

import ast
import io
import json
import random
import tokenize
from collections.abc import Callable

Mutation = Callable[[random.Random, str], str]
STRAYS = ("(", ")", "[", "]", "{", "}", "'", '"', "'''", '"""', "\\", ":", ",")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def delete_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def duplicate_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    return "".join([*lines[: at + 1], lines[at], *lines[at + 1:]])


def truncate_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)].rstrip("\n") + "\n"
    return "".join(lines)


def truncate_file(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _insert(rng: random.Random, text: str, piece: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:]


def stray(rng: random.Random, text: str) -> str:
    return _insert(rng, text, rng.choice(STRAYS))


def nul(rng: random.Random, text: str) -> str:
    return _insert(rng, text, "\x00")


def bom(rng: random.Random, text: str) -> str:
    return "\ufeff" + text if rng.random() < 0.5 else _insert(rng, text, "\ufeff")


def tabs(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    indented = [i for i, line in enumerate(lines) if line.startswith("    ")] or [0]
    at = rng.choice(indented)
    lines[at] = "\t" + lines[at][4:] if lines[at].startswith("    ") else "\t" + lines[at]
    return "".join(lines)


def magic(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    line = rng.choice(("%matplotlib inline\n", "!pip install azureml-sdk\n", "%%writefile t.py\n", "ws?\n"))
    lines.insert(rng.randrange(len(lines) + 1), line)
    return "".join(lines)


TEXT_MUTATIONS: tuple[Mutation, ...] = (delete_line, duplicate_line, truncate_line, truncate_file, stray, nul,
                                        bom, tabs, magic)


def mutate_notebook(rng: random.Random, text: str) -> str:
    """Either a mutated code cell (the notebook stays valid JSON) or broken JSON."""
    notebook = json.loads(text)
    cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    choice = rng.randrange(5)
    if choice < 3 and cells:
        cell = rng.choice(cells)
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = rng.choice(TEXT_MUTATIONS)(rng, source)
        return json.dumps(notebook, indent=1)
    if choice == 3:
        damaged = rng.choice(("cells", "nbformat", "source", "cell_type"))
        return text.replace(f'"{damaged}"', '"x"', 1)
    return rng.choice(TEXT_MUTATIONS[:5])(rng, text)


def python_parses(data: bytes) -> bool:
    """Whether Python itself accepts the file: its declared encoding, then its grammar."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        ast.parse(data.decode(encoding).removeprefix("\ufeff"))
    except (SyntaxError, ValueError, LookupError):
        return False
    return True
