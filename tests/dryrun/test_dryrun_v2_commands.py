"""Properties of how an SDK v2 command becomes what runs (`lint_plugin.dryrun.v2_job`), on generated
commands: the text the shell gets is the command with each placeholder replaced, as the service does;
the `python SCRIPT ARGS` form means the same words; anything else is one clear error, never a crash."""

from __future__ import annotations

import shlex
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lint_plugin.dryrun.data import shell_text, substitute
from lint_plugin.dryrun.spec import DryRunError
from lint_plugin.dryrun.v2_job import V2Context, run_spec

VALUES = {"lr": 0.5, "name": "a b", "flag": True}
PATHS = {"input_1": "/mnt/azureml/data/input_1", "output_1": "/mnt/azureml/outputs/model"}
PLACEHOLDERS = {"${{inputs.lr}}": "0.5", "${{inputs.name}}": "a b", "${{inputs.flag}}": "True",
                "${{inputs.data}}": PATHS["input_1"], "${{outputs.model}}": PATHS["output_1"]}
WORDS = st.sampled_from(["python", "train.py", "-m", "pkg", "--x", "=", "'q r'", '"s"', "$HOME", "|", "&&",
                         ";", "*.csv", "run.sh", "'", "\\", "${{inputs.none}}", "--n=${{inputs.lr}}",
                         "--d=${{inputs.data}}/x", *PLACEHOLDERS])
# Mostly `python train.py ...`, the form run like a v1 script; the rest for the shell.
COMMANDS = st.tuples(st.sampled_from(["python train.py", "python3 train.py", "bash run.sh", ""]),
                     st.lists(WORDS, max_size=7)).map(lambda parts: " ".join([parts[0], *parts[1]]).strip())


def _context(tmp_path: Path) -> V2Context:
    return V2Context(submit_path=str(tmp_path / "submit.py"), job_line=3, where="submit.py line 3",
                     local_path=lambda path: tmp_path / path)


def _job(command: str) -> dict:
    return {"code": "src", "command": command, "environment": "azureml:AzureML-Scikit-learn-0.20.3@latest",
            "inputs": {**VALUES, "none": None, "data": {"type": "uri_folder", "path": "azureml:fruit:1"}},
            "outputs": {"model": {"type": "uri_folder"}}}


@settings(max_examples=300, deadline=None)
@given(COMMANDS)
def test_a_command_runs_as_the_service_would_run_it(tmp_path_factory, command: str) -> None:
    try:
        spec = run_spec(_job(command), _context(tmp_path_factory.mktemp("job")), [])
    except DryRunError as exc:  # an empty command, or an input without a value
        assert str(exc).startswith("submit.py line 3: ") and "\n" not in str(exc)
        assert not command or "${{inputs.none}}" in command
        return
    expected = command
    for placeholder, value in PLACEHOLDERS.items():
        expected = expected.replace(placeholder, value)
    if spec.shell_command is not None:
        assert shell_text(spec.shell_command, PATHS) == expected
        assert (spec.script, spec.arguments) == ("", [])
    else:  # the words the shell would have made of it, script first
        assert shlex.split(expected)[1:] == [spec.script, *substitute(spec.arguments, PATHS)]
