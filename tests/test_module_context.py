"""The planner's ModuleContext, built from the checks' index walk, holds exactly what a walk of its own
(``ast.walk``, breadth first, as ModuleContext.build did before) would collect."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from lint_plugin.analysis.scopes import ModuleIndex
from lint_plugin.fix.astctx import ModuleContext, _imported_names

ROOT = Path(__file__).resolve().parent.parent
# Shared instances (``ast.Load()``, ``ast.Add()``...): "their parent" is whichever node came last.
SINGLETONS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)

TRICKY = {
    "functions": '''
import azureml.core as core
@core.decorate(a, key=b)
@plain
async def f(x: "Estimator", /, y: int = g(1), *args: "A", z=h(), k: 'B | C' = 2, **kw: dict) -> "Ret":
    v: "Local" = x
    w: int
    def inner(q=lambda p=d(1), *r, s=e(): p + s) -> None:
        from azureml.train.estimator import Estimator as core
        return q
    return (yield x)
''',
    "comprehensions": '''
out = [a.b(c) for a, *rest in items if a for c in a.cs if c(d) if e]
pairs = {k(v): v for k, v in f(x).items()}
gen = (y for y in (z for z in range(3)))
sets = {obj.attr for obj.attr in things}
nested = [[i for i in row] for row in (lambda m: m)(grid)]
walrus = [(n := len(s)) for s in strings]
''',
    "try_and_class": '''
try:
    from azureml.core import Workspace
except (ImportError, ModuleNotFoundError) as error:
    import mlflow as Workspace
except Exception:
    raise
else:
    pass
finally:
    cleanup()
@dataclass(frozen=True)
class C(Base, metaclass=Meta, **extra):
    field: "Workspace" = None
    def method(self, ws: "Workspace") -> 'C':
        with open(p) as (a, b), lock():
            return [a for a in b]
''',
    "expressions": '''
x = f"{a!r:{width}} and {b.c(d)}" f"{e}"
y = a.b.c(d)[e].f(g)(h)
z = not a and b or c if d else -e ** f @ g
w = {**a, "k": [*b, c]}[d:e:f]
del x[0], y.attr
assert check(x), message(y)
print(*args, sep=s(), **kw)
match command.split():
    case [Point(x=0) as p, *rest] if p.y > 0:
        pass
    case {"key": value, **others}:
        pass
    case str() | bytes():
        pass
global_value: int
for i, (j, k) in enumerate(pairs):
    while i < j: i += k
else:
    pass
''',
    "import_shadowing": '''
def nested():
    import numpy as np
    from . import relative
    from azureml.core import *
import azureml.core as np
import a.b.c, d as e
try:
    if flag:
        import numpy as arr
except ImportError:
    import array as arr
''',
    "annotation_depth": '''
def f(x: "A") -> "B": ...
y: "A" = 1
class K:
    def g(self, z: "B") -> "A":
        w: "C" = 2
try:
    if flag:
        v: "D" = 1
except ImportError:
    v: "D" = 2
''',
}
if sys.version_info >= (3, 12):
    TRICKY["type_params"] = '''
def first[T: "Bound", *Ts, **P](x: T) -> T: ...
class Box[U: (int, str)]: ...
type Alias[V] = list[V]
'''
if sys.version_info >= (3, 11):
    TRICKY["except_star"] = '''
try:
    run()
except* (ValueError, TypeError) as group:
    handle(group)
'''


def _sources() -> dict[str, str | bytes]:
    files = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "lint_plugin").rglob("*.py")])
    return {**TRICKY, **{str(path.relative_to(ROOT)): path.read_bytes() for path in files}}


def _standalone(tree: ast.Module) -> ModuleContext:
    """What ModuleContext.build collected with a breadth-first walk of its own."""
    ctx = ModuleContext("", tree)
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            ctx.parents[child] = node
        if isinstance(node, ast.expr):
            ctx.exprs_at.setdefault((node.lineno, node.col_offset), node)
        if isinstance(node, ast.Call):
            ctx.calls_at.setdefault((node.lineno, node.col_offset), node)
        elif isinstance(node, ast.Name):
            ctx.all_names.add(node.id)
            if isinstance(node.ctx, ast.Load):
                ctx.loads.setdefault(node.id, []).append(node)
        elif isinstance(node, ast.arg):
            ctx.all_names.add(node.arg)
        elif isinstance(node, ast.alias):
            ctx.all_names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            ctx.imported.update(_imported_names(node))
            ctx.imports_at[(node.lineno, node.col_offset)] = node
        if isinstance(node, ast.arg | ast.AnnAssign | ast.FunctionDef | ast.AsyncFunctionDef):
            annotation = node.returns if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else node.annotation
            for text in ast.walk(annotation) if annotation is not None else ():
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    for word in re.findall(r"[A-Za-z_]\w*", text.value):
                        ctx.annotation_names.setdefault(word, text.lineno)
    return ctx


def _ids(nodes: dict) -> dict:
    return {key: id(node) for key, node in nodes.items()}


SOURCES = _sources()


@pytest.mark.parametrize("name", list(SOURCES))
def test_context_from_the_index_equals_a_standalone_walk(name: str) -> None:
    tree = ast.parse(SOURCES[name])
    expected, actual = _standalone(tree), ModuleContext.from_index(ModuleIndex(tree))
    every_node = [node for node in ast.walk(tree) if node is not tree and not isinstance(node, SINGLETONS)]
    assert all(actual.parents[node] is expected.parents[node] for node in every_node)
    assert len({n for n in actual.parents if not isinstance(n, SINGLETONS)}) == len(every_node)
    assert _ids(actual.exprs_at) == _ids(expected.exprs_at)
    assert _ids(actual.calls_at) == _ids(expected.calls_at)
    assert list(_ids(actual.imports_at).items()) == list(_ids(expected.imports_at).items())
    assert list(actual.imported.items()) == list(expected.imported.items())
    assert actual.all_names == expected.all_names
    assert actual.annotation_names == expected.annotation_names
    loads = {name: sorted(map(id, nodes)) for name, nodes in actual.loads.items()}
    assert loads == {name: sorted(map(id, nodes)) for name, nodes in expected.loads.items()}


def test_the_tricky_sources_cover_what_the_index_walks_by_hand() -> None:
    """Every field is exercised, including the orders the breadth-first walk decided."""
    trees = {name: ast.parse(TRICKY[name]) for name in ("functions", "import_shadowing", "annotation_depth")}
    shadowed = ModuleContext.from_index(ModuleIndex(trees["import_shadowing"]))
    assert shadowed.imported["np"] == "numpy"  # the nested import came later breadth first
    assert shadowed.imported["arr"] == "array"  # the except clause's came after the try's nested one
    annotated = ModuleContext.from_index(ModuleIndex(trees["annotation_depth"]))
    assert annotated.annotation_names == {"A": 3, "B": 2, "C": 6, "D": 9}
    functions = ModuleContext.from_index(ModuleIndex(trees["functions"]))
    assert {"Estimator", "A", "B", "C", "Ret", "Local"} <= set(functions.annotation_names)
    assert {"p", "r", "s", "kw", "args"} <= functions.all_names
    assert {(5, 40), (5, 60), (8, 25), (8, 37)} <= set(functions.calls_at)  # in defaults, a lambda's too


def test_build_without_an_index_parses_the_source() -> None:
    ctx = ModuleContext.build("import azureml.core\nws = azureml.core.Workspace.from_config()\n")
    assert ctx.imported == {"azureml": "azureml"}
    assert ctx.qualified(ctx.calls_at[(2, 5)].func) == "azureml.core.Workspace.from_config"


def _texts() -> dict[str, str]:
    """The tricky sources and the fixtures (``get_source_segment``, the oracle, is too slow for more)."""
    found = {"line endings": "a = f(1,\r\n      2)\rb = 'é' + g(\x0c\n  3)\nc = {\n 'k': [x\n  for x in y]}"}
    for name, source in SOURCES.items():
        if not (name in TRICKY or name.startswith(("tests/fixtures/", "tests/fix/golden/"))):
            continue
        try:
            found[name] = source.decode("utf-8-sig") if isinstance(source, bytes) else source
        except UnicodeDecodeError:
            continue  # a fixture in another encoding: the line endings case covers what matters
    return found


TEXTS = _texts()


@pytest.mark.parametrize("name", list(TEXTS))
def test_quoted_source_is_what_ast_get_source_segment_gives(name: str) -> None:
    source = TEXTS[name]
    ctx = ModuleContext.build(source)
    for node in ast.walk(ctx.tree):
        segment = ast.get_source_segment(source, node)
        if segment is not None:
            assert ctx.text(node) == segment
