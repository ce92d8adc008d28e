"""What stays SDK v1, each for one stated reason: a pipeline step, an HDInsight target, a job that creates
its compute when it runs, a run whose metrics are read, a curated environment that was retired."""
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.compute import HDInsightCompute
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
experiment = Experiment(ws, "manual")
env = Environment.from_conda_specification("train-env", "training/environment.yml")

spark = HDInsightCompute(ws, "hdi-cluster")
on_spark = ScriptRunConfig(source_directory="training", script="spark_job.py", compute_target=spark,
                           environment=env)

on_demand = ScriptRunConfig(source_directory="training", script="train.py", compute_target="amlcompute",
                            environment=env)
on_demand.run_config.amlcompute.vm_size = "STANDARD_D2_V2"

minimal = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                          environment=Environment.get(ws, "AzureML-Minimal"))

scored = ScriptRunConfig(source_directory="training", script="score.py", compute_target="cpu-cluster",
                         environment=Environment("score-env"))
run = experiment.submit(scored)
print(run.get_metrics())

step = PythonScriptStep(name="prepare", script_name="prep.py", source_directory="training",
                        compute_target="cpu-cluster")
pipeline = Pipeline(workspace=ws, steps=[step])
