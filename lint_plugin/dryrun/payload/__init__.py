"""Files copied into every dry run and mounted at /azureml-dryrun: the in-container launcher and
the offline `Run.get_context()` stand-in. They run under the image's Python, which may be old:
keep them plain Python 3.6 with no third-party imports."""
