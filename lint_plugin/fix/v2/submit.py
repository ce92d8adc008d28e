"""``experiment.submit(job)`` -> ``ml_client.jobs.create_or_update(job, experiment_name=...)``, and the
run handle's common uses on the same variable: ``run.wait_for_completion(...)`` ->
``ml_client.jobs.stream(run.name)``, ``run.get_portal_url()`` -> ``run.studio_url``, ``run.id`` ->
``run.name``, ``run.get_status()`` -> ``ml_client.jobs.get(run.name).status``, ``run.cancel()`` ->
``ml_client.jobs.begin_cancel(run.name)``, ``RunDetails(run).show()`` (a notebook widget that cannot show
a v2 job) -> ``print(run.studio_url)``, declared. Any other use of the run stays v1, and so does the submission.

The experiment is an ``Experiment(ws, name)`` of the module (bound to a name or built in place); its
workspace's MLClient (``workspace.py``) submits. A submission in ``for job in (a, b): exp.submit(job)``
(or a comprehension over such a tuple) submits each of those jobs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...analysis.scopes import Binding
from ..astctx import ModuleContext, is_none
from ..plan import ExprEdit, Position
from .tokens import client
from .uses import Use, assigned_binding, uses_of
from .values import Values

_EXPERIMENT_CLASSES = ("azureml.core.Experiment", "azureml.core.experiment.Experiment")
_RUN_METHODS = {"get_portal_url", "wait_for_completion", "get_status", "cancel"}
_WIDGETS = "azureml.widgets."  # RunDetails: azureml.widgets.RunDetails, azureml.widgets.run_details.RunDetails


@dataclass
class SubmitPlan:
    call: ast.Call
    configs: list[ast.Name] = field(default_factory=list)  # the names of what it submits
    workspace: Binding | None = None
    text: str = ""  # what replaces the call
    edits: list[ExprEdit] = field(default_factory=list)  # the run handle's uses
    changes: list[str] = field(default_factory=list)
    blocker: str | None = None
    root: str | None = None  # when another rewrite's blocker keeps this one manual: that reason

    @property
    def at(self) -> Position:
        return (self.call.lineno, self.call.col_offset)


class SubmitPlanner:
    def __init__(self, ctx: ModuleContext, values: Values, workspaces: object) -> None:
        self.ctx = ctx
        self.values = values
        self.workspaces = workspaces  # WorkspaceRegistry: the number of a workspace binding

    def plan(self, call: ast.Call) -> SubmitPlan:
        submit = SubmitPlan(call)
        submit.blocker = self._plan(submit)
        return submit

    def _plan(self, submit: SubmitPlan) -> str | None:
        call = submit.call
        assert isinstance(call.func, ast.Attribute)
        config = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "config"), None)
        extra = {k.arg: k.value for k in call.keywords if k.arg != "config"}
        if len(call.args) > 1 or None in extra or set(extra) - {"tags"}:
            return "the submission passes run settings (or **kwargs) v2 takes elsewhere: migrate it by hand"
        submit.configs = self._configs(config)
        if not submit.configs:
            return f"it submits {self.ctx.text(config) if config else 'nothing'}, which is not a job of this module"
        experiment = self._experiment(call.func.value)
        if isinstance(experiment, str):
            return experiment
        workspace, name = experiment
        binding = self.ctx.binding(workspace) if isinstance(workspace, ast.Name) else None
        number = self.workspaces.number(binding)  # type: ignore[attr-defined]
        if number is None:
            return (f"the experiment's workspace {self.ctx.text(workspace)} is not a Workspace of this module "
                    f"(Workspace.from_config(), Workspace.get(...), Workspace(...)): migrate it with its caller")
        submit.workspace = binding
        name_text = self.values.literal_or_text(name, call)
        if name_text is None:
            return "the experiment's name reads something v2 code cannot where the job is submitted"
        arguments = [self.ctx.text(config), f"experiment_name={name_text}"]  # type: ignore[arg-type]
        if "tags" in extra and not is_none(extra["tags"]):
            tags = self.values.text_at(extra["tags"], call)
            if tags is None:
                return "the submission's tags read something v2 code cannot"
            arguments.append(f"tags={tags}")
        submit.text = f"{client(number)}.jobs.create_or_update({', '.join(arguments)})"
        return self._run(submit, client(number))

    def _configs(self, config: ast.expr | None) -> list[ast.Name]:
        """The names of the jobs submitted: the name itself, or the names a loop over a literal gives it."""
        if not isinstance(config, ast.Name):
            return []
        binding = self.ctx.binding(config)
        if binding is None:
            return []
        if binding.value is not None:
            return [config]
        loop = binding.statement
        generator = None
        if isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.target, ast.Name):
            iterated = loop.iter
        else:  # a comprehension's target
            generator = self._generator(config, binding)
            iterated = generator.iter if generator is not None else None
        if isinstance(iterated, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in iterated.elts):
            return list(iterated.elts)  # type: ignore[arg-type]
        return []

    def _generator(self, config: ast.Name, binding: Binding) -> ast.comprehension | None:
        node: ast.AST = config
        while node in self.ctx.parents:
            node = self.ctx.parents[node]
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) and len(node.generators) == 1:
                target = node.generators[0].target
                return node.generators[0] if isinstance(target, ast.Name) and target.id == config.id else None
        return None

    def _experiment(self, expr: ast.expr) -> tuple[ast.expr, ast.expr] | str:
        """(workspace, name) of ``Experiment(ws, name)``, built in place or bound to the name."""
        value = expr
        if isinstance(expr, ast.Name):
            binding = self.ctx.binding(expr)
            value = binding.value if binding is not None and binding.value is not None else expr
        if not (isinstance(value, ast.Call) and self.ctx.qualified(value.func) in _EXPERIMENT_CLASSES):
            return f"the experiment {self.ctx.text(expr)} is not an Experiment(workspace, name) of this module"
        arguments = {**dict(zip(("workspace", "name"), value.args)), **{k.arg: k.value for k in value.keywords}}
        if set(arguments) - {"workspace", "name"} or "workspace" not in arguments or "name" not in arguments:
            return "the Experiment(...) passes arguments this fix cannot read"
        return arguments["workspace"], arguments["name"]

    # -- the run handle ------------------------------------------------------------------------------
    def _run(self, submit: SubmitPlan, client_text: str) -> str | None:
        """The run handle's uses: on the name the run is bound to, or, for runs gathered in a list
        (``runs = [exp.submit(a), exp.submit(b)]``, ``runs.append(exp.submit(c))``), on the name a
        ``for`` loop over that list gives each."""
        holder = self.ctx.parents.get(submit.call)
        if isinstance(holder, ast.Expr):
            return None
        if isinstance(holder, (ast.List, ast.Tuple)) or _appended(holder, submit.call):
            gathered = assigned_binding(holder, self.ctx) if isinstance(holder, (ast.List, ast.Tuple)) else \
                self.ctx.binding(holder.func.value)  # type: ignore[union-attr]
            return self._runs(gathered, client_text, submit)
        if isinstance(holder, (ast.ListComp, ast.GeneratorExp)) and holder.elt is submit.call:
            return self._runs(assigned_binding(holder, self.ctx), client_text, submit)
        binding = assigned_binding(submit.call, self.ctx)
        if binding is None:
            return "the run it returns is used where this fix cannot follow it"
        return self._handle(binding, client_text, submit)

    def _runs(self, gathered: Binding | None, client_text: str, submit: SubmitPlan) -> str | None:
        if gathered is None:
            return "the runs it returns are used where this fix cannot follow them"
        for use in uses_of(gathered, self.ctx):
            loop = use.holder
            if use.path == ("append",) and use.call is not None:
                continue
            iterated = isinstance(loop, (ast.For, ast.AsyncFor)) and loop.iter is use.read
            if iterated and isinstance(loop.target, ast.Name):  # type: ignore[union-attr]
                each = self.ctx.binding_made(loop, loop.target.id)
                reason = self._handle(each, client_text, submit) if each is not None else "?"
                if reason:
                    return reason
                continue
            return (f"the runs are used on line {use.statement.lineno} ({self.ctx.text(use.top)}), where this fix "
                    f"cannot follow them: migrate the submission by hand")
        return None

    def _handle(self, binding: Binding, client_text: str, submit: SubmitPlan) -> str | None:
        for use in uses_of(binding, self.ctx):
            if _shown_only(use):
                continue
            edit = self._run_use(use, client_text, submit)
            if edit is None:
                return (f"the run is used on line {use.statement.lineno} ({self.ctx.text(use.top)}), which has no "
                        f"v2 equivalent here: migrate the submission by hand")
            submit.edits.append(edit)
        return None

    def _run_use(self, use: Use, client_text: str, submit: SubmitPlan) -> ExprEdit | None:
        name = use.read.id
        if use.path == ("id",) and use.kind == "read":
            return ExprEdit.replacing(use.top, f"{name}.name")
        shown = self._run_details_shown(use)
        if shown is not None:
            submit.changes.append("run: RunDetails(run).show() (azureml-widgets) has no v2 equivalent: the job's "
                                  "studio link is printed instead")
            return ExprEdit.replacing(shown, f"print({name}.studio_url)")
        call = use.call
        if call is None or len(use.path) != 1 or use.path[0] not in _RUN_METHODS:
            return None
        method = use.path[0]
        if method == "get_portal_url" and not call.args and not call.keywords:
            return ExprEdit.replacing(call, f"{name}.studio_url")
        if method == "get_status" and not call.args and not call.keywords:
            return ExprEdit.replacing(call, f"{client_text}.jobs.get({name}.name).status")
        if method == "cancel" and not call.args and not call.keywords and use.alone():
            return ExprEdit.replacing(call, f"{client_text}.jobs.begin_cancel({name}.name)")
        if method == "wait_for_completion" and use.alone():
            show = next((k.value for k in call.keywords if k.arg == "show_output"), call.args[0] if call.args else None)
            if self.values.constant(show, False) is not True:
                submit.changes.append("run: wait_for_completion() waited silently; ml_client.jobs.stream prints "
                                      "the job's logs while it waits")
            return ExprEdit.replacing(call, f"{client_text}.jobs.stream({name}.name)")
        return None

    def _run_details_shown(self, use: Use) -> ast.Call | None:
        """``RunDetails(run).show()`` as a statement of its own (the notebook widget; it cannot show a v2
        job): the ``.show()`` call, else None."""
        widget = use.holder
        if use.path or use.kind != "read" or not isinstance(widget, ast.Call) or widget.args != [use.read] \
                or widget.keywords or not (self.ctx.qualified(widget.func) or "").startswith(_WIDGETS):
            return None
        method = self.ctx.parents.get(widget)
        shown = self.ctx.parents.get(method) if method is not None else None
        if isinstance(method, ast.Attribute) and method.attr == "show" and isinstance(shown, ast.Call) \
                and shown.func is method and not shown.args and not shown.keywords \
                and isinstance(self.ctx.parents.get(shown), ast.Expr):
            return shown
        return None


def _appended(holder: ast.AST | None, call: ast.Call) -> bool:
    """``runs.append(exp.submit(job))``."""
    return isinstance(holder, ast.Call) and isinstance(holder.func, ast.Attribute) and holder.func.attr == "append" \
        and holder.args == [call] and isinstance(holder.func.value, ast.Name)


def _shown_only(use: Use) -> bool:
    """The run itself, shown: a notebook cell's last expression, or ``print(run)`` (v2 jobs print too)."""
    if use.path or use.kind != "read":
        return False
    holder = use.holder
    printed = isinstance(holder, ast.Call) and isinstance(holder.func, ast.Name) and holder.func.id == "print"
    return isinstance(holder, ast.Expr) or (printed and use.read in holder.args)  # type: ignore[union-attr]
