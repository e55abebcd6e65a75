"""docker-compose.yml, built as data.

One Compose service per plan service, built from `./services/<ident>`. `depends_on` waits for
a peer's health check and follows the acyclic start-up edges of the topology: a dependency
cycle would deadlock `docker compose up`, so its back-edges are left out there (the topology
reports them) while the peer URLs stay configured.
"""

from __future__ import annotations

from typing import Any

from analyzer.plan import DecompositionPlan

from . import runtime
from .topology import ServiceNode, Topology, image_tag, topology


def compose_healthcheck(port: int) -> dict[str, Any]:
    """The Dockerfile's HEALTHCHECK, in Compose terms."""
    return {
        "test": ["CMD", *runtime.health_command(port)],
        "interval": f"{runtime.HEALTH_INTERVAL_S}s",
        "timeout": f"{runtime.HEALTH_TIMEOUT_S}s",
        "start_period": f"{runtime.HEALTH_START_PERIOD_S}s",
        "retries": runtime.HEALTH_RETRIES,
    }


def compose_environment(graph: Topology, node: ServiceNode) -> dict[str, str]:
    """PORT and one `<PEER>_URL` per dependency (cyclic ones included), as strings."""
    environment = {runtime.PORT_ENV: str(node.port)}
    for peer, variable in sorted(node.peer_env.items()):
        environment[variable] = f"http://{peer}:{graph.node(peer).port}"
    return environment


def compose_service(graph: Topology, node: ServiceNode, tag: str) -> dict[str, Any]:
    service: dict[str, Any] = {
        "build": {"context": f"./services/{node.ident}", "dockerfile": "Dockerfile"},
        "image": f"{node.ident}:{tag}",
        "ports": [f"{node.port}:{node.port}"],
        "environment": compose_environment(graph, node),
    }
    startup = graph.startup_dependencies(node.ident)
    if startup:
        service["depends_on"] = {peer: {"condition": "service_healthy"} for peer in startup}
    service.update(
        {
            "healthcheck": compose_healthcheck(node.port),
            "restart": "unless-stopped",
            "read_only": True,
            "tmpfs": ["/tmp"],
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges:true"],
            "user": f"{runtime.APP_UID}:{runtime.APP_GID}",
        }
    )
    return service


def compose_document(plan: DecompositionPlan) -> dict[str, Any]:
    """The Compose file as plain data (services sorted by identifier)."""
    graph = topology(plan)
    tag = image_tag(plan)
    return {"services": {node.ident: compose_service(graph, node, tag) for node in graph.nodes}}
