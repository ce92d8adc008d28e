"""One trial of a hyperparameter sweep: a value for each parameter of the search space.

The first choice of a choice, the middle of a range, the mean of a bell (`--set NAME=VALUE` picks
another). HyperDrive (SDK v1) writes a space as `{name: [kind, [parameters]]}`; an SDK v2 sweep as
`{name: {"type": kind, ...}}` (`Choice(values)`, `Uniform(min_value, max_value)`, ...): both are read
here, so both kinds of sweep run the same trial."""

from __future__ import annotations

import math
from typing import Any

from .spec import DryRunError

_RANGES = {"uniform", "quniform", "loguniform", "qloguniform"}  # [low, high(, q)]
_BELLS = {"normal", "qnormal", "lognormal", "qlognormal"}  # [mu, sigma(, q)]
# SDK v2's keywords, in the order HyperDrive lists the same parameters.
_V2_PARAMETERS = {"choice": ("values",), "randint": ("upper",), "uniform": ("min_value", "max_value"),
                  "loguniform": ("min_value", "max_value"), "quniform": ("min_value", "max_value", "q"),
                  "qloguniform": ("min_value", "max_value", "q"), "normal": ("mu", "sigma"),
                  "lognormal": ("mu", "sigma"), "qnormal": ("mu", "sigma", "q"),
                  "qlognormal": ("mu", "sigma", "q")}


def from_v2(name: str, distribution: dict[str, Any]) -> list[Any]:
    """An SDK v2 search-space entry as HyperDrive's `[kind, [parameters]]`."""
    kind = str(distribution.get("type", "")).lower()
    if kind not in _V2_PARAMETERS:
        raise DryRunError(f"hyperparameter {name}: no value for a {kind or 'untyped'} search space; give one "
                          f"with --set {name}=VALUE")
    parameters = [distribution.get(key) for key in _V2_PARAMETERS[kind]]
    return [kind, [parameters[0]] if kind == "choice" else parameters]


def centre(name: str, distribution: list[Any]) -> Any:
    """The value one dry-run trial gets for a HyperDrive-style `[kind, [parameters]]`."""
    kind, parameters = distribution[0], distribution[1]
    if kind == "choice":
        return parameters[0][0]
    if kind == "randint":
        return 0
    if kind in _RANGES:
        value = (parameters[0] + parameters[1]) / 2
    elif kind in _BELLS:
        value = parameters[0]
    else:
        raise DryRunError(f"hyperparameter {name}: no value for a {kind} distribution; give one with "
                          f"--set {name}=VALUE")
    if "log" in kind:
        value = math.exp(value)
    if kind.startswith("q"):
        value = round(value / parameters[-1]) * parameters[-1]
    return float(f"{value:.12g}")  # 0.05, not 0.049999999999999996
