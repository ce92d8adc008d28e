"""Command-line submitter for the segmentation models.

    python click_submit.py --framework pytorch --nodes 2 --gpus 4 --epochs 40
"""
import click
from azureml.core import Experiment, Workspace
from azureml.train.dnn import Mpi, PyTorch, TensorFlow


@click.command()
@click.option("--framework", type=click.Choice(["pytorch", "tensorflow"]), default="pytorch")
@click.option("--nodes", type=int, default=1)
@click.option("--gpus", type=int, default=1)
@click.option("--epochs", type=int, default=20)
@click.option("--cluster", default="gpu-cluster")
def submit(framework, nodes, gpus, epochs, cluster):
    ws = Workspace.from_config()
    target = ws.compute_targets[cluster]
    distributed = Mpi(process_count_per_node=gpus) if nodes * gpus > 1 else None
    args = {"--epochs": epochs, "--gpus-per-node": gpus}

    if framework == "pytorch":
        est = PyTorch(source_directory="seg",
                      entry_script="train_torch.py",
                      compute_target=target,
                      script_params=args,
                      node_count=nodes,
                      distributed_training=distributed,
                      framework_version="1.5",
                      use_gpu=True)
    else:
        est = TensorFlow(source_directory="seg",
                         entry_script="train_tf.py",
                         compute_target=target,
                         script_params=args,
                         node_count=nodes,
                         distributed_training=distributed,
                         framework_version="2.2",
                         use_gpu=True)

    run = Experiment(ws, f"seg-{framework}").submit(est)
    click.echo(run.get_portal_url())


if __name__ == "__main__":
    submit()
