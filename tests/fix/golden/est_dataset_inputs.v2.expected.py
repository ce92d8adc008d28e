"""Dataset inputs in the four spellings the 2020 notebooks used, and one mixed with a DataReference."""
from azureml.core import Environment, ScriptRunConfig, Dataset, Experiment, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
experiment = Experiment(ws, "iris")
iris = Dataset.get_by_name(ws, name="iris")
images = Dataset.File.from_files(path=(ws.get_default_datastore(), "images/"))

named_env = Environment('named-env')
named_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
named_env.python.conda_dependencies.set_python_version('3.6.2')
named_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'scikit-learn==0.20.3', 'scipy==1.2.1', 'joblib==0.13.2'])
named_env.spark.precache_packages = False
named_input = iris.as_named_input("iris")
named = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                        environment=named_env,
                        docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                        max_run_duration_seconds=None)
named.run_config.data = {named_input.name: named_input}
mounted_env = Environment('mounted-env')
mounted_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
mounted_env.python.conda_dependencies.set_python_version('3.6.2')
mounted_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'scikit-learn==0.20.3', 'scipy==1.2.1', 'joblib==0.13.2'])
mounted_env.spark.precache_packages = False
mounted_input = images.as_named_input("images").as_mount()
mounted = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                          environment=mounted_env,
                          docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                          max_run_duration_seconds=None)
mounted.run_config.data = {mounted_input.name: mounted_input}
unnamed_env = Environment('unnamed-env')
unnamed_env.spark.precache_packages = False
unnamed_input = images.as_mount()
unnamed = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                          environment=unnamed_env,
                          docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                          max_run_duration_seconds=None)
unnamed.run_config.data = {unnamed_input.name: unnamed_input}
by_name_env = Environment('by-name-env')
by_name_env.spark.precache_packages = False
by_name_input = ws.datasets["iris"].as_named_input("iris")
by_name = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                          arguments=["--kernel", "rbf"],
                          environment=by_name_env,
                          docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                          max_run_duration_seconds=None)
by_name.run_config.data = {by_name_input.name: by_name_input}
labels = ws.get_default_datastore().path("labels/").as_download()
mixed_env = Environment('mixed-env')
mixed_env.spark.precache_packages = False
mixed_input = iris.as_named_input("iris")
mixed = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                        environment=mixed_env,
                        docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                        max_run_duration_seconds=None)
mixed.run_config.data_references.update({labels.data_reference_name: labels.to_config()})
mixed.run_config.data = {mixed_input.name: mixed_input}
for job in (named, mounted, unnamed, by_name, mixed):
    experiment.submit(job)
