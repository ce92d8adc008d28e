"""Stage 2 of ``fix --target v2``: SDK v1 jobs -> azure-ai-ml command jobs (pure ``ast``, like stage 1).

Driven by the opt-in AML6xx findings of stage 1's output (``planner.py``). One module per concern:

* ``uses.py``: what the code does with a name (attribute writes, method calls, reads), from the flow model;
* ``values.py``: an expression as v2 source text, valid where it is written to (no v1 object read);
* ``environment.py``: a v1 Environment and the statements that configure it -> ``Environment(image=...,
  conda_file=...)``, a registered environment, or a curated one (``sdk/curated.py``);
* ``data.py``: DataReferences and datasets -> ``Input``/``Output``; ``distribution.py``: MPI, PyTorch and
  TensorFlow configurations -> ``*Distribution`` and ``instance_count``;
* ``command_line.py``: the script and its arguments -> the ``command`` line, data as ``${{inputs.NAME}}``;
* ``job.py``: a ScriptRunConfig, its run configuration and the statements that change it -> ``command(...)``;
* ``sweep.py``: HyperDriveConfig -> ``job(NAME=Distribution(...)).sweep(...)`` and ``set_limits``;
* ``submit.py``: ``Experiment.submit`` and the run handle -> ``ml_client.jobs``; ``workspace.py``: the
  Workspace -> ``MLClient``, once every other rewrite says which of its uses are left;
* ``v1_imports.py``: the v1 imports nothing reads any more go.

A rewrite is all or nothing per job: a job whose environment, data, submission or sweep cannot move
to v2 stays v1 as a whole (with one reason), and so do the jobs that share any of those with it.
"""
