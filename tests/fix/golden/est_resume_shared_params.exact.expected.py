"""Train, then resume from a checkpoint with the same script_params dict (the SDK sample's shape): the
resumed estimator added --resume-from to that dict, after the first one had been built."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.data.datapath import DataPath
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
compute_target = ComputeTarget(ws, "gpu-nc6")
exp = Experiment(workspace=ws, name="mnist-resume")

ds = ws.get_default_datastore()

first_data = ds.path("mnist").as_mount()
first_env = Environment('first-env')
first_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-cuda10.0-cudnn7-ubuntu16.04:20200704.v1'
first_env.python.conda_dependencies.set_python_version('3.6.2')
first_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==1.13.1', 'horovod==0.16.1'])
first_env.spark.precache_packages = False
first = ScriptRunConfig(source_directory="./tf-resume",
                        arguments=["--data-folder", str(first_data), "--epochs", 10],
                        compute_target=compute_target,
                        script="tf_mnist_with_checkpoint.py",
                        environment=first_env,
                        docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                        max_run_duration_seconds=None)
first.run_config.data_references.update({first_data.data_reference_name: first_data.to_config()})
run = exp.submit(first)

checkpoint = DataPath(datastore=ds, path_on_datastore="azureml/mnist-resume_1/outputs")
resumed_data = ds.path("mnist").as_mount()
resumed_env = Environment('resumed-env')
resumed_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-cuda10.0-cudnn7-ubuntu16.04:20200704.v1'
resumed_env.python.conda_dependencies.set_python_version('3.6.2')
resumed_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', 'azureml-dataset-runtime[fuse,pandas]', 'tensorflow-gpu==1.13.1', 'horovod==0.16.1'])
resumed_env.spark.precache_packages = False
resumed = ScriptRunConfig(source_directory="./tf-resume",
                          arguments=["--data-folder", str(resumed_data), "--epochs", 10],
                          compute_target=compute_target,
                          script="tf_mnist_with_checkpoint.py",
                          resume_from=checkpoint,
                          environment=resumed_env,
                          docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                          max_run_duration_seconds=None)
resumed.run_config.data_references.update({resumed_data.data_reference_name: resumed_data.to_config()})
resumed_run = exp.submit(resumed)
