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

pt_env = Environment('pt-env')
pt_env.docker.base_image = 'mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
pt_env.python.conda_dependencies.set_python_version('3.6.2')
pt_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.5.0', 'torchvision==0.5.0', 'horovod==0.19.1', 'tensorboard==1.14.0', 'future==0.17.1'])
pt_env.spark.precache_packages = False
pt_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
pt = ScriptRunConfig(source_directory="training", script="train.py", compute_target=cluster, environment=pt_env,
                     distributed_job_config=mpi,
                     docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                     max_run_duration_seconds=None)
pt.run_config.node_count = 2
pt_store = ws.datastores['workspaceblobstore']
pt.run_config.source_directory_data_store = pt_store.name
pt.run_config.data_references[pt_store.name] = pt_store.as_mount().to_config()
tf_env = Environment('tf-env')
tf_env.docker.base_image = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1'
tf_env.python.conda_dependencies.set_python_version('3.6.2')
tf_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'tensorflow-gpu==2.1.0', 'horovod==0.19.1'])
tf_env.spark.precache_packages = False
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
old_env = Environment('old-env')
old_env.docker.base_image = 'mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04'
old_env.python.conda_dependencies.set_python_version('3.6.2')
old_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'torch==1.4.0', 'torchvision==0.5.0', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1'])
old_env.spark.precache_packages = False
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
