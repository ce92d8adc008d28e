"""``RunDetails(run).show()``, the notebook widget of nearly every 2019-2020 sample, cannot show a v2 job:
``fix --target v2`` prints the job's studio link in its place and says so; any other use of the widget
keeps the submission v1."""

from __future__ import annotations

import textwrap

from lint_plugin.fix import fix_source

JOB = """\
from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig
from azureml.widgets import RunDetails
ws = Workspace.from_config()
src = ScriptRunConfig("s", "t.py", compute_target="c", environment=Environment.get(ws, "team-env"))
run = Experiment(ws, "x").submit(src)
"""


def v2(tail: str):
    return fix_source(JOB + textwrap.dedent(tail), env_style="exact", target="v2")


def test_the_widget_shown_becomes_the_studio_link_printed_and_its_import_goes() -> None:
    result = v2("RunDetails(run).show()\n")
    assert result.source.endswith("run = ws.jobs.create_or_update(src, experiment_name=\"x\")\nprint(run.studio_url)\n")
    assert "azureml" not in result.source.replace("azureml:", "")
    submit = next(fix for fix in result.applied if fix.code == "AML604")
    assert submit.applicability == "unsafe" and "studio link is printed instead" in submit.changes[0]
    assert not result.manual


def test_a_widget_kept_or_configured_keeps_the_submission_v1() -> None:
    for tail in ("details = RunDetails(run)\ndetails.show()\n", "RunDetails(run).show(); RunDetails(run).get_widget_data()\n",
                 "RunDetails(run, 'x').show()\n"):
        result = v2(tail)
        reasons = [item.reason for item in result.manual if item.code == "AML604"]
        assert any("the run is used on line 6" in reason for reason in reasons), (tail, result.manual)
