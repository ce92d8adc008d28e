"""Distributed layout: which nodes run, how many processes each, and the rank variables each
framework reads (the same names the service sets)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from .spec import Distributed

MASTER_PORT = 6105  # the port the service hands to MPI and PyTorch jobs
TF_PORT = 2222


@dataclass
class Node:
    index: int
    role: str  # "node", "worker" or "ps"
    role_index: int
    processes: list[dict[str, str]] = field(default_factory=list)  # one env per process


@dataclass
class Layout:
    nodes: list[Node]
    world_size: int

    @property
    def distributed(self) -> bool:
        return len(self.nodes) > 1 or self.world_size > 1


def cap(distributed: Distributed | None, max_ranks: int) -> tuple[Distributed | None, list[str]]:
    """Shrink a layout to at most max_ranks processes, saying so."""
    if distributed is None:
        return None, []
    nodes, per_node = distributed.node_count, distributed.process_count_per_node
    if nodes * per_node <= max_ranks:
        return distributed, []
    if distributed.kind == "tensorflow":
        workers = max(
            1, min(distributed.worker_count, max_ranks - min(distributed.parameter_server_count, 1))
        )
        servers = min(distributed.parameter_server_count, max_ranks - workers)
        capped = Distributed("tensorflow", workers + servers, 1, workers, servers)
    else:
        new_nodes = min(nodes, max_ranks)
        capped = Distributed(
            distributed.kind,
            new_nodes,
            max(1, min(per_node, max_ranks // new_nodes)),
            backend=distributed.backend,
        )
    note = (
        f"--max-ranks {max_ranks}: simulating {capped.node_count} node(s) x "
        f"{capped.process_count_per_node} process(es) instead of {nodes} x {per_node}"
    )
    return capped, [note]


def build_layout(
    distributed: Distributed | None, host: Callable[[Node], str], port: Callable[[Node], int]
) -> Layout:
    """Nodes with per-process rank variables; host/port name each node as the engine reaches it."""
    if distributed is None:
        return Layout([Node(0, "node", 0, [{}])], 1)
    if distributed.kind == "tensorflow":
        return _tensorflow(distributed, host, port)
    nodes = [Node(index, "node", index) for index in range(distributed.node_count)]
    per_node = distributed.process_count_per_node
    world = len(nodes) * per_node
    master = host(nodes[0])
    master_port = str(port(nodes[0]))
    for node in nodes:
        for local in range(per_node):
            rank = node.index * per_node + local
            common = {
                "MASTER_ADDR": master,
                "MASTER_PORT": master_port,
                "AZ_BATCH_MASTER_NODE": f"{master}:{master_port}",
                "AZ_BATCHAI_MPI_MASTER_NODE": master,
            }
            if distributed.kind == "mpi":
                common.update(
                    {
                        "OMPI_COMM_WORLD_RANK": str(rank),
                        "OMPI_COMM_WORLD_SIZE": str(world),
                        "OMPI_COMM_WORLD_LOCAL_RANK": str(local),
                        "OMPI_COMM_WORLD_LOCAL_SIZE": str(per_node),
                        "OMPI_COMM_WORLD_NODE_RANK": str(node.index),
                        "PMI_RANK": str(rank),
                        "PMI_SIZE": str(world),
                    }
                )
            else:
                common.update(
                    {
                        "RANK": str(rank),
                        "WORLD_SIZE": str(world),
                        "LOCAL_RANK": str(local),
                        "LOCAL_WORLD_SIZE": str(per_node),
                        "NODE_RANK": str(node.index),
                    }
                )
            node.processes.append(common)
    return Layout(nodes, world)


def _tensorflow(distributed: Distributed, host: Callable[[Node], str], port: Callable[[Node], int]) -> Layout:
    nodes = [Node(i, "worker", i) for i in range(distributed.worker_count)]
    nodes += [Node(distributed.worker_count + i, "ps", i) for i in range(distributed.parameter_server_count)]
    cluster: dict[str, list[str]] = {"worker": [], "ps": []}
    for node in nodes:
        cluster[node.role].append(f"{host(node)}:{port(node)}")
    if not cluster["ps"]:
        del cluster["ps"]
    for node in nodes:
        config = {
            "cluster": cluster,
            "task": {"type": node.role, "index": node.role_index},
            "environment": "cloud",
        }
        node.processes.append({"TF_CONFIG": json.dumps(config)})
    return Layout(nodes, len(nodes))
