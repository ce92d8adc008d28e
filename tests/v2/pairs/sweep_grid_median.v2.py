# sweep_grid_median.v1.py migrated by hand to azure-ai-ml.
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.sweep import Choice, MedianStoppingPolicy
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(DefaultAzureCredential())
env = ml_client.environments.get(name="my-team-env", version="7")

run_config = command(code="src", command="python fit.py --max-iter 300 --alpha ${{inputs.alpha}} --l1_ratio ${{inputs.l1_ratio}}",
                     inputs={"alpha": Input(type="number"), "l1_ratio": Input(type="number")},
                     environment=env, compute="cpu-cluster", shm_size="2g")
hd = run_config(alpha=Choice([0.1, 1.0, 10.0]), l1_ratio=Choice([0.2, 0.8])).sweep(
    sampling_algorithm="grid", primary_metric="rmse", goal="Minimize", compute="cpu-cluster",
    early_termination_policy=MedianStoppingPolicy(evaluation_interval=2, delay_evaluation=4))
# HyperDriveConfig: max_concurrent_runs None is max_total_runs; max_duration_minutes defaults to 10080
hd.set_limits(max_total_trials=6, max_concurrent_trials=6, timeout=10080 * 60, trial_timeout=900)
hd_run = ml_client.jobs.create_or_update(hd, experiment_name="elasticnet-grid")
