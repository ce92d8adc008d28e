"""A ScriptRunConfig's script and arguments -> a v2 command job's ``command`` line.

v1 ran ``python SCRIPT ARG...`` with each argument ``str()``-ed; v2 runs one shell line, so each
argument is quoted the way ``shlex.quote`` does. Values the source fixes are written into the line;
values only run time knows are quoted there (``"... --lr " + shlex.quote(str(lr))``). A data input
stands where its argument was, as ``${{inputs.NAME}}`` (with the text around it in an f-string:
``--x=${{inputs.d}}``); a tuned hyperparameter the same way (``sweep.py``).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

# One piece of the line: a literal word, a placeholder, or an expression (its text) quoted at run time;
# ``joined``: an expression giving a list whose items are words.
_LITERAL, _PLACEHOLDER, _EXPRESSION, _JOINED = "literal", "placeholder", "expression", "joined"


@dataclass
class Word:
    kind: str
    text: str  # the literal word; the placeholder (``${{inputs.x}}`` with its prefix/suffix); the expression
    input: str | None = None  # the input a placeholder stands for
    source: str = ""  # a literal's value as Python source (``0.01``, ``'rbf'``)


@dataclass
class CommandLine:
    words: list[Word] = field(default_factory=list)
    literal_inputs: dict[str, str] = field(default_factory=dict)  # input name -> its value's source text

    def literal(self, value: object) -> None:
        self.words.append(Word(_LITERAL, str(value), source=repr(value)))

    def placeholder(self, name: str, prefix: str = "", suffix: str = "") -> None:
        text = f"{_quoted(prefix)}${{{{inputs.{name}}}}}{_quoted(suffix)}"
        self.words.append(Word(_PLACEHOLDER, text, name))

    def verbatim(self, text: str) -> None:
        """Shell text written as it is (a v1 ``command`` given as one string)."""
        self.words.append(Word(_PLACEHOLDER, text))

    def expression(self, text: str) -> None:
        self.words.append(Word(_EXPRESSION, text))

    def joined(self, text: str) -> None:
        self.words.append(Word(_JOINED, text))

    def tune(self, flag: str, name: str) -> str | None:
        """Let a sweep set ``flag``'s value through input ``name``: the value after the flag (its
        literal source text, the input's value for a job run on its own) becomes the placeholder; else
        ``$[[flag ${{inputs.name}}]]`` is added, v2's optional part of a command line (a job run on its
        own passes no flag, as before). The old value's text, or None when there was none."""
        for index, word in enumerate(self.words):
            if word.kind == _LITERAL and word.text == flag and index + 1 < len(self.words):
                value = self.words[index + 1]
                if value.kind in (_LITERAL, _EXPRESSION):
                    self.words[index + 1] = Word(_PLACEHOLDER, f"${{{{inputs.{name}}}}}", name)
                    return _value_text(value)
        self.words.append(Word(_PLACEHOLDER, f"$[[{shlex.quote(flag)} ${{{{inputs.{name}}}}}]]", name))
        return None

    @property
    def needs_shlex(self) -> bool:
        return any(word.kind in (_EXPRESSION, _JOINED) for word in self.words)

    def python(self, quote: str = "'") -> str:
        """The line as a Python expression: a string literal when every word is known (in ``quote``s
        when the text allows, as the script's own literal was written)."""
        chunks: list[str] = []  # source texts of the parts concatenated
        pending: list[str] = []  # literal text not yet written

        def flush() -> None:
            if pending:
                chunks.append(_string("".join(pending), quote))
                pending.clear()

        for index, word in enumerate(self.words):
            separator = " " if index else ""
            if word.kind == _LITERAL:
                pending.append(separator + shlex.quote(word.text))
            elif word.kind == _PLACEHOLDER:
                pending.append(separator + word.text)
            else:
                pending.append(separator)
                flush()
                chunks.append(f"shlex.quote(str({word.text}))" if word.kind == _EXPRESSION else
                              f"' '.join(shlex.quote(str(item)) for item in {word.text})")
        flush()
        return " + ".join(chunks) if chunks else "''"


def _string(text: str, quote: str) -> str:
    literal = repr(text)
    if quote == '"' and literal.startswith("'") and '"' not in text and "'" not in text:
        return f'"{literal[1:-1]}"'
    return literal


def _value_text(word: Word) -> str:
    return word.source if word.kind == _LITERAL else word.text


def _quoted(text: str) -> str:
    return shlex.quote(text) if text else ""
