"""Rule behaviour, case by case (Fixit style: INVALID code must report, VALID code must not).

The registry's own examples are cases too, so the documentation in rules.md cannot drift from
what the checker does.
"""

from __future__ import annotations

import textwrap

import pytest

from lint_plugin.analysis import DEFAULT_PYTHON_CODES, PYTHON_CODES
from lint_plugin.engine import analyze_source
from lint_plugin.rules import RULES

PRELUDE = "import azureml.core\n"


def codes(source: str, enabled: frozenset[str] = DEFAULT_PYTHON_CODES) -> list[tuple[int, str]]:
    analysis = analyze_source(textwrap.dedent(source), enabled=enabled)
    assert not analysis.errors
    return [(f.line, f.code) for f in analysis.findings]


@pytest.mark.parametrize("rule", [r for r in RULES if r.scope == "python"], ids=lambda r: r.code)
def test_registry_example_is_reported_and_its_migration_is_not(rule) -> None:
    assert rule.code in {code for _, code in codes(PRELUDE + rule.example, PYTHON_CODES)}
    assert rule.code not in {code for _, code in codes(PRELUDE + rule.fixed_example, PYTHON_CODES)}


INVALID = {
    "alias": ("from azureml.train.dnn import PyTorch as PT\nPT('src', entry_script='t.py')\n",
              [(1, "AML102"), (2, "AML101")]),
    "module alias": ("import azureml.train.dnn as dnn\nest = dnn.TensorFlow('src')\n", [(1, "AML102"), (2, "AML101")]),
    "from package import module": ("from azureml.train import dnn\ndnn.Chainer('src')\n",
                                   [(1, "AML102"), (2, "AML101")]),
    "fully qualified": ("import azureml.train.estimator\nazureml.train.estimator.Estimator('src')\n",
                        [(1, "AML102"), (2, "AML101")]),
    "star import": ("from azureml.train.sklearn import *\nSKLearn('src')\n", [(1, "AML102"), (2, "AML101")]),
    "private path": ("from azureml.train.dnn._pytorch import PyTorch\nPyTorch('src')\n",
                     [(1, "AML102"), (2, "AML101")]),
    "re-export of Mpi": ("from azureml.train.estimator import Mpi\nMpi(process_count_per_node=2)\n",
                         [(1, "AML102"), (2, "AML103")]),
    "import inside a function": ("def build():\n    from azureml.train.dnn import PyTorch\n"
                                 "    return PyTorch('src')\n", [(2, "AML102"), (3, "AML101")]),
    "assigned alias": ("from azureml.train.dnn import PyTorch\nEst = PyTorch\nEst('src')\n",
                       [(1, "AML102"), (3, "AML101")]),
    "same-module subclass": ("from azureml.train.estimator import Estimator\nclass Team(Estimator):\n    pass\n"
                             "Team('src')\n", [(1, "AML102"), (4, "AML101")]),
    "backend string": ("from azureml.train.dnn import PyTorch\nPyTorch('s', node_count=2,\n"
                       "        distributed_backend='nccl')\n", [(1, "AML102"), (2, "AML101"), (3, "AML103")]),
    "hyperdrive positional estimator": (
        "from azureml.train.hyperdrive import HyperDriveConfig\nHyperDriveConfig(s, 'acc', g, 4, 2, 60, None, est)\n",
        [(2, "AML104")]),
    "estimator step": ("from azureml.pipeline.steps import EstimatorStep\nEstimatorStep(name='t', estimator=e)\n",
                       [(1, "AML102"), (2, "AML105")]),
    "runconfiguration configured then unused": (
        "from azureml.core.runconfig import RunConfiguration\nrc = RunConfiguration()\nrc.target = 'cpu'\n",
        [(2, "AML201")]),
    "runconfiguration submitted": (
        "from azureml.core.runconfig import RunConfiguration\nrc = RunConfiguration()\nexp.submit(rc)\n",
        [(2, "AML201")]),
    "inline runconfiguration": (
        "from azureml.core import ScriptRunConfig\nfrom azureml.core.runconfig import RunConfiguration\n"
        "src = ScriptRunConfig('s', run_config=RunConfiguration())\n", [(3, "AML401"), (3, "AML201")]),
    "datareference through a name": (
        "from azureml.core import ScriptRunConfig\nds = ws.get_default_datastore()\nref = ds.path('x').as_mount()\n"
        "src = ScriptRunConfig('s', arguments=['--d', ref], environment=env)\n", [(4, "AML301"), (4, "AML302")]),
    "datareference appended to a list": (
        "from azureml.core import ScriptRunConfig\nfrom azureml.data.data_reference import DataReference\n"
        "ref = DataReference(datastore=ds)\nargs = []\nargs.append(ref)\n"
        "src = ScriptRunConfig('s', arguments=args, environment=env)\n", [(5, "AML301"), (5, "AML302")]),
    "datastore from workspace dict": (
        "from azureml.core import ScriptRunConfig\nref = ws.datastores['blob'].as_download()\n"
        "src = ScriptRunConfig('s', arguments=[str(ref)], environment=env)\n", [(3, "AML302")]),
    "environment never set": ("from azureml.core import ScriptRunConfig\nsrc = ScriptRunConfig('s', script='t.py')\n",
                              [(2, "AML401")]),
}

VALID = {
    "sagemaker estimator": "import azureml.core\nfrom sagemaker.pytorch import PyTorch\nPyTorch(entry_point='t.py')\n",
    "own estimator class": "import azureml.core\nclass Estimator:\n    pass\nEstimator()\n",
    "user module with the same name": "import azureml.core\nfrom mylib import PyTorch\nPyTorch()\n",
    "compatibility shim": ("try:\n    from azureml.core import ScriptRunConfig\nexcept ImportError:\n"
                           "    from azureml.train.estimator import Estimator\n"),
    "runconfiguration for a pipeline step": (
        "from azureml.core.runconfig import RunConfiguration\nfrom azureml.pipeline.steps import PythonScriptStep\n"
        "rc = RunConfiguration()\nrc.environment = env\nstep = PythonScriptStep(script_name='t.py', runconfig=rc)\n"),
    "runconfiguration passed somewhere unknown": (
        "from azureml.core.runconfig import RunConfiguration\nrc = RunConfiguration()\nhelper(rc)\n"),
    "dataset in arguments": (
        "from azureml.core import Dataset, ScriptRunConfig\nds = Dataset.get_by_name(ws, 'x')\n"
        "src = ScriptRunConfig('s', arguments=['--d', ds.as_named_input('x').as_mount()], environment=env)\n"),
    "unknown object's as_mount": (
        "from azureml.core import ScriptRunConfig\n"
        "src = ScriptRunConfig('s', arguments=['--d', thing.as_mount()], environment=env)\n"),
    "cast and registered": (
        "from azureml.core import ScriptRunConfig\nref = ws.get_default_datastore().path('x').as_mount()\n"
        "src = ScriptRunConfig('s', arguments=['--d', str(ref)], environment=env)\n"
        "src.run_config.data_references = {ref.data_reference_name: ref.to_config()}\n"),
    "environment set later": ("from azureml.core import ScriptRunConfig\nsrc = ScriptRunConfig('s')\n"
                              "src.run_config.environment = env\n"),
    "run_config carrying an environment": (
        "from azureml.core import ScriptRunConfig\nfrom azureml.core.runconfig import RunConfiguration\n"
        "rc = RunConfiguration()\nrc.environment = env\nhelper(rc)\nsrc = ScriptRunConfig('s', run_config=load())\n"),
    "environment via kwargs": "from azureml.core import ScriptRunConfig\nScriptRunConfig('s', **settings)\n",
    "no azureml at all": "from torch import nn\nclass PyTorch(nn.Module):\n    pass\nPyTorch()\n",
}


@pytest.mark.parametrize("name", INVALID)
def test_invalid_code_is_reported(name: str) -> None:
    source, expected = INVALID[name]
    assert codes(source) == expected


@pytest.mark.parametrize("name", VALID)
def test_valid_code_is_not_reported(name: str) -> None:
    assert codes(VALID[name]) == []
