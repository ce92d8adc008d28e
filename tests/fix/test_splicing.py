"""The applier rewrites only the statements an edit lives in (``fix/regions.py``) and places new
imports itself (``fix/imports.py``): hand-made plans, before/after."""

from __future__ import annotations

import ast
import textwrap

import pytest

from lint_plugin.fix.apply import add_imports, apply_plan
from lint_plugin.fix.plan import CallEdit, ExprEdit, Imports, Plan, StatementEdit


def applied(source: str, plan: Plan) -> str:
    result = apply_plan(textwrap.dedent(source), plan)
    ast.parse(result)
    return result


def imported(source: str, *needed: tuple[str, str | None]) -> str:
    return add_imports(textwrap.dedent(source), Imports(add=set(needed)))


def test_lines_outside_the_changed_statement_are_copied_untouched() -> None:
    source = "x  =  [1,2]   # odd spacing kept\ny = f(a=1)\nz = {  }\n"
    assert applied(source, Plan(calls=[CallEdit((2, 4), func="g")])) == \
        "x  =  [1,2]   # odd spacing kept\ny = g(a=1)\nz = {  }\n"


def test_an_indented_statement_is_laid_out_as_in_the_whole_module() -> None:
    source = """\
        def build():
            if True:
                est = f(a=1,
                        b=2)
            return est
        """
    plan = Plan(calls=[CallEdit((3, 14), append=[("c", "3")])],
                statements=[StatementEdit((3, 8), before=["env = 1"], after=["est.x = env"])])
    assert applied(source, plan) == textwrap.dedent("""\
        def build():
            if True:
                env = 1
                est = f(a=1,
                        b=2,
                        c=3)
                est.x = env
            return est
        """)


def test_statements_sharing_a_line_are_rewritten_together() -> None:
    assert applied("a = 1; b = f(x)\n", Plan(exprs=[ExprEdit((1, 13), (1, 14), "str(x)")])) == \
        "a = 1; b = f(str(x))\n"


def test_a_one_line_body_is_rewritten_with_its_header() -> None:
    source = "if ready: est = f()\nelse: est = None\n"
    assert applied(source, Plan(calls=[CallEdit((1, 16), func="g")])) == "if ready: est = g()\nelse: est = None\n"


def test_a_call_in_a_decorator_is_found() -> None:
    source = "@register(f(1))\ndef job():\n    pass\n"
    assert applied(source, Plan(calls=[CallEdit((1, 10), func="g")])) == "@register(g(1))\ndef job():\n    pass\n"


def test_a_removed_statement_keeps_the_comments_above_it_and_leaves_no_blank() -> None:
    source = "a = 1\n# about rc\nrc = RunConfiguration()\nb = 2\n"
    assert applied(source, Plan(statements=[StatementEdit((3, 0), remove=True)])) == "a = 1\n# about rc\nb = 2\n"


def test_removing_one_of_several_statements_on_a_line_drops_its_semicolon() -> None:
    assert applied("a = 1; rc = R()\n", Plan(statements=[StatementEdit((1, 7), remove=True)])) == "a = 1\n"


def test_a_block_left_empty_gets_pass_and_only_then() -> None:
    source = """\
        def setup():
            rc = R()
            rc.x = 1
        def other():
            rc = R()
            keep = 1
        """
    plan = Plan(statements=[StatementEdit((2, 4), remove=True), StatementEdit((3, 4), remove=True),
                            StatementEdit((5, 4), remove=True)])
    assert applied(source, plan) == "def setup():\n    pass\ndef other():\n    keep = 1\n"


def test_crlf_tabs_and_no_final_newline_survive() -> None:
    source = "import os\r\nif x:\r\n\test = f(1,\r\n\t        2)\r\n\tpass"
    result = apply_plan(source, Plan(calls=[CallEdit((3, 7), append=[("c", "3")])],
                                     imports=Imports(add={("azureml.core", "ScriptRunConfig")})))
    assert result == ("import os\r\nfrom azureml.core import ScriptRunConfig\r\n\r\nif x:\r\n"
                      "\test = f(1,\r\n\t        2,\r\n\t        c=3)\r\n\tpass")


def test_columns_are_bytes_in_ast_and_characters_in_libcst() -> None:
    assert applied("x = 'é'; y = f()\n", Plan(calls=[CallEdit((1, 14), func="g")])) == "x = 'é'; y = g()\n"


def test_an_edit_where_no_statement_is_raises() -> None:
    with pytest.raises(ValueError, match="planned edits found no node"):
        apply_plan("a = 1\n", Plan(calls=[CallEdit((1, 4), func="g")]))


# -- imports ------------------------------------------------------------------------------------

def test_new_imports_follow_the_leading_import_block_and_a_blank_line_sets_them_off() -> None:
    assert imported("""\
        import os
        x = 1
        """, ("azureml.core", "ScriptRunConfig"), ("azureml.core", "Environment"), ("os", None)) == \
        "import os\nfrom azureml.core import Environment, ScriptRunConfig\n\nx = 1\n"


def test_a_name_joins_the_from_import_of_its_module() -> None:
    assert imported("from azureml.core import Workspace\n\nws = 1\n", ("azureml.core", "ScriptRunConfig")) == \
        "from azureml.core import ScriptRunConfig, Workspace\n\nws = 1\n"


def test_names_already_imported_or_under_a_star_are_not_added() -> None:
    source = "from azureml.core import *\nfrom os import path\nx = 1\n"
    assert imported(source, ("azureml.core", "ScriptRunConfig"), ("os", "path")) == source


def test_after_the_docstring_when_there_is_no_import() -> None:
    assert imported('"""Doc."""\n# note\nx = 1\n', ("azureml.core", "Environment")) == \
        '"""Doc."""\nfrom azureml.core import Environment\n\n# note\nx = 1\n'


def test_before_the_first_statement_below_the_header_comments() -> None:
    assert imported("#!/usr/bin/env python\n# header\n\nx = 1\n", ("azureml.core", "Environment")) == \
        "#!/usr/bin/env python\n# header\n\nfrom azureml.core import Environment\n\nx = 1\n"


def test_an_import_inside_a_function_or_after_code_is_not_the_leading_block() -> None:
    source = "x = 1\nfrom azureml.core import Workspace\n"
    assert imported(source, ("azureml.core", "Environment")) == \
        "from azureml.core import Environment\n\nx = 1\nfrom azureml.core import Workspace\n"


def test_dropping_aliases_keeps_the_others_and_a_trailing_comma() -> None:
    source = "from azureml.train.dnn import (\n    Mpi,\n    PyTorch,\n)\nx = 1\n"
    plan = Plan(statements=[StatementEdit((1, 0), drop={("PyTorch", None)})])
    assert applied(source, plan) == "from azureml.train.dnn import (\n    Mpi,\n)\nx = 1\n"


def test_a_removed_import_that_takes_new_names_keeps_only_those() -> None:
    source = "from azureml.pipeline.steps import EstimatorStep\nx = 1\n"
    plan = Plan(statements=[StatementEdit((1, 0), remove=True)],
                imports=Imports(add={("azureml.pipeline.steps", "PythonScriptStep")}))
    assert applied(source, plan) == "from azureml.pipeline.steps import PythonScriptStep\nx = 1\n"


def test_new_imports_go_where_a_removed_last_import_was() -> None:
    source = "import os\n\nfrom azureml.train.dnn import PyTorch\n\nx = 1\n"
    plan = Plan(statements=[StatementEdit((3, 0), remove=True)],
                imports=Imports(add={("azureml.core", "ScriptRunConfig")}))
    assert applied(source, plan) == "import os\n\nfrom azureml.core import ScriptRunConfig\n\nx = 1\n"


def test_arguments_aligned_with_the_parenthesis_move_with_a_longer_callee() -> None:
    source = """\
        def build():
            est = PyTorch(a=1,
                          b=2)
            other = f(x=1,
                  y=2)
        """
    plan = Plan(calls=[CallEdit((2, 10), func="ScriptRunConfig", append=[("c", "3")]),
                       CallEdit((4, 12), func="longer_name")])
    assert applied(source, plan) == textwrap.dedent("""\
        def build():
            est = ScriptRunConfig(a=1,
                                  b=2,
                                  c=3)
            other = longer_name(x=1,
                  y=2)
        """)
