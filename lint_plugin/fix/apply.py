"""Carry a :class:`Plan` out with libcst, touching only the lines of the statements that change.

Each region (``regions.py``: whole lines holding the statements an edit lives in) goes through libcst
alone, parsed inside an ``if True:`` at its own indentation when it is indented, so that libcst
lays new and edited code out exactly as it would in the whole module; the planned nodes are found
by start position. Lines outside the regions are copied, so formatting and comments everywhere else
come back byte-for-byte, and a file pays for the statements it changes, not for its length.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

import libcst as cst
import libcst.helpers
from libcst.metadata import MetadataWrapper, PositionProvider

from ..findings import character_column
from .astctx import source_lines
from .imports import ImportPlacement, place_imports
from .plan import CallEdit, Imports, Plan, Position, StatementEdit
from .regions import Region, regions

_NEWLINE = re.compile(r"\r\n|\r|\n")
_WRAPPER = "if True:"


def apply_plan(source: str, plan: Plan, *, add_imports: bool = True, tree: ast.Module | None = None) -> str:
    """The edited source; ``add_imports=False`` leaves the needed imports to another part (a notebook
    adds them in the cell that holds its imports). ``tree`` is ``source`` parsed, if the caller has it."""
    lines = source_lines(source)
    tree = tree if tree is not None else ast.parse(source)
    first_newline = _NEWLINE.search(source)
    newline = first_newline.group() if first_newline else "\n"
    placement = place_imports(tree, lines, plan.imports.add, newline, plan.imports.helpers) if add_imports \
        else ImportPlacement()
    removed = {edit.at for edit in plan.statements if edit.remove} - set(placement.joins)
    anchors = [*(e.at for e in plan.calls), *(e.at for e in plan.exprs), *(e.at for e in plan.statements),
               *placement.joins]
    edits = _in_characters(plan, lines)
    pieces: list[str] = []
    copied = 0  # lines already in ``pieces``
    functions = {(s.lineno, s.col_offset): s.end_lineno for s in tree.body if isinstance(s, ast.FunctionDef)}
    gone_functions = {functions[at] for at in removed if at in functions}
    for region in regions(tree, lines, anchors, removed):
        copied = _copy_until(pieces, lines, copied, region.first, placement, newline)
        rewritten = _rewrite(lines, region, edits, placement.joins, newline)
        pieces.append(rewritten)
        copied = region.last
        if not rewritten and region.last in gone_functions:
            # a function that went takes the blank lines after it along (PEP 8's two stay before the next)
            while copied < len(lines) and not lines[copied].strip():
                copied += 1
        if not "".join(pieces).strip() and not placement.text:
            # the file (a notebook cell) lost its first statements: it starts with the next one, not a blank line
            while copied < len(lines) and not lines[copied].strip():
                copied += 1
    _copy_until(pieces, lines, copied, len(lines) + 1, placement, newline)
    return "".join(pieces)


def add_imports(source: str, imports: Imports) -> str:
    return apply_plan(source, Plan(imports=Imports(add=imports.add, helpers=imports.helpers)))


def _copy_until(pieces: list[str], lines: list[str], copied: int, stop: int, placement: ImportPlacement,
                newline: str) -> int:
    """Copy the lines before line ``stop``, with the new imports where they go; the lines copied."""
    if placement.text and copied < placement.line <= stop:
        pieces += lines[copied: placement.line - 1]
        written = next((piece for piece in reversed(pieces) if piece), "")
        if written and not written.endswith(("\n", "\r")):  # the file ended without a newline
            pieces.append(newline)
        pieces.append(placement.text)
        copied = placement.line - 1
    pieces += lines[copied: stop - 1]
    return max(copied, stop - 1)


def _rewrite(lines: list[str], region: Region, plan: Plan, joins: dict[Position, list[str]], newline: str) -> str:
    text = "".join(lines[region.first - 1: region.last])
    wrapped = text[:1] in (" ", "\t", "\f")
    header = _WRAPPER + newline if wrapped else ""
    module = cst.parse_module(header + text)
    shift = region.first - 1 - bool(wrapped)
    applier = _Applier(_within(plan, region, shift), {(line - shift, column): names for (line, column), names
                                                      in joins.items() if region.first <= line <= region.last},
                       module, wrapped=wrapped)
    edited = MetadataWrapper(module, unsafe_skip_copy=True).visit(applier)
    missed = applier.expected - applier.applied
    if missed:  # a plan the tree could not take: never write half a rewrite
        raise ValueError(f"planned edits found no node at {sorted((line + shift, col) for line, col in missed)}")
    if not edited.body or applier.emptied:
        return ""  # every statement of the region went (a block that would be left empty is not a region)
    code = edited.code[len(header):]
    if region.first == 1 and text.splitlines()[0].strip():
        # a file (or notebook cell) whose first statement went starts with the next one, not a blank line
        code = code.lstrip("\r\n")
    return code


def _within(plan: Plan, region: Region, shift: int) -> Plan:
    """The edits on the region's lines, with lines counted from the region's own first line."""
    def inside(position: Position) -> bool:
        return region.first <= position[0] <= region.last

    def move(position: Position) -> Position:
        return (position[0] - shift, position[1])

    return Plan(calls=[replace(e, at=move(e.at)) for e in plan.calls if inside(e.at)],
                exprs=[replace(e, at=move(e.at), end=move(e.end)) for e in plan.exprs if inside(e.at)],
                statements=[replace(e, at=move(e.at)) for e in plan.statements if inside(e.at)])


def _in_characters(plan: Plan, lines: list[str]) -> Plan:
    """The plan's ast positions (columns in UTF-8 bytes) as libcst's (columns in characters)."""
    if all(line.isascii() for line in lines):
        return plan

    def convert(position: Position) -> Position:
        line, column = position
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return line, character_column(text, column)

    return Plan(calls=[replace(e, at=convert(e.at)) for e in plan.calls],
                exprs=[replace(e, at=convert(e.at), end=convert(e.end)) for e in plan.exprs],
                statements=[replace(e, at=convert(e.at)) for e in plan.statements],
                imports=plan.imports, outcomes=plan.outcomes)


class _Applier(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: Plan, joins: dict[Position, list[str]], module: cst.Module, *, wrapped: bool) -> None:
        super().__init__()
        self.calls = {edit.at: edit for edit in plan.calls}
        self.exprs = {(edit.at, edit.end): edit.text for edit in plan.exprs}
        self.statements = {edit.at: edit for edit in plan.statements}
        self.joins = joins
        self.module = module
        # the ``if True:`` block a region is parsed in: it may end up empty, a real block may not
        self.wrapper = module.body[0].body if wrapped else None  # type: ignore[attr-defined]
        self.emptied = False
        # statements to drop, by identity; held here so that no id is reused by a node made later
        self.removed: dict[int, cst.CSTNode] = {}
        self.expected: set[object] = {*self.calls, *self.exprs, *self.statements, *joins}
        self.applied: set[object] = set()  # keys of the edits carried out
        self.callees: set[int] = set()  # calls that are the callee of another call: ``f(a)`` in ``f(a)(b)``
        self.dropped_comments: list[str] = []  # of arguments that went, for above their statement
        self.indents: list[str] = []  # of the blocks the visit is in, outermost first

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

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(node.indent if node.indent is not None else self.module.default_indent)

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        self.indents.pop()
        body = self._without_removed(updated.body)
        if not body and original is self.wrapper:
            self.emptied = True
        return updated.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])

    def _without_removed(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """The body less removed statements; the comments and blank lines above one move down to the next
        (above a removed function, only its comments: the blank lines around it go with it)."""
        kept: list[cst.BaseStatement] = []
        pending: list[cst.EmptyLine] = []
        for statement in body:
            if id(statement) in self.removed:
                lines = statement.leading_lines
                if isinstance(statement, cst.FunctionDef):
                    lines = [line for line in lines if line.comment is not None]
                pending += lines
            elif pending:
                kept.append(statement.with_changes(leading_lines=[*pending, *statement.leading_lines]))
                pending = []
            else:
                kept.append(statement)
        return kept

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        """A function the plan removes (a helper aml-migrate added that nothing calls any more)."""
        edit = self.statements.get(self._start(original))
        if edit is not None and edit.remove:
            self.applied.add(edit.at)
            self.removed[id(updated)] = updated
        return updated

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call):
            self.callees.add(id(node.func))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        edit = self.calls.get(self._start(original))
        if edit is None or id(original) in self.callees:
            return updated  # in ``f(a)(b)`` both calls start at ``f``; the plan means the outer one, as ast does
        self.applied.add(edit.at)
        if edit.func:
            updated = self._realigned(original, updated, len(edit.func))
        self.dropped_comments += _comments_of_dropped(updated, edit)
        return _edit_call(updated, edit, self.module)

    def _realigned(self, original: cst.Call, call: cst.Call, new_length: int) -> cst.Call:
        """Arguments aligned with the opening parenthesis move with it when the callee's name changes length."""
        callee = self.module.code_for_node(original.func)
        if "\n" in callee or len(callee) == new_length:
            return call
        column = self._start(original)[1] + len(callee) + len(original.whitespace_after_func.value) + 1
        indent = len("".join(self.indents))

        def moved(comma: cst.Comma | cst.MaybeSentinel) -> cst.Comma | cst.MaybeSentinel:
            after = getattr(comma, "whitespace_after", None)
            if not isinstance(after, cst.ParenthesizedWhitespace) or "\t" in after.last_line.value \
                    or (indent if after.indent else 0) + len(after.last_line.value) != column:
                return comma
            shifted = " " * (len(after.last_line.value) + new_length - len(callee))
            return comma.with_changes(whitespace_after=after.with_changes(last_line=cst.SimpleWhitespace(shifted)))

        return call.with_changes(args=[arg.with_changes(comma=moved(arg.comma)) for arg in call.args])

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        return self._edit_import(original, updated)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        return self._edit_import(original, updated)

    def _edit_import(self, original: cst.Import | cst.ImportFrom, updated: _AnyImport) -> _AnyImport:
        """Drop the planned aliases and put the joining names first (as libcst's import codemods did)."""
        at = self._start(original)
        edit, joining = self.statements.get(at), self.joins.get(at, [])
        if (edit is None or not edit.drop) and not joining:
            return updated
        if joining:
            self.applied.add(at)
        names = list(updated.names)  # type: ignore[arg-type]  # star imports are never edited
        if edit is not None and edit.remove:  # a statement that goes but takes new names keeps only those
            names = []
        elif edit is not None and edit.drop:
            names = _without_aliases(names, edit.drop)
        joined = [cst.ImportAlias(name=cst.Name(name)) for name in joining]
        return updated.with_changes(names=[*joined, *names])

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
                                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        starts = [self._start(small) for small in original.body]
        edits = [self.statements[at] for at in starts if at in self.statements]
        if self.dropped_comments:  # the comments of the arguments a rewrite dropped go above the statement
            comments = [cst.EmptyLine(comment=cst.Comment(text)) for text in self.dropped_comments]
            updated = updated.with_changes(leading_lines=[*updated.leading_lines, *comments])
            self.dropped_comments = []
        if not edits:
            return updated
        self.applied.update(edit.at for edit in edits)
        kept = [small for small, at in zip(updated.body, starts)
                if not (at in self.statements and self.statements[at].remove and at not in self.joins)]
        if kept and len(kept) < len(updated.body) and kept[-1] is not updated.body[-1]:
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        line = updated.with_changes(body=kept) if kept else None
        if line is None and not any(edit.before or edit.after for edit in edits):
            self.removed[id(updated)] = updated  # dropped by its block, which keeps its comments and blank lines
            return updated
        return cst.FlattenSentinel(_around(updated, line, edits, self.module))


_AnyImport = TypeVar("_AnyImport", cst.Import, cst.ImportFrom)


def _without_aliases(names: list[cst.ImportAlias], drop: set[tuple[str, str | None]]) -> list[cst.ImportAlias]:
    """``names`` less the aliases in ``drop`` ((dotted name, as-name)); the last one left takes the
    separator of the last one there was (a parenthesized list keeps its trailing comma)."""
    def spelled(alias: cst.ImportAlias) -> tuple[str, str | None]:
        asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
        return cst.helpers.get_full_name_for_node(alias.name) or "", asname

    kept = [alias for alias in names if spelled(alias) not in drop]
    if kept and kept[-1] is not names[-1]:
        kept[-1] = kept[-1].with_changes(comma=names[-1].comma)
    return kept


def _around(original: cst.SimpleStatementLine, line: cst.SimpleStatementLine | None, edits: list[StatementEdit],
            module: cst.Module) -> list[cst.BaseStatement]:
    """The planned statements around ``line`` (None when it goes); the comments above the original
    line stay above the whole group."""
    config = module.config_for_parsing
    before = [cst.parse_statement(text, config) for edit in edits for text in edit.before]
    after = [cst.parse_statement(text, config) for edit in edits for text in edit.after]
    bind_as = next((edit.bind_as for edit in edits if edit.bind_as), None)
    body: list[cst.BaseStatement] = [line] if line is not None else []
    if bind_as is not None and line is not None:
        body = _bind(line, bind_as)
        after = after + body[1:]
        body = body[:1]
    statements = [*before, *body, *after]
    if body and statements[0] is body[0]:
        return statements
    statements[0] = statements[0].with_changes(leading_lines=original.leading_lines)
    if body:
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


def _comments_of_dropped(call: cst.Call, edit: CallEdit) -> list[str]:
    """``# ...`` comments on the lines just above the arguments ``edit`` drops, as written (they may head
    a group of arguments), and the comments after them, with the argument's name so the reader knows
    what they were about."""
    found = []
    for index, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword else arg.star or None
        if name not in edit.drop:
            continue
        found += _comment_lines(call.args[index - 1]) if index else []
        after = arg.comma.whitespace_after if isinstance(arg.comma, cst.Comma) else None
        if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment:
            found.append(f"# {name}: {after.first_line.comment.value.lstrip('#').strip()}")
    return found


def _comment_lines(arg: cst.Arg) -> list[str]:
    """The comments on lines of their own between ``arg`` and the argument after it."""
    after = arg.comma.whitespace_after if isinstance(arg.comma, cst.Comma) else None
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return []
    return [line.comment.value for line in after.empty_lines if line.comment]


def _edit_call(call: cst.Call, edit: CallEdit, module: cst.Module) -> cst.Call:
    config = module.config_for_parsing
    args: list[tuple[cst.Arg, bool]] = []  # (argument, whether it was the call's last one)
    for index, arg in enumerate(call.args):
        if not arg.keyword and not arg.star and index < len(edit.positional):
            arg = arg.with_changes(keyword=cst.Name(edit.positional[index]),
                                   equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        name = arg.keyword.value if arg.keyword else arg.star or None
        if name in edit.drop:
            if args and index and _comment_lines(call.args[index - 1]):  # they annotated this one: it goes
                kept, last = args[-1]
                after = kept.comma.whitespace_after  # type: ignore[union-attr]
                args[-1] = (kept.with_changes(comma=kept.comma.with_changes(  # type: ignore[union-attr]
                    whitespace_after=after.with_changes(empty_lines=[]))), last)
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
