"""Build the SEER pipeline from step factories that each return (output, step)."""
from azureml.core import Datastore, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.data.datapath import DataPath, DataPathComputeBinding
from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
from azureml.pipeline.steps import EstimatorStep
from azureml.train.dnn import TensorFlow
from azureml.train.estimator import Estimator


def prep_step(datastore: Datastore, compute: ComputeTarget, path_on_datastore: str):
    datapath = DataPath(datastore=datastore, path_on_datastore=path_on_datastore)
    data_param = (PipelineParameter(name="data", default_value=datapath), DataPathComputeBinding(mode="mount"))
    records = PipelineData("tfrecords_set", datastore=datastore, is_directory=True)

    prep = Estimator(source_directory=".",
                     compute_target=compute,
                     entry_script="prep.py",
                     use_gpu=True,
                     pip_requirements_file="requirements.txt")

    step = EstimatorStep(name="Data Preparation",
                         estimator=prep,
                         estimator_entry_script_arguments=["--source_path", data_param,
                                                           "--target_path", records],
                         inputs=[data_param],
                         outputs=[records],
                         compute_target=compute)
    return records, step


def train_step(datastore: Datastore, records: PipelineData, compute: ComputeTarget):
    model_dir = PipelineData("train", datastore=datastore, is_directory=True)

    train = TensorFlow(source_directory=".",
                       compute_target=compute,
                       entry_script="train.py",
                       use_gpu=True,
                       framework_version="2.0",
                       pip_requirements_file="requirements.txt")

    step = EstimatorStep(name="Training",
                         estimator=train,
                         estimator_entry_script_arguments=["--source_path", records,
                                                           "--target_path", model_dir,
                                                           "--epochs", 15],
                         inputs=[records],
                         outputs=[model_dir],
                         compute_target=compute)
    return model_dir, step


def main():
    ws = Workspace.from_config()
    compute = ws.compute_targets["gpu-cluster"]
    datastore = ws.get_default_datastore()
    records, prep = prep_step(datastore, compute, "seer/raw")
    _, train = train_step(datastore, records, compute)
    pipeline = Pipeline(workspace=ws, steps=[prep, train])
    Experiment(ws, "seer").submit(pipeline)


if __name__ == "__main__":
    main()
