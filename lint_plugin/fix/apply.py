"""Carry a :class:`Plan` out with libcst: touch only the planned nodes, found by start position.

Everything the plan does not name (formatting, comments, other statements) comes back byte-for-byte,
because libcst round-trips the module and only the nodes returned from the ``leave_*`` hooks change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from .plan import CallEdit, Imports, Plan, Position, StatementEdit


def apply_plan(source: str, plan: Plan, *, add_imports: bool = True) -> str:
    """The edited source; ``add_imports=False`` leaves the needed imports to another part (a notebook
    adds them in the cell that holds its imports)."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # parsed just above: nothing to protect
    applier = _Applier(_in_characters(plan, source), module)
    edited = wrapper.visit(applier)
    missed = (set(applier.calls) | set(applier.exprs) | set(applier.statements)) - applier.applied
    if missed:  # a plan the tree could not take: never write half a rewrite
        raise ValueError(f"planned edits found no node at {sorted(missed)}")
    return _fix_imports(edited, plan.imports if add_imports else Imports(remove=plan.imports.remove)).code


def add_imports(source: str, imports: Imports) -> str:
    return _fix_imports(cst.parse_module(source), Imports(add=imports.add)).code


def _fix_imports(module: cst.Module, imports: Imports) -> cst.Module:
    context = CodemodContext()
    for name, obj in sorted(imports.add, key=lambda item: (item[0], item[1] or "")):
        AddImportsVisitor.add_needed_import(context, name, obj)
    if imports.add:
        module = _transform(AddImportsVisitor(context), module)
    for name, obj, asname in sorted(imports.remove, key=str):
        RemoveImportsVisitor.remove_unused_import(context, name, obj, asname)
    if imports.remove:
        module = _transform(RemoveImportsVisitor(context), module)
    return module


_Codemod = TypeVar("_Codemod", AddImportsVisitor, RemoveImportsVisitor)


def _transform(codemod: _Codemod, module: cst.Module) -> cst.Module:
    """``codemod.transform_module(module)`` without the deep copy of the module that its
    ``MetadataWrapper`` makes: the module is ours (just parsed or just rebuilt), nobody else holds it."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    with codemod.resolve(wrapper):
        codemod.context = replace(codemod.context, wrapper=wrapper)
        return codemod.transform_module_impl(wrapper.module)


def _in_characters(plan: Plan, source: str) -> Plan:
    """The plan's ast positions (columns in UTF-8 bytes) as libcst's (columns in characters)."""
    lines = _LINES.findall(source)
    if source.isascii():
        return plan

    def convert(position: Position) -> Position:
        line, column = position
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return line, len(text.encode("utf-8")[:column].decode("utf-8", errors="ignore"))

    return Plan(calls=[replace(e, at=convert(e.at)) for e in plan.calls],
                exprs=[replace(e, at=convert(e.at), end=convert(e.end)) for e in plan.exprs],
                statements=[replace(e, at=convert(e.at)) for e in plan.statements],
                imports=plan.imports, outcomes=plan.outcomes)


_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # lines as Python's tokenizer counts them


class _Applier(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, plan: Plan, module: cst.Module) -> None:
        super().__init__()
        self.calls = {edit.at: edit for edit in plan.calls}
        self.exprs = {(edit.at, edit.end): edit.text for edit in plan.exprs}
        self.statements = {edit.at: edit for edit in plan.statements}
        self.module = module
        # statements to drop, by identity; held here so that no id is reused by a node made later
        self.removed: dict[int, cst.CSTNode] = {}
        self.applied: set[object] = set()  # keys of the edits carried out

    def _start(self, node: cst.CSTNode) -> Position:
        start = self.get_metadata(PositionProvider, node).start
        return (start.line, start.column)

    def _span(self, node: cst.CSTNode) -> tuple[Position, Position]:
        code_range = self.get_metadata(PositionProvider, node)
        return (code_range.start.line, code_range.start.column), (code_range.end.line, code_range.end.column)

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel:
        result = super().on_leave(original, updated)
        if isinstance(original, cst.BaseExpression) and self.exprs:
            span = self._span(original)
            text = self.exprs.get(span)
            if text is not None and isinstance(result, cst.BaseExpression):
                self.applied.add(span)
                return cst.parse_expression(text, self.module.config_for_parsing)
        return result

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._without_removed(updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        body = self._without_removed(updated.body)
        return updated.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])

    def _without_removed(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """The body less removed statements; the comments and blank lines above one move down to the next."""
        kept: list[cst.BaseStatement] = []
        pending: list[cst.EmptyLine] = []
        for statement in body:
            if id(statement) in self.removed:
                pending += statement.leading_lines
            elif pending:
                kept.append(statement.with_changes(leading_lines=[*pending, *statement.leading_lines]))
                pending = []
            else:
                kept.append(statement)
        return kept

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        edit = self.calls.get(self._start(original))
        parent = self.get_metadata(ParentNodeProvider, original)
        if edit is None or isinstance(parent, cst.Call) and parent.func is original:
            return updated  # in ``f(a)(b)`` both calls start at ``f``; the plan means the outer one, as ast does
        self.applied.add(edit.at)
        return _edit_call(updated, edit, self.module)

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
                                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        edits = [self.statements[at] for at in map(self._start, original.body) if at in self.statements]
        if not edits:
            return updated
        self.applied.update(edit.at for edit in edits)
        if len(original.body) == 1 and edits[0].remove:
            self.removed[id(updated)] = updated  # dropped by its block, which keeps its comments and blank lines
            return updated
        return cst.FlattenSentinel(_around(updated, edits, self.module))


def _around(line: cst.SimpleStatementLine, edits: list[StatementEdit], module: cst.Module) -> list[cst.BaseStatement]:
    config = module.config_for_parsing
    before = [cst.parse_statement(text, config) for edit in edits for text in edit.before]
    after = [cst.parse_statement(text, config) for edit in edits for text in edit.after]
    bind_as = next((edit.bind_as for edit in edits if edit.bind_as), None)
    body: list[cst.BaseStatement] = [line]
    if bind_as is not None:
        body = _bind(line, bind_as)
        after = after + body[1:]
        body = body[:1]
    statements = [*before, *body, *after]
    if statements[0] is not line:  # the comments above the statement stay above the whole group
        statements[0] = statements[0].with_changes(leading_lines=line.leading_lines)
        index = statements.index(body[0])
        statements[index] = body[0].with_changes(leading_lines=[])
    return statements


def _bind(line: cst.SimpleStatementLine, name: str) -> list[cst.BaseStatement]:
    """``return CALL`` -> ``NAME = CALL`` ... ``return NAME``; ``CALL`` -> ``NAME = CALL``."""
    statement = line.body[0]
    value = statement.value  # type: ignore[attr-defined]
    assign = line.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=value)])
    if isinstance(statement, cst.Return):
        return [assign, cst.SimpleStatementLine(body=[cst.Return(value=cst.Name(name))])]
    return [assign]


def _edit_call(call: cst.Call, edit: CallEdit, module: cst.Module) -> cst.Call:
    config = module.config_for_parsing
    args: list[tuple[cst.Arg, bool]] = []  # (argument, whether it was the call's last one)
    for index, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword else None
        if name in edit.drop:
            continue
        if name in edit.values:
            arg = arg.with_changes(value=cst.parse_expression(edit.values[name], config))
        if name in edit.rename:
            arg = arg.with_changes(keyword=cst.Name(edit.rename[name]))
        args.append((arg, index == len(call.args) - 1))
    for keyword, value in edit.append:
        args.append((cst.Arg(keyword=cst.Name(keyword), value=cst.parse_expression(value, config),
                             equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))), False))
    new = call.with_changes(args=_commas(args, list(call.args)))
    return new.with_changes(func=cst.parse_expression(edit.func, config)) if edit.func else new


def _commas(args: list[tuple[cst.Arg, bool]], original: list[cst.Arg]) -> list[cst.Arg]:
    """Separators as the call had them: an argument that was followed by one keeps it; the others get
    the call's first separator; the last argument keeps the call's trailing comma (or lack of one)."""
    commas = [a.comma for a in original[:-1] if isinstance(a.comma, cst.Comma)]
    # a call laid out over lines gets its new arguments one per line, like its others
    template = next((c for c in reversed(commas) if isinstance(c.whitespace_after, cst.ParenthesizedWhitespace)),
                    commas[0] if commas else None)
    separator = _without_comment(template) if template else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    trailing = original[-1].comma if original else cst.MaybeSentinel.DEFAULT
    result = []
    for index, (arg, was_last) in enumerate(args):
        if index == len(args) - 1:
            result.append(arg.with_changes(comma=trailing))
        elif isinstance(arg.comma, cst.Comma) and not was_last:
            result.append(arg)
        else:
            result.append(arg.with_changes(comma=separator))
    return result


def _without_comment(comma: cst.Comma) -> cst.Comma:
    """A separator to copy: its line break and indentation, not the comment or blank lines after it."""
    after = comma.whitespace_after
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return comma
    return comma.with_changes(whitespace_after=after.with_changes(
        first_line=cst.TrailingWhitespace(newline=after.first_line.newline), empty_lines=[]))
