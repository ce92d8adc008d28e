"""Dry-run harness: run a (migrated) Azure ML training job locally, in a real container.

`command` is the CLI entry (`configure_parser`, `run`); the rest is imported lazily by it."""
