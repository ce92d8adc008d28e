"""One MPI layout shared by a PyTorch and a TensorFlow job, configured over several statements."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.core.runconfig import DockerConfiguration, MpiConfiguration

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="gpu-cluster")
experiment = Experiment(ws, "horovod")

mpi = MpiConfiguration()
mpi.process_count_per_node = 2
print("processes per node:", mpi.process_count_per_node)

pt_env = Environment.get(ws, 'AzureML-PyTorch-1.5-GPU').clone('pt-env')
pt_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
pt = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster, environment=pt_env,
                     distributed_job_config=mpi,
                     docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                     max_run_duration_seconds=None)
pt.run_config.node_count = 2
pt_store = ws.datastores['workspaceblobstore']
pt.run_config.source_directory_data_store = pt_store.name
pt.run_config.data_references[pt_store.name] = pt_store.as_mount().to_config()
tf_env = Environment.get(ws, 'AzureML-TensorFlow-2.1-GPU')
tf = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster, environment=tf_env,
                     distributed_job_config=mpi,
                     docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                     max_run_duration_seconds=None)
tf.run_config.node_count = 2
tf_store = ws.datastores['workspaceblobstore']
tf.run_config.source_directory_data_store = tf_store.name
tf.run_config.data_references[tf_store.name] = tf_store.as_mount().to_config()

legacy = MpiConfiguration(process_count_per_node=4)
print(legacy.process_count_per_node)
old_env = Environment.get(ws, 'AzureML-PyTorch-1.4-GPU').clone('old-env')
old_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
old = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster, environment=old_env,
                      distributed_job_config=legacy,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
old.run_config.node_count = 3
old_store = ws.datastores['workspaceblobstore']
old.run_config.source_directory_data_store = old_store.name
old.run_config.data_references[old_store.name] = old_store.as_mount().to_config()
runs = [experiment.submit(job) for job in (pt, tf, old)]
