# Native distributed TensorFlow: parameter-server jobs configured with objects.
from azureml.core import Experiment, Workspace
from azureml.core.runconfig import TensorflowConfiguration
from azureml.train.dnn import ParameterServer, TensorFlow

ws = Workspace.from_config()
compute_target = ws.compute_targets["gpu-ps-cluster"]
exp = Experiment(workspace=ws, name="tf-ps")

tf_est = TensorFlow(source_directory=".",
                    compute_target=compute_target,
                    script_params={"--num-epochs": 30},
                    entry_script="train_ps.py",
                    node_count=2,
                    distributed_training=ParameterServer(worker_count=2),
                    use_gpu=True,
                    framework_version="2.0")
run = exp.submit(tf_est)

# four nodes, three workers and one parameter server
layout = TensorflowConfiguration(worker_count=3, parameter_server_count=1)
big_est = TensorFlow(source_directory=".",
                     compute_target=compute_target,
                     script_params={"--num-epochs": 30, "--global-batch": 1024},
                     entry_script="train_ps.py",
                     node_count=4,
                     distributed_training=layout,
                     use_gpu=True,
                     framework_version="2.0")
big_run = exp.submit(big_est)
print(run.id, big_run.id)
