"""Rows ``sweep sampling``, ``sweep search space``, ``sweep objective``, ``sweep policy`` and
``sweep limits``: a HyperDriveConfig against its sweep."""

from __future__ import annotations

from typing import Any

from . import Difference, V2View, differing, texts
from .command import hyperparameter_input


_SAMPLING = {"RANDOM": "Random", "GRID": "Grid", "BayesianOptimization": "Bayesian"}
_POLICY_KEYS = {
    "evaluation_interval": "evaluationInterval",
    "delay_evaluation": "delayEvaluation",
    "slack_factor": "slackFactor",
    "slack_amount": "slackAmount",
    "truncation_percentage": "truncationPercentage",
}


def sweep_differences(hyper: dict[str, Any], view: V2View) -> list[Difference]:
    generator, found = hyper["generator_config"], []
    sampling = {
        "samplingAlgorithmType": _SAMPLING.get(generator["name"], generator["name"]),
        **(generator.get("properties") or {}),
    }
    found += _compared("sweep sampling", sampling, view.rest.get("samplingAlgorithm"))
    # the v1 parameter expressions and the v2 REST search space share one wire form ["uniform", [a, b]]
    space = {hyperparameter_input(flag): value for flag, value in generator["parameter_space"].items()}
    if space != view.search_space:
        changed = {k for k in {**space, **view.search_space} if space.get(k) != view.search_space.get(k)}
        found.append(
            Difference(
                "sweep search space", f"v1 {space}, v2 {view.search_space}", values=tuple(sorted(changed))
            )
        )
    metric = hyper["primary_metric_config"]
    objective = {"primaryMetric": metric["name"], "goal": str(metric["goal"]).lower()}
    found += _compared("sweep objective", objective, view.rest.get("objective"))
    found += _policy(hyper.get("policy_config") or {}, view.rest.get("earlyTermination"))
    limits = {
        "max_total_trials": hyper.get("max_total_jobs"),
        "max_concurrent_trials": hyper.get("max_concurrent_jobs"),
        "timeout": hyper["max_duration_minutes"] * 60 if hyper.get("max_duration_minutes") else None,
    }
    actual = view.job.get("limits") or {}
    mismatched = {k: (v, actual.get(k)) for k, v in limits.items() if v != actual.get(k)}
    if mismatched:
        found.append(
            Difference("sweep limits", f"v1 -> v2 expected/sent: {mismatched}", values=tuple(mismatched))
        )
    return found


def _compared(row: str, expected: dict[str, Any], actual: dict[str, Any] | None) -> list[Difference]:
    """One difference when the two settings differ, naming the values that do."""
    if expected == actual:
        return []
    return [
        Difference(
            row, f"v1 {expected}, v2 {actual}", values=tuple(differing(texts(expected), texts(actual)))
        )
    ]


def _policy(policy: dict[str, Any], v2: dict[str, Any] | None) -> list[Difference]:
    name, properties = policy.get("name", "Default"), dict(policy.get("properties") or {})
    if name == "Default":  # NoTerminationPolicy
        return (
            []
            if not v2
            else [
                Difference(
                    "sweep policy", f"v1 no early termination, v2 {v2}", values=(v2.get("policyType"),)
                )
            ]
        )
    found = []
    if properties.pop("exclude_finished_jobs", False):
        found.append(
            Difference(
                "not expressible",
                "v1 TruncationSelectionPolicy exclude_finished_jobs=True",
                ("exclude_finished_jobs",),
            )
        )
    expected = {"policyType": name, **{_POLICY_KEYS.get(k, k): v for k, v in properties.items()}}
    # the v2 REST form also sends the fields the policy leaves unset, as 0 (BanditPolicy's other slack)
    actual = {k: v for k, v in (v2 or {}).items() if k in expected or v}
    if expected != actual:
        found.append(Difference("sweep policy", f"v1 {expected}, v2 {v2}", values=(name,)))
    return found
