"""Video anomaly detection pipeline: prepare data, tune PredNet with HyperDrive, register the best model."""
from azureml.core import Experiment, Workspace
from azureml.core.runconfig import RunConfiguration
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import HyperDriveStep, PythonScriptStep
from azureml.train.dnn import TensorFlow
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal,
                                      RandomParameterSampling, choice, loguniform)


def build_pipeline(ws, dataset, script_folder, cpu_target, gpu_target):
    datastore = ws.get_default_datastore()
    prep_config = RunConfiguration(conda_dependencies=None)
    prep_config.environment.python.conda_dependencies.add_pip_package("opencv-python-headless")

    preprocessed_data = PipelineData("preprocessed_data", datastore=datastore)
    data_metrics = PipelineData("data_metrics", datastore=datastore)
    data_output = PipelineData("output_data", datastore=datastore)

    data_prep = PythonScriptStep(name="prepare_data",
                                 script_name="data_preparation.py",
                                 arguments=["--dataset", dataset, "--output", preprocessed_data],
                                 outputs=[preprocessed_data],
                                 compute_target=cpu_target,
                                 source_directory=script_folder,
                                 runconfig=prep_config)

    est = TensorFlow(source_directory=script_folder,
                     compute_target=gpu_target,
                     entry_script="train.py",
                     framework_version="1.13",
                     conda_packages=["keras==2.2.4"],
                     pip_packages=["hickle==3.4.3"],
                     use_gpu=True,
                     node_count=1)

    ps = RandomParameterSampling({
        "--batch_size": choice(2, 4, 8),
        "--filter_sizes": choice("3, 3, 3", "4, 4, 4", "5, 5, 5"),
        "--learning_rate": loguniform(-6, -1),
        "--freeze_layers": choice("0, 1, 2", "1, 2, 3", "0"),
    })
    policy = BanditPolicy(evaluation_interval=2, slack_factor=0.1, delay_evaluation=10)

    hdc = HyperDriveConfig(estimator=est,
                           hyperparameter_sampling=ps,
                           policy=policy,
                           primary_metric_name="val_loss",
                           primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
                           max_total_runs=10,
                           max_concurrent_runs=5,
                           max_duration_minutes=60 * 6)

    hd_step = HyperDriveStep("train_w_hyperdrive",
                             hdc,
                             estimator_entry_script_arguments=["--data-folder", preprocessed_data,
                                                               "--remote_execution",
                                                               "--dataset", dataset],
                             inputs=[preprocessed_data],
                             metrics_output=data_metrics,
                             allow_reuse=True)
    hd_step.run_after(data_prep)

    register = PythonScriptStep(name="register_model",
                                script_name="model_registration.py",
                                arguments=["--input_dir", data_metrics, "--output_dir", data_output],
                                compute_target=cpu_target,
                                inputs=[data_metrics],
                                outputs=[data_output],
                                source_directory=script_folder)
    register.run_after(hd_step)
    return Pipeline(workspace=ws, steps=[data_prep, hd_step, register])


if __name__ == "__main__":
    ws = Workspace.from_config()
    pipeline = build_pipeline(ws, "UCSDped1", "./scripts",
                              ws.compute_targets["cpu-cluster"], ws.compute_targets["gpu-cluster"])
    Experiment(ws, "prednet").submit(pipeline)
