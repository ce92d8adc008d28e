"""A small static evaluator: literals, names bound in the same module, the standard-library calls
submit scripts use to find their files and settings (`std_values.py`), and the SDK calls that
describe a job (`sdk_values.py` for SDK v1, `v2_values.py` for azure-ai-ml), and the script's own
functions when their result is one `return` expression (a job built in a function and returned).
Anything else raises :class:`Unresolved` with its source text, so the caller can name it and the
user can supply it with ``--set``."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .spec import DataInput, InputArg


class Unresolved(Exception):
    def __init__(self, name: str, line: int, reason: str = "") -> None:
        super().__init__(name)
        self.name = name
        self.line = line
        self.reason = reason


@dataclass
class Obj:
    """A modelled object: what a submit script builds, as far as a dry run needs it."""

    kind: str  # src, env, conda, distributed, datastore, datapath, dataset, argparser, file, other, ...
    node: ast.AST
    attrs: dict[str, Any] = field(default_factory=dict)
    var: str | None = None  # the module name it is bound to, for later attribute assignments

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 0)


@dataclass
class Context:
    """What the submit script would see when run as `python SUBMIT [ARGS]` from the current folder."""

    base_dir: Path  # the submit script's folder: relative data files are looked up here
    file: Path | None = None  # __file__ (absolute); None in a notebook, as in Jupyter
    argv: list[str] = field(default_factory=list)  # sys.argv: [SUBMIT, *ARGS given after --]
    overrides: dict[str, Any] = field(default_factory=dict)  # --set, by expression text
    tree: Path | None = None  # files may be read only inside this folder (default: base_dir)
    cwd: Path = field(default_factory=Path.cwd)

    def readable(self, path: Any) -> Path:
        """A data file the script reads, if it lies inside the project; else why not."""
        resolved = (self.base_dir / os.fspath(path)).resolve()
        tree = (self.tree or self.base_dir).resolve()
        if resolved != tree and tree not in resolved.parents:
            raise ValueError(f"{path} is outside {tree}")
        if not resolved.is_file():
            raise ValueError(f"no such file {resolved}")
        return resolved


Handler = Callable[..., Any]
_MAX_CALL_DEPTH = 8  # nested calls of the script's own functions followed; deeper is unresolved


@dataclass
class Frame:
    """One call of a function of the script: its parameters (argument nodes, evaluated where the call
    is, on first use) and the values of the expressions of its body for this call."""

    function: ast.FunctionDef | ast.AsyncFunctionDef
    call_line: int
    arguments: dict[str, ast.AST] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    cache: dict[int, Any] = field(default_factory=dict)

    def holds(self, node: ast.AST) -> bool:
        line = getattr(node, "lineno", None)
        end = self.function.end_lineno or self.function.lineno
        return line is not None and self.function.body[0].lineno <= line <= end


class Module:
    """Bindings of one module, flattened: the latest binding before a use wins."""

    def __init__(self, tree: ast.Module, context: Context) -> None:
        self.tree = tree
        self.context = context
        self.imports: dict[str, str] = {}
        self.bindings: dict[str, list[tuple[int, ast.AST | None]]] = {}
        self.attr_sets: dict[str, list[tuple[int, ast.AST]]] = {}
        self.item_sets: dict[str, list[tuple[int, ast.AST, ast.AST]]] = {}
        self.method_calls: dict[str, list[tuple[int, ast.Call]]] = {}
        self.notes: list[str] = []
        self._cache: dict[int, Any] = {}
        self._inputs: list[DataInput] = []
        self._frames: list[Frame] = []
        self._collect()

    # --- collecting bindings -------------------------------------------------------------
    def _collect(self) -> None:
        methods: set[int] = set()  # functions of a class body: not names of the module
        for node in ast.walk(self.tree):  # breadth first: a class before its methods
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.imports[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._bind(target, node.value, node.lineno)
            elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
                # `with open(p) as f`: a file is its own context manager; other values stay what
                # they evaluate to (unresolvable ones are reported by name).
                self._bind(node.optional_vars, node.context_expr, node.context_expr.lineno)
            elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.withitem, ast.NamedExpr)):
                self._bind_opaque(node)
            elif isinstance(node, ast.ClassDef):
                methods.update(id(item) for item in node.body)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for arg in ast.walk(node.args):
                    if isinstance(arg, ast.arg):
                        self.bindings.setdefault(arg.arg, []).append((node.lineno, None))
                if not isinstance(node, ast.Lambda) and id(node) not in methods:
                    self.bindings.setdefault(node.name, []).append((node.lineno, node))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                if isinstance(func, ast.Attribute):
                    self.method_calls.setdefault(ast.unparse(func.value), []).append(
                        (node.lineno, node.value)
                    )
        for table in (self.bindings, self.attr_sets, self.item_sets, self.method_calls):
            for entries in table.values():
                entries.sort(key=lambda entry: entry[0])

    def _bind(self, target: ast.AST, value: ast.AST, line: int) -> None:
        if isinstance(target, ast.Name):
            self.bindings.setdefault(target.id, []).append((line, value))
        elif isinstance(target, ast.Attribute):
            self.attr_sets.setdefault(ast.unparse(target), []).append((line, value))
        elif isinstance(target, ast.Subscript):
            self.item_sets.setdefault(ast.unparse(target.value), []).append((line, target.slice, value))
        elif isinstance(target, (ast.Tuple, ast.List)) and not any(
            isinstance(element, ast.Starred) for element in target.elts
        ):
            # `a, b = value`: each name is an item of the value (`args, rest = p.parse_known_args()`).
            for index, element in enumerate(target.elts):
                item = ast.copy_location(ast.Subscript(value, ast.Constant(index), ast.Load()), value)
                self._bind(element, item, line)
        else:
            self._bind_unknown(target, line)

    def _bind_unknown(self, target: ast.AST, line: int) -> None:
        """A binding whose value is not followed (unpacking, loops, augmented assignment): a name
        becomes unresolvable from here on; an attribute or item stands for itself, so evaluating it
        reports it by its own text instead of using an older value."""
        if isinstance(target, ast.Name):
            self.bindings.setdefault(target.id, []).append((line, None))
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            self._bind(target, target, line)
        elif isinstance(target, ast.Starred):
            self._bind_unknown(target.value, line)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind_unknown(element, line)

    def _bind_opaque(self, node: ast.AST) -> None:
        target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
        line = getattr(node, "lineno", None) or getattr(getattr(node, "context_expr", None), "lineno", 0)
        if target is not None:
            self._bind_unknown(target, line)

    # --- lookups -------------------------------------------------------------------------
    def binding(self, name: str, line: int) -> tuple[int, ast.AST | None] | None:
        before = [entry for entry in self.bindings.get(name, []) if entry[0] < line]
        return before[-1] if before else None

    def attribute(self, dotted: str, after: int) -> tuple[int, ast.AST] | None:
        later = [entry for entry in self.attr_sets.get(dotted, []) if entry[0] >= after]
        return later[-1] if later else None

    def calls_on(self, receiver: str, after: int, before: int | None = None) -> list[tuple[int, ast.Call]]:
        """Statement-level method calls on `receiver` (by its text) between two lines."""
        return [
            entry
            for entry in self.method_calls.get(receiver, [])
            if entry[0] > after and (before is None or entry[0] < before)
        ]

    def qualified(self, node: ast.AST) -> str | None:
        """`Dataset.File.from_files` -> `azureml.core.Dataset.File.from_files`, through imports."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.imports:
            return None
        return ".".join([self.imports[node.id], *reversed(parts)])

    @property
    def inputs(self) -> list[DataInput]:
        return self._inputs

    # --- evaluation ----------------------------------------------------------------------
    def eval(self, node: ast.AST) -> Any:
        frame = self._frame_of(node)
        cache = frame.cache if frame is not None else self._cache  # a function's body: per call
        key = id(node)
        if key not in cache:
            cache[key] = self._eval(node)
        return cache[key]

    def _frame_of(self, node: ast.AST) -> Frame | None:
        """The innermost call being evaluated whose function holds this node."""
        return next((frame for frame in reversed(self._frames) if frame.holds(node)), None)

    def _eval(self, node: ast.AST) -> Any:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Obj("function", node, var=node.name)
        text = ast.unparse(node)
        overrides = self.context.overrides
        if text in overrides and isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            self._note_replaced_packages(node, text)
            return overrides[text]
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return self._sequence(node)
        if isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):
                raise Unresolved(text, line)
            return {self._key(k): self.eval(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, ast.JoinedStr):
            return "".join(self._format(value) for value in node.values)
        if isinstance(node, ast.BinOp):
            return self._binop(node, text)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.eval(node.operand)
        if isinstance(node, ast.IfExp):  # `["--fast"] if args.fast else []`
            test = self.eval(node.test)
            if isinstance(test, (Obj, DataInput)):
                raise Unresolved(text, line)
            return self.eval(node.body if test else node.orelse)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if part is None else self.eval(part) for part in parts))
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, text)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, text)
        if isinstance(node, ast.Call):
            return self._call(node, text)
        raise Unresolved(text, line)

    def _note_replaced_packages(self, node: ast.AST, text: str) -> None:
        """--set on a value that carried packages: say they are gone (they were the job's)."""
        from .sdk_values import carried_packages

        saved = self.context.overrides.pop(text)
        inputs = len(self._inputs)
        try:
            original = self._eval(node)
        except Exception:  # the original cannot be evaluated: nothing known to lose
            original = None
        finally:
            self.context.overrides[text] = saved
            del self._inputs[inputs:]
        packages = carried_packages(original)
        if packages:
            self.notes.append(
                f"--set {text} replaces the value of line {getattr(node, 'lineno', 0)}, which carried the "
                f"packages {', '.join(packages)}: the dry run installs none of them"
            )

    def _sequence(self, node: ast.List | ast.Tuple) -> list[Any]:
        items: list[Any] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                value = self.eval(element.value)
                if not isinstance(value, list):
                    raise Unresolved(ast.unparse(element), element.lineno)
                items.extend(value)
            else:
                items.append(self.eval(element))
        return items

    def _key(self, node: ast.AST) -> Any:
        value = self.eval(node)
        return value.name or value.key if isinstance(value, DataInput) else value

    def _format(self, node: ast.AST) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        assert isinstance(node, ast.FormattedValue)
        value = self.eval(node.value)
        if isinstance(value, (Obj, DataInput)) or node.format_spec is not None or node.conversion != -1:
            raise Unresolved(ast.unparse(node.value), node.lineno)
        return str(value)

    def _binop(self, node: ast.BinOp, text: str) -> Any:
        left, right = self.eval(node.left), self.eval(node.right)
        operators = {
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b,
            ast.FloorDiv: lambda a, b: a // b,
            ast.Div: lambda a, b: a / b,  # numbers, and pathlib's `root / "src"`
            ast.Mod: lambda a, b: a % b,
        }
        operator = operators.get(type(node.op))
        if operator is None or isinstance(left, (Obj, DataInput)) or isinstance(right, (Obj, DataInput)):
            raise Unresolved(text, node.lineno)
        try:
            return operator(left, right)
        except (TypeError, ValueError, ZeroDivisionError):
            raise Unresolved(text, node.lineno) from None

    def _name(self, node: ast.Name) -> Any:
        frame = self._frame_of(node)
        if frame is not None and node.id in frame.arguments:
            if node.id not in frame.values:
                frame.values[node.id] = self.eval(frame.arguments[node.id])
            return frame.values[node.id]
        found = self._binding_seen_from(node, frame)
        if found is None and node.id == "__file__" and self.context.file is not None:
            return str(self.context.file)
        if found is None or found[1] is None:
            raise Unresolved(node.id, found[0] if found else node.lineno)
        try:
            value = self.eval(found[1])
        except Unresolved as exc:
            if exc.reason:  # a known cause (a missing file): name where it starts, once
                raise
            raise Unresolved(node.id, found[0]) from None  # the name to --set, where it is bound
        if isinstance(value, Obj) and value.var is None:
            value.var = node.id
        return value

    def _binding_seen_from(self, node: ast.Name, frame: Frame | None) -> tuple[int, ast.AST | None] | None:
        """In a function: its own binding before the use, else the module's as the call sees it."""
        if frame is None:
            return self.binding(node.id, node.lineno)
        local = [entry for entry in self.bindings.get(node.id, [])
                 if frame.function.lineno < entry[0] < node.lineno]
        return local[-1] if local else self.binding(node.id, frame.call_line)

    def _attribute(self, node: ast.Attribute, text: str) -> Any:
        from . import sdk_values, std_values, v2_values

        qualified = self.qualified(node)
        if qualified is not None:
            if qualified in std_values.MODULE_ATTRIBUTES:
                return std_values.MODULE_ATTRIBUTES[qualified](self)
            if qualified in v2_values.CONSTANTS:
                return v2_values.CONSTANTS[qualified]
            raise Unresolved(text, node.lineno)
        base = self._base(node, text)
        for table in (sdk_values, v2_values, std_values):
            found, value = table.attribute_of(self, base, node)
            if found:
                return value
        raise Unresolved(text, node.lineno)

    def _base(self, node: ast.Attribute | ast.Subscript, text: str) -> Any:
        """The object an attribute or item is taken from; if unknown, the whole expression is named."""
        try:
            return self.eval(node.value)
        except Unresolved as exc:
            if exc.reason:  # a known cause (a missing file): name where it starts, once
                raise
            raise Unresolved(text, node.lineno) from None

    def _subscript(self, node: ast.Subscript, text: str) -> Any:
        base = self._base(node, text)
        if isinstance(base, Obj) and base.kind == "datastores":
            return Obj("datastore", node, {"name": self.eval(node.slice)})
        try:
            return base[self.eval(node.slice)]
        except (TypeError, KeyError, IndexError) as exc:
            missing = f"no key {exc}" if isinstance(exc, KeyError) else ""
            raise Unresolved(text, node.lineno, missing) from None

    # --- calls ---------------------------------------------------------------------------
    def _call(self, node: ast.Call, text: str) -> Any:
        from . import sdk_values, std_values, v2_values

        qualified = self.qualified(node.func)
        if qualified is not None:
            handler = (std_values.MODULE_CALLS.get(qualified) or sdk_values.module_call(self, node, qualified)
                       or v2_values.module_call(qualified))
            if handler is None:
                raise Unresolved(text, node.lineno)
            return self._handled(handler, node, text)
        if isinstance(node.func, ast.Name) and node.func.id not in self.bindings:
            handler = std_values.BUILTINS.get(node.func.id)
            if handler is not None:
                return self._handled(handler, node, text)
        if isinstance(node.func, ast.Attribute):
            receiver = self.eval(node.func.value)
            return self.method(receiver, node.func.attr, node, text)
        if isinstance(node.func, ast.Name):
            try:
                callee = self.eval(node.func)
            except Unresolved as exc:
                if exc.reason:
                    raise
                raise Unresolved(text, node.lineno) from None
            if isinstance(callee, Obj) and callee.kind == "function":
                return self._call_function(callee.node, node, text)  # type: ignore[arg-type]
            return self.method(callee, "__call__", node, text)  # `job(lr=Choice(...))`
        raise Unresolved(text, node.lineno)

    def _call_function(self, function: ast.FunctionDef | ast.AsyncFunctionDef, node: ast.Call,
                       text: str) -> Any:
        """The value of a call of the script's own function: its one `return` expression, with the
        parameters bound to the call's arguments (or their defaults)."""
        returns = [item for item in _own_nodes(function) if isinstance(item, ast.Return)]
        why = ("a decorated function" if function.decorator_list
               else "an async function" if isinstance(function, ast.AsyncFunctionDef)
               else "calls nested too deep" if len(self._frames) >= _MAX_CALL_DEPTH
               else f"{function.name}() has {len(returns)} return statements" if len(returns) != 1
               else f"{function.name}() returns nothing" if returns[0].value is None else "")
        if why:
            raise Unresolved(text, node.lineno, why)
        frame = Frame(function, node.lineno, _parameters(function, node, text))
        self._frames.append(frame)
        try:
            return self.eval(returns[0].value)  # type: ignore[arg-type]
        finally:
            self._frames.pop()

    def _handled(self, handler: Handler, node: ast.Call, text: str, *receiver: Any) -> Any:
        try:
            return handler(self, *receiver, node)
        except (TypeError, ValueError, AttributeError, KeyError, OSError) as exc:  # wrong kind, bad file
            raise Unresolved(text, node.lineno, str(exc)) from None

    def method(self, receiver: Any, name: str, node: ast.Call, text: str) -> Any:
        from . import sdk_values, std_values, v2_values

        if isinstance(receiver, DataInput) and name == "to_config":
            return receiver
        handler = (sdk_values.method_of(receiver, name) or v2_values.method_of(receiver, name)
                   or std_values.method_of(receiver, name))
        if handler is None:
            raise Unresolved(text, node.lineno)
        return self._handled(handler, node, text, receiver)

    def apply(self, receiver: Obj, call: ast.Call) -> None:
        """Apply a statement-level method call (`conda.add_pip_package(...)`) to an object."""
        assert isinstance(call.func, ast.Attribute)
        self.method(receiver, call.func.attr, call, ast.unparse(call))

    def arg(self, node: ast.Call, position: int | None, keyword: str, default: Any = None) -> Any:
        """Evaluate one argument of a call given by position or keyword; default if absent."""
        found = self.arg_node(node, position, keyword)
        return default if found is None else self.eval(found)

    @staticmethod
    def arg_node(node: ast.Call, position: int | None, keyword: str) -> ast.AST | None:
        for item in node.keywords:
            if item.arg == keyword:
                return item.value
        if position is not None and position < len(node.args):
            candidate = node.args[position]
            return None if isinstance(candidate, ast.Starred) else candidate
        return None

    # --- data inputs ---------------------------------------------------------------------
    def new_input(self, kind: str, node: ast.AST, **fields: Any) -> DataInput:
        item = DataInput(
            key=f"input_{len(self._inputs) + 1}", kind=kind, line=getattr(node, "lineno", 0), **fields
        )
        self._inputs.append(item)
        return item

    def as_argument(self, value: Any) -> Any:
        """One `arguments` element: a DataInput becomes a marker, everything else its text."""
        from .sdk_values import dataset_input

        if isinstance(value, DataInput):
            return InputArg(value.key)
        if isinstance(value, Obj) and value.kind in {"dataset", "named_dataset"}:
            # A dataset passed directly (tabular `as_named_input`) is consumed by the service too;
            # one input per dataset object, however often it is referenced.
            if "consumed_as" not in value.attrs:
                value.attrs["consumed_as"] = dataset_input(self, value, value.node)
            return InputArg(value.attrs["consumed_as"].key)
        if isinstance(value, Obj):
            raise Unresolved(ast.unparse(value.node), getattr(value.node, "lineno", 0))
        return str(value)


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's body, without those of functions and classes defined in it."""
    found: list[ast.AST] = []
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _parameters(
    function: ast.FunctionDef | ast.AsyncFunctionDef, node: ast.Call, text: str
) -> dict[str, ast.AST]:
    """Each parameter's argument node: given by position or keyword at the call, else its default."""
    spec = function.args
    if spec.vararg or spec.kwarg or any(isinstance(arg, ast.Starred) for arg in node.args) or any(
            keyword.arg is None for keyword in node.keywords):
        raise Unresolved(text, node.lineno, "*args or **kwargs")
    positional = [*spec.posonlyargs, *spec.args]
    if len(node.args) > len(positional):
        raise Unresolved(text, node.lineno, f"{function.name}() takes {len(positional)} positional arguments")
    bound: dict[str, ast.AST] = {arg.arg: value for arg, value in zip(positional, node.args)}
    names = [arg.arg for arg in positional]
    defaults = dict(zip(names[len(names) - len(spec.defaults):], spec.defaults))
    defaults.update({arg.arg: value for arg, value in zip(spec.kwonlyargs, spec.kw_defaults)
                     if value is not None})
    for keyword in node.keywords:
        bound[keyword.arg] = keyword.value  # type: ignore[index]
    for arg in [*positional, *spec.kwonlyargs]:
        if arg.arg not in bound:
            if arg.arg not in defaults:
                raise Unresolved(text, node.lineno, f"{function.name}() is called without {arg.arg}")
            bound[arg.arg] = defaults[arg.arg]
    return bound
