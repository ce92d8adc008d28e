from azureml.contrib.train.rl import ReinforcementLearningEstimator

rl = ReinforcementLearningEstimator(source_directory="src", entry_script="train.py", compute_target="cpu")
