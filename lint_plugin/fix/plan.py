"""Edits as plain data: what the planners decide, and what the libcst layer applies.

Planners read the module with ``ast`` and say *what* changes; ``apply.py`` finds the same nodes
with libcst by their start position and does the surgery, so everything else stays byte-for-byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules import Applicability

# How an estimator's environment is rewritten: ``exact`` reproduces its image and packages (the job
# runs as before); ``curated`` picks the 2020 guide's curated environment (many have since been removed).
ENV_STYLES = ("exact", "curated")
DEFAULT_ENV_STYLE = "exact"

# What ``fix`` migrates to: ``scriptrunconfig`` (estimators -> ScriptRunConfig, SDK v1) or ``v2`` (that,
# then every v1 job API -> azure-ai-ml command jobs, driven by the opt-in AML6xx rules).
TARGETS = ("scriptrunconfig", "v2")
DEFAULT_TARGET = "scriptrunconfig"

# Stands for the configuration's variable in follow-up statements planned before that name is known.
TARGET = "\x00target\x00"

Position = tuple[int, int]  # (1-based line, 0-based column) of a node's start, as ast and libcst give it


@dataclass
class CallEdit:
    """Rewrite one call in place, keeping every argument it does not touch as it was written."""

    at: Position
    func: str | None = None  # new callee source, e.g. "ScriptRunConfig"
    rename: dict[str, str] = field(default_factory=dict)  # keyword -> new keyword
    values: dict[str, str] = field(default_factory=dict)  # keyword -> new value source
    drop: set[str] = field(default_factory=set)  # keywords removed ("**": the dict unpacked into the call)
    positional: list[str] = field(default_factory=list)  # names given to the positional arguments, in order
    append: list[tuple[str, str]] = field(default_factory=list)  # (keyword, value source) added at the end


@dataclass
class ExprEdit:
    """Replace one expression by new source text (``ref`` -> ``str(ref)``)."""

    at: Position
    end: Position
    text: str

    @classmethod
    def replacing(cls, node: object, text: str) -> ExprEdit:
        """The edit replacing an ``ast`` expression (anything with its four position attributes)."""
        start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        return cls(start, (node.end_lineno, node.end_col_offset), text)  # type: ignore[attr-defined]


@dataclass
class StatementEdit:
    """Statements added around the simple statement that starts at ``at``."""

    at: Position
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    # ``return CALL`` / ``CALL`` statements that need follow-ups are bound to this name first.
    bind_as: str | None = None
    remove: bool = False  # the statement itself goes (a RunConfiguration folded into its ScriptRunConfig)
    # an import statement's aliases that go, as (dotted name, as-name); the statement stays for the others
    drop: set[tuple[str, str | None]] = field(default_factory=set)


@dataclass
class Imports:
    add: set[tuple[str, str | None]] = field(default_factory=set)  # (module, name or None for ``import module``)
    helpers: set[str] = field(default_factory=set)  # private functions the rewrite defines (``helpers.py``)


@dataclass
class Outcome:
    """What becomes of one finding."""

    code: str
    at: Position
    applicability: Applicability
    summary: str  # for safe/unsafe: what the edit does; for manual: why there is no rewrite
    changes: tuple[str, ...] = ()
    covered: list[Position] = field(default_factory=list)  # other findings this edit fixes too


@dataclass
class Plan:
    calls: list[CallEdit] = field(default_factory=list)
    exprs: list[ExprEdit] = field(default_factory=list)
    statements: list[StatementEdit] = field(default_factory=list)
    imports: Imports = field(default_factory=Imports)
    outcomes: list[Outcome] = field(default_factory=list)

    def statement(self, at: Position) -> StatementEdit:
        for edit in self.statements:
            if edit.at == at:
                return edit
        edit = StatementEdit(at)
        self.statements.append(edit)
        return edit

    def call(self, at: Position) -> CallEdit:
        for edit in self.calls:
            if edit.at == at:
                return edit
        edit = CallEdit(at)
        self.calls.append(edit)
        return edit
