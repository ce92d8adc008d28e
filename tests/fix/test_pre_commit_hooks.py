"""``.pre-commit-hooks.yaml`` is a valid pre-commit manifest whose hooks run our commands."""

from __future__ import annotations

from pathlib import Path

from needs import require_module

MANIFEST = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_and_offers_check_and_fix() -> None:
    clientlib = require_module("pre_commit.clientlib", "setup.cfg extra 'test'")
    hooks = {hook["id"]: hook for hook in clientlib.load_manifest(str(MANIFEST))}
    assert set(hooks) == {"aml-migrate-check", "aml-migrate-fix"}
    assert hooks["aml-migrate-check"]["entry"] == "aml-migrate check"
    assert hooks["aml-migrate-fix"]["entry"] == "aml-migrate fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert set(hook["types_or"]) == {"python", "jupyter"}
