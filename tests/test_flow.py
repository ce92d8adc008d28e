"""The flow model (``analysis/flow.py``): which bindings reach each read.

Each case carries its expectations inline: ``# x: 2 4`` on a line says that the read of ``x`` on that
line is reached by the bindings of ``x`` made on lines 2 and 4 (``# x: -`` by none). A case fails on any
read it names whose reaching lines differ, so the model cannot drift from what Python does.
"""

from __future__ import annotations

import ast
import re
import textwrap

import pytest

from lint_plugin.analysis.flow import Flow
from lint_plugin.analysis.scopes import ModuleIndex
from lint_plugin.notebooks import virtual_module

CASES = {
    "straight line and notebook cells": """
        params = {'--lr': 0.1}
        est = make(params)              # params: 1
        params = {'--lr': 0.2}
        est2 = make(params)             # params: 3
        params['--epochs'] = 3          # params: 3
    """,
    "if else merges": """
        if gpu:
            image = 'gpu'
        else:
            image = 'cpu'
        use(image)                      # image: 2 4
        if gpu:
            mode = 'a'
        use(mode)                       # mode: 7
        flag = 1
        if gpu:
            flag = 2
        use(flag)                       # flag: 9 11
    """,
    "return ends a path": """
        def pick(gpu):
            if gpu:
                size = 'NC6'
                return size             # size: 3
            size = 'D2'
            return size                 # size: 5
        def early(x):
            value = 1
            if x:
                raise ValueError(value)  # value: 8
            return value                # value: 8
    """,
    "loops": """
        total = 0
        for item in items:              # items: -
            use(total)                  # total: 1 4
            total = total + item        # total: 1 4  item: 2
        use(total)                      # total: 1 4
        while more():
            last = fetch()
        use(last)                       # last: 7
        for params in grid:
            run(params)                 # params: 9
    """,
    "try except finally": """
        try:
            ws = connect()
        except OSError as error:
            log(error)                  # error: 3
            ws = None
        use(ws)                         # ws: 2 5
        try:
            cfg = load()
        finally:
            done()
        use(cfg)                        # cfg: 8
    """,
    "functions see every binding of the enclosing scope": """
        compute = 'cpu'
        def build():
            return compute              # compute: 1 4
        compute = 'gpu'
        def local(compute):
            return compute              # compute: 5
        def shadow():
            value = compute             # compute: 1 4
            compute2 = value            # value: 8
    """,
    "comprehensions run in place, lambdas later": """
        size = 1
        sizes = [size * n for n in range(3)]    # size: 1  n: 2
        later = lambda: size                     # size: 1 4
        size = 2
    """,
    "augmented assignment reads then rebinds": """
        args = ['--a']
        args += ['--b']                 # args: 1
        use(args)                       # args: 2
    """,
    "walrus and with": """
        if (m := match()) is not None:
            use(m)                      # m: 1
        with open(path) as handle:
            use(handle)                 # handle: 3
    """,
    "del and class bodies": """
        value = 1
        del value
        use(value)                      # value: -
        class Config:
            name = 'x'
            label = name                # name: 5
            def method(self):
                return name             # name: -
    """,
    "match": """
        match command:
            case ['go', where]:
                use(where)              # where: 2
            case _:
                where = 'home'
        use(where)                      # where: 2 5
    """,
}


def _expectations(source: str) -> dict[tuple[int, str], set[int]]:
    expected = {}
    for number, line in enumerate(source.splitlines(), start=1):
        comment = line.partition("#")[2]
        for name, lines in re.findall(r"(\w+): ([-\d ]+?)(?=\s+\w+:|$)", comment):
            expected[(number, name)] = set() if lines.strip() == "-" else {int(n) for n in lines.split()}
    return expected


def _reaching_lines(source: str) -> dict[tuple[int, str], set[int]]:
    tree = ast.parse(source)
    flow = Flow(ModuleIndex(tree))
    found: dict[tuple[int, str], set[int]] = {}
    augmented = {node.target for node in ast.walk(tree) if isinstance(node, ast.AugAssign)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and (isinstance(node.ctx, ast.Load) or node in augmented):
            lines = {binding.statement.lineno if isinstance(binding.statement, ast.stmt) else binding.at[0]
                     for binding in flow.reaching(node)}
            found.setdefault((node.lineno, node.id), set()).update(lines)
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_reaching_bindings(case: str) -> None:
    source = textwrap.dedent(CASES[case]).lstrip("\n")
    expected = _expectations(source)
    assert expected, "the case names no read"
    found = _reaching_lines(source)
    assert {key: found.get(key) for key in expected} == expected


def test_a_notebook_name_rebound_in_a_later_cell_has_one_binding_per_use() -> None:
    cell = "params = {{'--lr': {lr}}}\nest = PyTorch(script_params=params)\n"
    notebook = {"nbformat": 4, "cells": [{"cell_type": "code", "source": cell.format(lr=lr)} for lr in (1, 2, 3)]}
    module = virtual_module(notebook)
    tree = ast.parse(module.source)
    flow = Flow(ModuleIndex(tree))
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "params" and isinstance(n.ctx, ast.Load)]
    values = [ast.literal_eval(flow.binding(read).value)["--lr"] for read in reads]  # type: ignore[union-attr]
    assert values == [1, 2, 3]


def test_same_literal_on_every_path_is_one_value() -> None:
    tree = ast.parse("if a:\n    v = 'x'\nelse:\n    v = 'x'\nuse(v)\nif a:\n    w = 'x'\nelse:\n    w = 'y'\nuse(w)\n")
    flow = Flow(ModuleIndex(tree))
    reads = {n.id: n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in ("v", "w")
             and isinstance(n.ctx, ast.Load)}
    assert flow.binding(reads["v"]) is not None
    assert flow.binding(reads["w"]) is None


def test_uses_are_the_reads_a_binding_reaches() -> None:
    tree = ast.parse("p = {}\np['a'] = 1\nuse(p)\np = {}\nuse(p)\n")
    index = ModuleIndex(tree)
    flow = Flow(index)
    first, second = index.module.bindings["p"]
    assert [read.node.lineno for read in flow.uses(first)] == [2, 3]
    assert [read.node.lineno for read in flow.uses(second)] == [5]


def test_visible_at_a_statement() -> None:
    tree = ast.parse("ws = a()\nrun(1)\nws = b()\nrun(2)\n")
    index = ModuleIndex(tree)
    flow = Flow(index)
    first, second = index.module.bindings["ws"]
    assert flow.visible(index.module, tree.body[1], "ws") == {first}
    assert flow.visible(index.module, tree.body[3], "ws") == {second}
