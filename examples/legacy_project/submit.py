"""Submit the training of the example project to Azure ML.

Written in 2019 against azureml-sdk 1.0.83 (see requirements.txt): every job here uses an API that
the SDK has deprecated since. Try:

    aml-migrate check examples/legacy_project
    aml-migrate fix --diff examples/legacy_project/submit.py
    aml-migrate dry-run --plan examples/legacy_project/submit.py
"""
import argparse

from azureml.core import Experiment, ScriptRunConfig, Workspace
from azureml.core.runconfig import RunConfiguration
from azureml.train.dnn import Mpi, PyTorch  # expect: AML102
from azureml.train.estimator import Estimator  # expect: AML102
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal,
                                      RandomParameterSampling, choice, uniform)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", default="legacy-project")
    parser.add_argument("--gpu-cluster", default="gpu-cluster")
    parser.add_argument("--cpu-cluster", default="cpu-cluster")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--tune", action="store_true", help="also run the hyperparameter sweep")
    return parser.parse_args()


def main():
    args = parse_args()
    ws = Workspace.from_config()
    experiment = Experiment(ws, args.experiment)

    # The training data lives in the workspace's default blob store.
    datastore = ws.get_default_datastore()
    datastore.upload(src_dir="data", target_path="legacy-project/data", overwrite=True)
    training_data = datastore.path("legacy-project/data").as_mount()

    # 1. A quick smoke test of the script on the CPU cluster, with a hand-built run configuration.
    smoke_config = RunConfiguration()  # expect: AML201
    smoke_config.target = args.cpu_cluster
    smoke_config.node_count = 1
    smoke_test = ScriptRunConfig(source_directory=".",  # expect: AML401
                                 script="train.py",
                                 arguments=["--data-dir", training_data,  # expect: AML301, AML302
                                            "--dry-run"],
                                 run_config=smoke_config)
    experiment.submit(smoke_test).wait_for_completion(show_output=True)

    # 2. The real training: PyTorch estimator, two nodes, Horovod over MPI.
    script_params = {
        "--data-dir": training_data,  # expect: AML301
        "--epochs": args.epochs,
        "--learning-rate": 0.05,
        "--batch-size": 32,
    }
    estimator = PyTorch(source_directory=".",  # expect: AML101
                        entry_script="train.py",
                        script_params=script_params,
                        compute_target=args.gpu_cluster,
                        node_count=2,
                        distributed_training=Mpi(process_count_per_node=2),  # expect: AML103
                        framework_version="1.6",
                        use_gpu=True,
                        pip_packages=["pandas==1.1.5"])
    run = experiment.submit(estimator)
    print("training run:", run.get_portal_url())

    # 3. The evaluation job: a plain Estimator on the CPU cluster.
    evaluation = Estimator(source_directory=".",  # expect: AML101
                           entry_script="train.py",
                           script_params={"--data-dir": str(training_data), "--epochs": 1},
                           compute_target=args.cpu_cluster,
                           conda_packages=["numpy"],
                           inputs=[training_data])
    experiment.submit(evaluation)

    # 4. Hyperparameter sweep over the training estimator.
    if args.tune:
        sampling = RandomParameterSampling({
            "--learning-rate": uniform(0.001, 0.1),
            "--batch-size": choice(16, 32, 64),
        })
        sweep = HyperDriveConfig(estimator=estimator,  # expect: AML104
                                 hyperparameter_sampling=sampling,
                                 policy=BanditPolicy(evaluation_interval=1, slack_factor=0.2),
                                 primary_metric_name="mse",
                                 primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
                                 max_total_runs=8,
                                 max_concurrent_runs=2)
        experiment.submit(sweep)


if __name__ == "__main__":
    main()
