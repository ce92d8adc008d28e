#%%
import azureml.core
from azureml.core import Experiment, Workspace
from azureml.train.dnn import TensorFlow
from azureml.train.hyperdrive import *

print("SDK", azureml.core.VERSION)
ws = Workspace.from_config()
experiment = Experiment(ws, "seq2seq-tuning")

#%%
cluster = ws.compute_targets["gpu-k80"]

script_params = {
    '--datastore-dir': ws.get_default_datastore().as_mount(),
    '--steps': 4000,
}

tf_estimator = TensorFlow(source_directory='scripts',
                          compute_target=cluster,
                          entry_script='train.py',
                          script_params=script_params,
                          use_gpu=True)

#%%
ps = RandomParameterSampling(
    {
        '--learning-rate': loguniform(-12, -3),
        '--dropout': uniform(0.1, 0.5),
    }
)

early_termination_policy = BanditPolicy(slack_factor=0.15, evaluation_interval=2)

hyperdrive_run_config = HyperDriveRunConfig(estimator=tf_estimator,
                                            hyperparameter_sampling=ps,
                                            policy=early_termination_policy,
                                            primary_metric_name="validation_accuracy",
                                            primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                                            max_total_runs=20,
                                            max_concurrent_runs=4)

hd_run = experiment.submit(hyperdrive_run_config)
hd_run.wait_for_completion(show_output=True)
best = hd_run.get_best_run_by_primary_metric()
print(best.get_details()["runDefinition"]["arguments"])
