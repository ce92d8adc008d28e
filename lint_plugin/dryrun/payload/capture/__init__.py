"""Mounted (read-only) into the capture sandbox: `bootstrap.py` runs the submit script with the Azure ML
service replaced by offline stand-ins and records each submission. Runs under the sandbox's Python with
azureml-core: plain Python 3.8, the standard library and the SDK only."""
