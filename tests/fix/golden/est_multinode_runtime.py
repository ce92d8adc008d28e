"""A multi-node job whose node count comes from the caller, with data: Estimator.submit mounted the
workspace blob store as the source directory's data store once the job had more than one node."""
from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import MpiConfiguration
from azureml.train.estimator import Estimator


def horovod_job(ws, compute, nodes, data):
    return Estimator(source_directory="training", compute_target=compute, entry_script="train.py",
                     node_count=nodes, distributed_training=MpiConfiguration(process_count_per_node=2),
                     inputs=[data], script_params={"--data": data, "--epochs": 4})


ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
images = ws.get_default_datastore().path("images").as_mount()
experiment = Experiment(ws, "horovod")
experiment.submit(horovod_job(ws, cluster, 3, images))
single = horovod_job(ws, cluster, 1, images)
experiment.submit(single)
