"""Stage 2's planner: the AML6xx findings of a module (stage 1's output) -> one Plan and an Outcome each.

Jobs, sweeps and submissions are read first (``job.py``, ``sweep.py``, ``submit.py``), then settled:
a job moves to v2 only with everything that uses it (its submissions and sweeps) and everything it
shares (its environment and data with other jobs); whatever must stay v1 keeps the rest with it, with
the reason. Then the edits are made, the v1 objects and imports nothing reads any more go
(``gone.py``, ``v1_imports.py``), the Workspace becomes an MLClient (``workspace.py``) and the names
are spelled (``tokens.py``). The findings stage 1 left manual keep stage 1's outcome unless a v2
rewrite fixes them too (a ScriptRunConfig without an environment gets v1's default one written out).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence

from ...analysis.scopes import Binding
from ..astctx import ModuleContext
from ..helpers import BY_NAME as HELPERS
from ..plan import DEFAULT_ENV_STYLE, ExprEdit, Outcome, Plan, Position
from ..planner import FindingLike, plan_module
from ..stages import stage_one_codes
from .data import DataPlanner
from .environment import EnvironmentPlanner
from .gone import GoneReads, drop_dead_statements
from .job import JobPlan, JobPlanner, job_edit
from .submit import SubmitPlan, SubmitPlanner
from .sweep import SweepPlan, SweepPlanner, sweep_text
from .tokens import V2_MODULES, plan_texts, resolve, used_v2_names, v2
from .v1_imports import drop_unread_v1_imports
from .values import Values
from .workspace import WorkspaceRegistry

_PIPELINE = ("pipelines stay v1 in this migration: rebuild the pipeline as a @dsl.pipeline function of command "
             "components (azure.ai.ml.dsl); its steps' ScriptRunConfigs and RunConfigurations stay v1 until then")
_WORKSPACE_FACTORIES = {"from_config": "from_config", "get": "get", "": ""}
_TOKEN = re.compile("\x00[^\x00]*\x00")


def plan_v2(source: str, findings: Iterable[FindingLike], *, style: str = DEFAULT_ENV_STYLE, safe_only: bool = False,
            tree: ast.Module | None = None, context: ModuleContext | None = None,
            cells: Sequence[int] = ()) -> tuple[Plan, dict[tuple[str, Position], Outcome]]:
    ctx = context if context is not None else ModuleContext.build(source, tree)
    return _V2Planner(ctx, list(findings), style, safe_only, cells).run()


class _V2Planner:
    def __init__(self, ctx: ModuleContext, findings: list[FindingLike], style: str, safe_only: bool,
                 cells: Sequence[int]) -> None:
        self.ctx = ctx
        self.style = style
        self.safe_only = safe_only
        self.cells = cells
        self.values = Values(ctx, cells)
        self.positions: dict[str, list[Position]] = {}
        for finding in sorted(findings, key=lambda f: (f.line, f.column)):
            self.positions.setdefault(finding.code, []).append((finding.line, finding.column))
        self.leftovers = [f for f in findings if stage_one_codes(f.code)]
        self.workspaces = WorkspaceRegistry(ctx, self.values, [
            (ctx.calls_at[at], _factory(ctx, ctx.calls_at[at])) for at in self.positions.get("AML601", [])
            if at in ctx.calls_at])
        environments = EnvironmentPlanner(ctx, self.values, style)
        data = DataPlanner(ctx, self.values, self.workspaces.client_of)
        self.job_planner = JobPlanner(ctx, self.values, environments, data)
        self.jobs = [self.job_planner.plan(ctx.calls_at[at]) for at in self.positions.get("AML602", [])]
        self.sweeps = [SweepPlanner(ctx, self.values).plan(ctx.calls_at[at]) for at in self.positions.get("AML606", [])]
        self.submits = [SubmitPlanner(ctx, self.values, self.workspaces).plan(ctx.calls_at[at])
                        for at in self.positions.get("AML604", [])]
        self.plan = Plan()
        self.outcomes: dict[tuple[str, Position], Outcome] = {}

    def run(self) -> tuple[Plan, dict[tuple[str, Position], Outcome]]:
        if self.safe_only:
            for job in self.jobs:
                if job.blocker is None and job.changes:
                    job.blocker = "unsafe fix not applied (--safe-only): " + "; ".join(job.changes)
        self._settle()
        for sweep in self.sweeps:
            if sweep.blocker is None:
                self._emit_sweep(sweep)
        for job in self.jobs:
            if job.blocker is None:
                self._emit_job(job)
        for submit in self.submits:
            if submit.blocker is None:
                self._emit_submit(submit)
        self._drop_dead()
        spelled = self._workspaces()
        if self.plan.calls or self.plan.exprs:
            drop_unread_v1_imports(self.ctx, self.plan)
        spelled.update(self._v2_names())
        self.plan = resolve(self.plan, spelled)
        self._outcomes()
        return self.plan, self.outcomes

    # -- settling what moves together ---------------------------------------------------------------
    def _settle(self) -> None:
        jobs = {job.binding: job for job in self.jobs if job.binding is not None}
        sweeps = {sweep.binding: sweep for sweep in self.sweeps if sweep.binding is not None}
        changed = True
        while changed:
            changed = False
            for job in self.jobs:
                if job.blocker is None:
                    job.blocker = self._job_blocker(job, jobs)
                    changed |= job.blocker is not None
            for sweep in self.sweeps:
                if sweep.blocker is None:
                    sweep.blocker = self._sweep_blocker(sweep, jobs)
                    changed |= sweep.blocker is not None
            for submit in self.submits:
                if submit.blocker is None:
                    submit.blocker = self._submit_blocker(submit, jobs, sweeps)
                    changed |= submit.blocker is not None

    def _job_blocker(self, job: JobPlan, jobs: dict[Binding, JobPlan]) -> str | None:
        for use in job.consumers:
            consumer = self._consumer(use.read)
            if consumer is None:
                return (f"{job.name} is used on line {use.statement.lineno} ({self.ctx.text(use.top)}), which this fix "
                        f"cannot move to v2 with it: migrate the job by hand")
            if consumer.blocker:
                kind = "submitted" if isinstance(consumer, SubmitPlan) else "tuned"
                return _cascade(job, f"it is {kind} on line {consumer.at[0]}, which stays manual", consumer)
        for other in self.jobs:
            if other is job or other.blocker is None:
                continue
            shared = self._shared(job, other)
            if shared:
                return _cascade(job, f"it shares {shared} with the job on line {other.at[0]}, which stays manual",
                                other)
        return None

    def _consumer(self, read: ast.Name) -> SubmitPlan | SweepPlan | None:
        for submit in self.submits:
            if read in submit.configs:
                return submit
        for sweep in self.sweeps:
            if sweep.job_name is read:
                return sweep
        return None

    @staticmethod
    def _shared(job: JobPlan, other: JobPlan) -> str | None:
        mine, theirs = job.environment, other.environment
        if mine is not None and theirs is not None and mine.binding is not None and mine.binding is theirs.binding:
            return f"its environment {mine.binding.name}"
        bindings = {data.binding for data in other.inputs.values() if data.binding is not None}
        for data in job.inputs.values():
            if data.binding is not None and data.binding in bindings:
                return f"its data {data.binding.name}"
        return None

    def _sweep_blocker(self, sweep: SweepPlan, jobs: dict[Binding, JobPlan]) -> str | None:
        assert sweep.job_name is not None
        job = jobs.get(self.ctx.binding(sweep.job_name))  # type: ignore[arg-type]
        if job is None:
            return f"it tunes {sweep.job_name.id}, which is not a ScriptRunConfig of this module"
        if job.blocker:
            return _cascade(sweep, f"it tunes {job.name} (line {job.at[0]}), which stays manual", job)
        if job.runtime is not None:
            return (f"{job.name}'s command line is made at run time from script_params, where the sweep's "
                    f"inputs cannot be placed: write it by hand")
        assert sweep.binding is not None
        for read in self.ctx.uses(sweep.binding):
            consumer = self._consumer(read)
            if consumer is None:
                return f"{sweep.binding.name} is used on line {read.lineno}, which this fix cannot move to v2 with it"
            if consumer.blocker:
                return _cascade(sweep, f"it is submitted on line {consumer.at[0]}, which stays manual", consumer)
        return None

    def _submit_blocker(self, submit: SubmitPlan, jobs: dict[Binding, JobPlan],
                        sweeps: dict[Binding, SweepPlan]) -> str | None:
        for config in submit.configs:
            binding = self.ctx.binding(config)
            target = jobs.get(binding) or sweeps.get(binding)  # type: ignore[arg-type]
            if target is None:
                return f"it submits {config.id}, which is not a ScriptRunConfig or HyperDriveConfig of this module"
            if target.blocker:
                return _cascade(submit, f"it submits {config.id} (line {target.at[0]}), which stays manual", target)
        return None

    # -- the edits ------------------------------------------------------------------------------------
    def _emit_sweep(self, sweep: SweepPlan) -> None:
        job = next(j for j in self.jobs if j.binding is self.ctx.binding(sweep.job_name))  # type: ignore[arg-type]
        for parameter in sweep.parameters:
            old = job.command.tune(parameter.flag, parameter.name)
            job.command.literal_inputs[parameter.name] = old if old is not None else \
                f"{v2('Input')}(type={parameter.input_type!r}, optional=True)"
        statement = self.ctx.statement_of(sweep.call)
        text, limits = sweep_text(sweep, self.job_planner.compute_text(job), self.job_planner.timeout_text(job),
                                  self.ctx.indentation(statement))
        self.plan.exprs.append(ExprEdit.replacing(sweep.call, text))
        self.plan.statement((statement.lineno, statement.col_offset)).after.append(limits)

    def _emit_job(self, job: JobPlan) -> None:
        self.plan.calls.append(job_edit(job, self.job_planner))
        for statement in job.removed:
            self.plan.statement((statement.lineno, statement.col_offset)).remove = True
        environment = job.environment
        if environment is not None and environment.binding is not None and environment.new_creation is not None:
            self._replace_once(environment.creation, environment.new_creation)  # type: ignore[arg-type]
            for statement in environment.removed:
                self.plan.statement((statement.lineno, statement.col_offset)).remove = True
            if environment.before:
                creation = self.ctx.statement_of(environment.creation)  # type: ignore[arg-type]
                edit = self.plan.statement((creation.lineno, creation.col_offset))
                edit.before += [line for line in environment.before if line not in edit.before]
        for data in job.inputs.values():
            if data.creation is not None and data.new_creation is not None:
                self._replace_once(data.creation, data.new_creation)
        if job.command.needs_shlex:
            self.plan.imports.add.add(("shlex", None))
        if job.before:
            self.plan.statement((job.statement.lineno, job.statement.col_offset)).before += job.before
        if job.runtime is not None:
            self.plan.imports.helpers.add("_estimator_command")

    def _emit_submit(self, submit: SubmitPlan) -> None:
        self.plan.exprs.append(ExprEdit.replacing(submit.call, submit.text))
        self.plan.exprs += submit.edits

    def _replace_once(self, node: ast.expr, text: str) -> None:
        edit = ExprEdit.replacing(node, text)
        if all((e.at, e.end) != (edit.at, edit.end) for e in self.plan.exprs):
            self.plan.exprs.append(edit)

    def _drop_dead(self) -> None:
        """The v1 objects and aml-migrate helpers only rewritten code read."""
        kept = _names_in_new_code(self.plan)
        rewritten = {edit.at[0] for edit in self.plan.exprs}

        def keep(statement: ast.Assign) -> bool:
            return statement.targets[0].id in kept or statement.lineno in rewritten  # type: ignore[attr-defined]

        drop_dead_statements(self.ctx, self.plan, keep=keep)
        gone = GoneReads(self.ctx, self.plan)
        for function in self.ctx.tree.body:
            if isinstance(function, ast.FunctionDef) and function.name in HELPERS:
                binding = self.ctx.binding_made(function, function.name)
                reads = self.ctx.uses(binding) if binding is not None else []
                if reads and all(gone.covers(read) for read in reads):
                    self.plan.statement((function.lineno, function.col_offset)).remove = True

    def _workspaces(self) -> dict[str, str]:
        needed = {}
        for submit in self.submits:
            if submit.blocker is None and submit.workspace is not None:
                needed[self.workspaces.number(submit.workspace)] = True
        for match in _TOKEN.finditer("".join(plan_texts(self.plan))):
            if match.group().startswith("\x00client:"):
                needed[int(match.group()[8:-1])] = True
        spelled = {}
        self.workspace_outcomes: dict[int, tuple[str, str]] = {}
        for index, workspace in enumerate(self.workspaces.workspaces):
            if workspace.client_call is None or workspace.binding is None:
                self.workspace_outcomes[index] = ("manual", workspace.blocker or "")
                continue
            decision = self.workspaces.decide(index, self.plan, bool(needed.get(index)))
            spelled[f"client:{index}"] = decision.client
            self.plan.exprs += decision.edits
            if decision.after:
                statement = self.ctx.statement_of(workspace.call)
                self.plan.statement((statement.lineno, statement.col_offset)).after += decision.after
            if decision.reason:
                self.workspace_outcomes[index] = ("manual", decision.reason)
            else:
                summary = f"{self.ctx.text(workspace.call.func)}(...) -> MLClient" + \
                    ("; its datastores through the client" if len(decision.edits) > 1 else "")
                self.workspace_outcomes[index] = ("unsafe" if workspace.changes else "safe", summary)
        return spelled

    def _v2_names(self) -> dict[str, str]:
        """Each v2 name by itself when the module leaves it free, else through its module."""
        taken = self.ctx.all_names - _dropped_names(self.ctx, self.plan)
        spelled = {}
        for name in used_v2_names(self.plan):
            module = V2_MODULES[name]
            if name in taken:
                spelled[f"v2:{name}"] = f"{module}.{name}"
                self.plan.imports.add.add((module, None))
            else:
                spelled[f"v2:{name}"] = name
                self.plan.imports.add.add((module, name))
        return spelled

    # -- outcomes ---------------------------------------------------------------------------------
    def _outcomes(self) -> None:
        leftovers = plan_module(self.ctx.source, self.leftovers, style=self.style, safe_only=self.safe_only,
                                tree=self.ctx.tree, context=self.ctx, cells=self.cells)[1] if self.leftovers else {}
        covered: dict[Position, Outcome] = {}
        for job in self.jobs:
            outcome = self._job_outcome(job)
            self.outcomes[("AML602", job.at)] = outcome
            if outcome.applicability != "manual":
                for at in self._covered_by(job):
                    covered[at] = outcome
        for sweep in self.sweeps:
            self.outcomes[("AML606", sweep.at)] = _outcome("AML606", sweep.at, sweep.blocker, sweep.changes,
                                                           "HyperDriveConfig(...) -> command(...).sweep(...)")
        for submit in self.submits:
            self.outcomes[("AML604", submit.at)] = _outcome(
                "AML604", submit.at, submit.blocker, submit.changes,
                "experiment.submit(...) -> ml_client.jobs.create_or_update(...)")
        for index, workspace in enumerate(self.workspaces.workspaces):
            applicability, summary = self.workspace_outcomes.get(index, ("manual", workspace.blocker or ""))
            at = (workspace.call.lineno, workspace.call.col_offset)
            self.outcomes[("AML601", at)] = Outcome("AML601", at, applicability, summary,  # type: ignore[arg-type]
                                                    tuple(workspace.changes) if applicability == "unsafe" else ())
        for at in self.positions.get("AML607", []):
            self.outcomes[("AML607", at)] = Outcome("AML607", at, "manual", _PIPELINE)
        for code in ("AML603", "AML605"):
            for at in self.positions.get(code, []):
                self.outcomes[(code, at)] = self._covered_outcome(code, at, covered) or Outcome(
                    code, at, "manual", self._why_kept(code, at))
        for (code, at), outcome in leftovers.items():
            if outcome.applicability != "manual":  # stage 1 already ran: this stage makes none of its edits
                outcome = Outcome(code, at, "manual", outcome.summary)
            self.outcomes[(code, at)] = self._covered_outcome(code, at, covered) or outcome
        removed = self._removed_spans()
        for key, outcome in list(self.outcomes.items()):
            if outcome.applicability == "manual" and any(start <= key[1] <= end for start, end in removed):
                self.outcomes[key] = Outcome(key[0], key[1], "safe", "removed: nothing used it after the rewrite")

    def _removed_spans(self) -> list[tuple[Position, Position]]:
        """Where the statements the plan removes lie (a helper function aml-migrate added, a v1 object)."""
        starts = {edit.at for edit in self.plan.statements if edit.remove}
        return [_span(node) for node in self.ctx.parents if isinstance(node, ast.stmt)
                and (node.lineno, node.col_offset) in starts]

    def _job_outcome(self, job: JobPlan) -> Outcome:
        summary = "ScriptRunConfig(...) -> command(...)" + "".join(f"; {note}" for note in job.notes)
        return _outcome("AML602", job.at, job.blocker, job.changes, summary)

    def _covered_by(self, job: JobPlan) -> list[Position]:
        """The findings inside what the job's rewrite replaces or removes."""
        spans = [_span(job.call), *(_span(s) for s in job.removed)]
        environment = job.environment
        if environment is not None:
            if environment.creation is not None:
                spans.append(_span(environment.creation))
            spans += [_span(s) for s in environment.removed]
        return [at for positions in self.positions.values() for at in positions
                if any(start <= at <= end for start, end in spans)]

    @staticmethod
    def _covered_outcome(code: str, at: Position, covered: dict[Position, Outcome]) -> Outcome | None:
        source = covered.get(at)
        if source is None or (code, at) == (source.code, source.at):
            return None
        return Outcome(code, at, "safe", f"rewritten with the {source.code} fix at line {source.at[0]}")

    def _why_kept(self, code: str, at: Position) -> str:
        for job in self.jobs:
            if job.blocker and any(start <= at <= end for start, end in self._spans_of(job)):
                return f"it belongs to the job on line {job.at[0]}, which stays manual ({job.blocker})"
        thing = "RunConfiguration" if code == "AML603" else "Environment"
        return f"no job of this module that moves to v2 uses this {thing}: migrate it with the code that does"

    def _spans_of(self, job: JobPlan) -> list[tuple[Position, Position]]:
        spans = [_span(job.call), *(_span(s) for s in job.removed)]
        environment = job.environment
        if environment is not None and environment.creation is not None:
            spans.append(_span(environment.creation))
        settings = job.settings.get("environment")
        if settings is not None:
            spans.append(_span(settings))
        return spans


def _cascade(plan: JobPlan | SweepPlan | SubmitPlan, message: str, cause: JobPlan | SweepPlan | SubmitPlan) -> str:
    """``message`` and the reason the rewrite it depends on stays manual (the first one, not a chain)."""
    plan.root = cause.root or cause.blocker
    return f"{message}: {plan.root}"


def _factory(ctx: ModuleContext, call: ast.Call) -> str:
    qualified = ctx.qualified(call.func) or ""
    member = qualified.rpartition(".")[2]
    return member if member in ("from_config", "get") else ""


def _outcome(code: str, at: Position, blocker: str | None, changes: list[str], summary: str) -> Outcome:
    if blocker:
        return Outcome(code, at, "manual", blocker)
    unique = tuple(dict.fromkeys(changes))
    return Outcome(code, at, "unsafe" if unique else "safe", summary, unique)


def _span(node: ast.AST) -> tuple[Position, Position]:
    return (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _names_in_new_code(plan: Plan) -> set[str]:
    """Every name the planned code reads (tokens stand for names this module does not bind)."""
    names: set[str] = set()
    for text in plan_texts(plan):
        cleaned = _TOKEN.sub("_token", text)
        try:
            tree = ast.parse(cleaned.strip(), mode="exec")
        except SyntaxError:
            tree = ast.parse("(" + cleaned + ")", mode="eval")  # type: ignore[assignment]
        names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return names


def _dropped_names(ctx: ModuleContext, plan: Plan) -> set[str]:
    """The names the plan's import edits stop binding."""
    dropped: set[str] = set()
    for edit in plan.statements:
        statement = ctx.imports_at.get(edit.at)
        if statement is None:
            continue
        for alias in statement.names:
            if edit.remove or (alias.name, alias.asname) in edit.drop:
                dropped.add((alias.asname or alias.name).split(".")[0])
    return dropped
