from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
prepare = PythonScriptStep(name="prepare", script_name="prep.py", compute_target="cpu-cluster", source_directory=".")
trainer_env = Environment('trainer-env')
trainer_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
trainer_env.python.conda_dependencies.set_python_version('3.6.2')
trainer_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'scikit-learn==0.20.3', 'scipy==1.2.1', 'joblib==0.13.2'])
trainer_env.spark.precache_packages = False
trainer = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu-cluster", environment=trainer_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)
train = PythonScriptStep(name="train", arguments=[],
                         compute_target="cpu-cluster",
                         script_name=trainer.script,
                         runconfig=trainer.run_config,
                         source_directory=trainer.source_directory)
pipeline = Pipeline(workspace=ws, steps=[prepare, train])
