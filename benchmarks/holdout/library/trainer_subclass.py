"""A project-wide PyTorch estimator with the team's defaults baked in."""
from azureml.core import Experiment, Workspace
from azureml.train.dnn import Mpi, PyTorch


class ProjectPyTorch(PyTorch):
    """PyTorch estimator on the team's GPU cluster with the pinned framework version."""

    def __init__(self, ws, entry, **overrides):
        super().__init__(source_directory="src",
                         entry_script=entry,
                         compute_target=ws.compute_targets["team-v100"],
                         framework_version="1.6",
                         use_gpu=True,
                         pip_packages=["team-utils==2.4.0"],
                         **overrides)


if __name__ == "__main__":
    ws = Workspace.from_config()
    exp = Experiment(ws, "project-defaults")
    exp.submit(ProjectPyTorch(ws, "train.py", script_params={"--epochs": 30}))
    exp.submit(ProjectPyTorch(ws, "train_dist.py", node_count=2, distributed_training=Mpi()))
