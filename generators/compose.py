"""docker-compose.yml, built as data, plus the header comment that explains it.

One Compose service per plan service, built from `./services/<ident>` and tagged like the
Kubernetes images. What the file decides, and why:

- **Start order.** `depends_on` (long form, `condition: service_healthy`) follows the topology's
  acyclic start-up edges. A dependency cycle would deadlock `docker compose up`, so the edges the
  topology dropped to break it are left out of `depends_on` and reported, never silently: in the
  header comment (`# a -> b: dropped from depends_on ... (a -> b -> a) ...`) and in the top-level
  `x-monocut.dropped_depends_on` list. The peer URLs of those edges stay configured.
- **Networks.** Two, whatever the number of services. `internal` (`internal: true`: no route to
  or from outside the project) carries all service-to-service traffic and every service joins
  it. `edge`, an ordinary bridge, is joined only by the entry services, the ones no service
  outside their own dependency cycle calls (the gateway; for an acyclic plan, the services
  nothing depends on). Only entry services publish their port on the host, on 127.0.0.1; the
  others just `expose` it. This mirrors the Kubernetes NetworkPolicy (outside traffic reaches
  edge services only) without one network per pair of services, which Compose cannot express
  any better: a network does not restrict direction. Cost, documented in the header: an
  internal service has no egress, so one that calls a third-party API or a database on the host
  must be put on `edge` in a `docker-compose.override.yml`.
- **Environment.** `PORT`, `SERVICE_NAME` (the identifier) and one `<PEER>_URL` per dependency
  (`http://<peer>:<port>`, named by `runtime.peer_env_name` like the Kubernetes ConfigMap), plus
  an optional `env/<ident>.env` (`required: false`, Compose 2.24+) for settings and secrets the
  code needs; it lives outside the build context, so it can never be copied into an image.
- **Hardening**, on every service: the Dockerfile's unprivileged `user` (runtime.APP_UID/GID),
  `read_only: true` with a `noexec,nosuid,nodev` tmpfs at /tmp, `cap_drop: [ALL]`,
  `security_opt: [no-new-privileges:true]`, `init: true`, the Dockerfile's health check,
  `restart: unless-stopped`, `deploy.resources` limits (CPU, memory, pids) and reservations
  (the Kubernetes requests and limits), and rotated json-file logs.
- **No profiles.** A service with a profile is not started by a plain `docker compose up`, and
  one that another service depends on must never have one. The only candidates would be the
  entry services, but the plan does not say which of them is a gateway and which a batch
  consumer, and hiding the gateway would leave a plain `up` with nothing to call. So no service
  gets a profile; a user who wants one adds it in an override file.

Only identifiers (DNS labels) appear in comments; plan names appear only as quoted YAML data
(the `com.monocut.service` label), so no name can break out of a comment or the document.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from analyzer.plan import DecompositionPlan, dump_yaml

from . import runtime
from .topology import ServiceNode, Topology, image_tag, topology

NETWORK_INTERNAL = "internal"
NETWORK_EDGE = "edge"
HOST_IP = "127.0.0.1"
ENV_DIR = "env"
SERVICE_NAME_ENV = "SERVICE_NAME"
TMPFS = "/tmp:rw,noexec,nosuid,nodev,size=64m"
# The Kubernetes Deployment's limits and requests (500m/256Mi, 100m/128Mi) in Compose units.
LIMITS = {"cpus": "0.50", "memory": "256M", "pids": 256}
RESERVATIONS = {"cpus": "0.10", "memory": "128M"}
LOGGING = {"driver": "json-file", "options": {"max-size": "10m", "max-file": "3"}}
MIN_COMPOSE_VERSION = "2.24"  # env_file entries with `required: false`
LABEL_SERVICE = "com.monocut.service"
LABEL_EXPOSURE = "com.monocut.exposure"


@dataclass(frozen=True)
class DroppedDependency:
    """A dependency left out of `depends_on` to break a cycle (identifiers).

    `cycle` starts and ends with `service` and runs through `depends_on`.
    """

    service: str
    depends_on: str
    cycle: tuple[str, ...]

    @property
    def comment(self) -> str:
        return (
            f"{self.service} -> {self.depends_on}: dropped from depends_on to break a "
            f"dependency cycle ({' -> '.join(self.cycle)}); start order is not guaranteed for it"
        )


def _shortest_path(graph: Topology, start: str, goal: str) -> tuple[str, ...]:
    """Shortest dependency path start -> goal (neighbours in sorted order, so deterministic)."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            path = [current]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return tuple(reversed(path))
        for peer in graph.node(current).depends_on:
            if peer not in previous:
                previous[peer] = current
                queue.append(peer)
    return ()


def dropped_dependencies(graph: Topology) -> tuple[DroppedDependency, ...]:
    """Every dependency not in the start-up edges, with the cycle it closes (sorted)."""
    startup = set(graph.startup_edges)
    dropped = []
    for node in graph.nodes:
        for peer in node.depends_on:
            if (node.ident, peer) not in startup:
                back = _shortest_path(graph, peer, node.ident)
                dropped.append(DroppedDependency(node.ident, peer, (node.ident, *back)))
    return tuple(dropped)


def _reachable(graph: Topology, start: str, step: str) -> set[str]:
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        for peer in getattr(graph.node(queue.popleft()), step):
            if peer not in seen:
                seen.add(peer)
                queue.append(peer)
    return seen


def entry_services(graph: Topology) -> tuple[str, ...]:
    """Services that nothing outside their own dependency cycle calls (sorted identifiers).

    In an acyclic plan these are the services with no dependents. Every non-empty plan has at
    least one: the services of a source component of the dependency graph's condensation.
    """
    entries = []
    for node in graph.nodes:
        callers = _reachable(graph, node.ident, "dependents")
        if callers <= _reachable(graph, node.ident, "depends_on") | {node.ident}:
            entries.append(node.ident)
    return tuple(entries)


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
    """PORT, SERVICE_NAME and one `<PEER>_URL` per dependency (cyclic ones included)."""
    environment = {runtime.PORT_ENV: str(node.port), SERVICE_NAME_ENV: node.ident}
    for peer, variable in sorted(node.peer_env.items()):
        environment[variable] = f"http://{peer}:{graph.node(peer).port}"
    return environment


def env_file_path(ident: str) -> str:
    """The service's optional env file, outside its build context."""
    return f"./{ENV_DIR}/{ident}.env"


def compose_service(
    graph: Topology, node: ServiceNode, tag: str, entry: bool = True
) -> dict[str, Any]:
    """One hardened Compose service; `entry` services publish their port and join `edge`."""
    service: dict[str, Any] = {
        "build": {"context": f"./services/{node.ident}", "dockerfile": "Dockerfile"},
        "image": f"{node.ident}:{tag}",
        "user": f"{runtime.APP_UID}:{runtime.APP_GID}",
        "init": True,
        "read_only": True,
        "tmpfs": [TMPFS],
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
        "environment": compose_environment(graph, node),
        "env_file": [{"path": env_file_path(node.ident), "required": False}],
    }
    if entry:
        service["ports"] = [f"{HOST_IP}:{node.port}:{node.port}"]
    service["expose"] = [str(node.port)]
    service["networks"] = [NETWORK_EDGE, NETWORK_INTERNAL] if entry else [NETWORK_INTERNAL]
    startup = graph.startup_dependencies(node.ident)
    if startup:
        service["depends_on"] = {peer: {"condition": "service_healthy"} for peer in startup}
    service.update(
        {
            "healthcheck": compose_healthcheck(node.port),
            "restart": "unless-stopped",
            "deploy": {"resources": {"limits": dict(LIMITS), "reservations": dict(RESERVATIONS)}},
            "logging": {"driver": LOGGING["driver"], "options": dict(LOGGING["options"])},
            "labels": {
                LABEL_SERVICE: node.name,
                LABEL_EXPOSURE: "edge" if entry else "internal",
            },
        }
    )
    return service


def _document(plan: DecompositionPlan, graph: Topology) -> dict[str, Any]:
    tag = image_tag(plan)
    entries = set(entry_services(graph))
    document: dict[str, Any] = {
        "services": {
            node.ident: compose_service(graph, node, tag, node.ident in entries)
            for node in graph.nodes
        }
    }
    if not graph.nodes:
        return document
    document["networks"] = {
        NETWORK_EDGE: {"driver": "bridge"},
        NETWORK_INTERNAL: {"driver": "bridge", "internal": True},
    }
    document["x-monocut"] = {
        "entry_services": sorted(entries),
        "dropped_depends_on": [
            {"service": d.service, "depends_on": d.depends_on, "cycle": list(d.cycle)}
            for d in dropped_dependencies(graph)
        ],
    }
    return document


def compose_document(plan: DecompositionPlan) -> dict[str, Any]:
    """The Compose file as plain data (services sorted by identifier).

    A plan without services gives `{"services": {}}`: no network or extension to declare.
    """
    return _document(plan, topology(plan))


def compose_header(graph: Topology) -> str:
    """The comment block above the document: how to run it, its networks, dropped edges."""
    entries = entry_services(graph)
    lines = [
        "Generated by monocut from the decomposition plan: one service per planned service.",
        f"Build and start: docker compose up --build   (Docker Compose {MIN_COMPOSE_VERSION} "
        "or later)",
    ]
    if graph.nodes:
        lines += [
            f'Networks: "{NETWORK_INTERNAL}" (internal: true, no route outside) carries '
            "service-to-service traffic; every service joins it.",
            f'"{NETWORK_EDGE}" is joined only by the entry services, which publish their port '
            f"on {HOST_IP}: {', '.join(entries)}.",
            "Reach another service from the host with `docker compose exec`, or give it a "
            "`ports:` entry in docker-compose.override.yml;",
            "a service that must reach the outside world (a third-party API, a database on the "
            f'host) needs the "{NETWORK_EDGE}" network there too.',
            f"Settings and secrets: {ENV_DIR}/<service>.env, optional and outside every build "
            "context (never copied into an image).",
            f"Every container runs as uid {runtime.APP_UID} with a read-only root file system, "
            "a tmpfs /tmp, no capabilities, no-new-privileges and resource limits.",
            "Start order: depends_on waits for each dependency's health check.",
        ]
    lines += [dropped.comment for dropped in dropped_dependencies(graph)]
    return "".join(f"# {line}\n" for line in lines)


def compose_text(plan: DecompositionPlan) -> str:
    """The complete docker-compose.yml: the header comment, then the document."""
    graph = topology(plan)
    return compose_header(graph) + dump_yaml([_document(plan, graph)])
