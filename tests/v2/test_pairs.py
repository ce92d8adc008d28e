"""The hand-written v1/v2 pairs map row for row (docs/v2-mapping.md), and together they exercise every
scenario the mapping has a row for, so a row the pairs never set is not a row the proof never checks."""

from __future__ import annotations

import pytest
from needs import require_sdk_v2

require_sdk_v2()

from sdk_offline import run_configurations  # noqa: E402 - after the SDK check

from lint_plugin.engine import analyze_source  # noqa: E402

from .mapping import mapping_differences  # noqa: E402
from .pairs import NAMES, Pair, original, run_v2  # noqa: E402

pytestmark = pytest.mark.sdk


@pytest.mark.parametrize("name", NAMES)
def test_pair_maps_row_for_row(name: str) -> None:
    v1 = original(name)
    assert v1.as_written.jobs, "the v1 program defines no job: nothing would be compared"
    assert mapping_differences(v1, run_v2(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_v2_side_submits_and_rechecks_clean(name: str) -> None:
    """Each v2 file submits what its v1 file submits, and the v1 rules find nothing in it."""
    v1, v2 = original(name).as_written, run_v2(name)
    assert sorted(k for k in v1.jobs if k.startswith("submission")) == sorted(
        k for k in v2.jobs if k.startswith("submission")
    )
    assert analyze_source(Pair(name).v2_path.read_text(encoding="utf-8")).findings == []


def test_pairs_cover_every_scenario_of_the_table() -> None:
    """Read from what the v1 SDK sends: each distribution, each data mode, both dataset classes, a
    registered environment, a user-managed one, a Bandit sweep and another policy, local compute."""
    seen: set[str] = set()
    for name in NAMES:
        execution = original(name).as_written
        for job in execution.jobs.values():
            hyperdrive = job.sent.get("hyperdrive")
            if hyperdrive:
                seen.add(f"policy {hyperdrive['policy_config']['name']}")
                seen.add(f"sampling {hyperdrive['generator_config']['name']}")
            for config in filter(None, run_configurations(job.sent)):
                seen.add(f"communicator {config['communicator']}")
                seen |= {f"reference {r['mode']}" for r in config["dataReferences"].values()}
                seen |= {f"dataset {d['mechanism']}" for d in config["data"].values()}
                environment = config["environment"]
                seen.add(
                    "registered environment"
                    if environment["docker"]["baseImage"].startswith("offline-curated")
                    else "built environment"
                )
                seen |= {"user-managed"} if environment["python"]["userManagedDependencies"] else set()
                seen |= {"local"} if config["target"] == "local" else set()
                seen |= {"docker arguments"} if config["docker"]["arguments"] else set()
        seen |= {f"dataset class {kind}" for kind in execution.datasets.values()}
    assert {
        "communicator IntelMpi",
        "communicator nccl",
        "communicator ParameterServer",
        "communicator None",
        "reference mount",
        "reference download",
        "reference upload",
        "dataset mount",
        "dataset download",
        "dataset direct",
        "dataset class FileDataset",
        "dataset class TabularDataset",
        "registered environment",
        "built environment",
        "user-managed",
        "local",
        "docker arguments",
        "policy Bandit",
        "policy MedianStopping",
        "sampling RANDOM",
        "sampling GRID",
    } <= seen
