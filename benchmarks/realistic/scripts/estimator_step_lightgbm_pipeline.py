import argparse
import os

from azureml.core import Dataset, Experiment, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import EstimatorStep
from azureml.train.estimator import Estimator


def estimator(data, store, compute):
    estimator = Estimator(source_directory=os.path.dirname(os.path.abspath(__file__)),
                          compute_target=compute,
                          entry_script='train_lgbm.py',
                          pip_packages=['azureml-dataprep[pandas]', 'lightgbm==2.3.1'])

    output = PipelineData("model_dir", datastore=store)

    step = EstimatorStep(name=os.path.basename(__file__),
                         estimator=estimator,
                         estimator_entry_script_arguments=[
                             '--input_dir', data,
                             '--output_dir', output],
                         inputs=[data],
                         outputs=[output],
                         compute_target=estimator._compute_target,
                         allow_reuse=True)

    return step, output


def main(args, ws):
    compute = ws.compute_targets[args.compute]
    datastore = ws.get_default_datastore()
    data = Dataset.get_by_name(ws, args.dataset).as_named_input('safe_driver').as_mount()
    step, output = estimator(data, datastore, compute)
    pipeline = Pipeline(workspace=ws, steps=[step])
    pipeline.validate()
    run = Experiment(ws, 'safe-driver-lgbm').submit(pipeline)
    run.wait_for_completion(show_output=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--compute', default='cpu-f16')
    parser.add_argument('--dataset', default='porto_seguro_safe_driver')
    main(parser.parse_args(), Workspace.from_config())
