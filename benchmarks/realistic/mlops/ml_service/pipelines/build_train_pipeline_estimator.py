from azureml.core import Dataset, Workspace
from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
from azureml.pipeline.steps import EstimatorStep
from azureml.train.dnn import TensorFlow

from ml_service.util.attach_compute import get_compute
from ml_service.util.env_variables import Env


def main():
    e = Env()
    aml_workspace = Workspace.get(
        name=e.workspace_name,
        subscription_id=e.subscription_id,
        resource_group=e.resource_group,
    )
    print("get_workspace:", aml_workspace)

    aml_compute = get_compute(aml_workspace, e.compute_name, e.vm_size)
    if aml_compute is not None:
        print("aml_compute:", aml_compute)

    dataset = Dataset.get_by_name(aml_workspace, name=e.dataset_name)
    datastore = aml_workspace.datastores[e.datastore_name]
    model_name_param = PipelineParameter(name="model_name", default_value=e.model_name)
    epochs_param = PipelineParameter(name="epochs", default_value=8)
    model_dir = PipelineData("model_dir", datastore=datastore)

    train_estimator = TensorFlow(
        source_directory=e.source_train_directory,
        entry_script=e.train_script_path,
        compute_target=aml_compute,
        framework_version=e.tf_version,
        use_gpu=e.use_gpu,
        pip_packages=["transformers==2.11.0", "azureml-dataprep[pandas,fuse]"],
    )

    train_step = EstimatorStep(
        name="Train Model",
        estimator=train_estimator,
        estimator_entry_script_arguments=[
            "--model_name", model_name_param,
            "--epochs", epochs_param,
            "--output_dir", model_dir,
        ],
        inputs=[dataset.as_named_input("tickets")],
        outputs=[model_dir],
        compute_target=aml_compute,
        allow_reuse=False,
    )
    print("Step Train created")

    train_pipeline = Pipeline(workspace=aml_workspace, steps=[train_step])
    train_pipeline.validate()
    published_pipeline = train_pipeline.publish(
        name=e.pipeline_name,
        description="Model training/retraining pipeline",
    )
    print(f"Published pipeline: {published_pipeline.name}")
    print(f"for build {published_pipeline.version}")


if __name__ == "__main__":
    main()
