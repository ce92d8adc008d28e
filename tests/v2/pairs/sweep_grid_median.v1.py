# Grid search with median stopping, minimising a loss; the hyperparameter flags are not in the arguments.
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, MedianStoppingPolicy, PrimaryMetricGoal, choice

ws = Workspace.from_config()
env = Environment.get(ws, name="my-team-env", version="7")
run_config = ScriptRunConfig(source_directory="src", script="fit.py", arguments=["--max-iter", 300],
                             compute_target="cpu-cluster", environment=env, max_run_duration_seconds=900)
hd = HyperDriveConfig(run_config=run_config,
                      hyperparameter_sampling=GridParameterSampling({"--alpha": choice(0.1, 1.0, 10.0),
                                                                     "--l1_ratio": choice(0.2, 0.8)}),
                      policy=MedianStoppingPolicy(evaluation_interval=2, delay_evaluation=4),
                      primary_metric_name="rmse", primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
                      max_total_runs=6)
experiment = Experiment(ws, "elasticnet-grid")
hd_run = experiment.submit(hd)
