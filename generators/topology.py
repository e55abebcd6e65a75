"""The plan's services as the generators see them: safe identifiers, ports and dependency edges.

A plan may be hand-edited or built in code without validation, so nothing here trusts a name.
Every service gets an identifier that is a DNS-1035 label (lowercase letters, digits and '-',
starting with a letter, at most 63 characters): it names the build directory, the Compose
service, the host name peers call and every Kubernetes object. The plan's own name is kept only
as data. Dependencies are resolved to those identifiers; unknown names and self-dependencies are
skipped with a warning.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from analyzer.plan import DNS_LABEL_MAX, DecompositionPlan, Service, dns_label, plan_to_dict

from .runtime import peer_env_name

_HEX_COMMIT = re.compile(r"^[0-9a-fA-F]{7,64}$")


@dataclass(frozen=True)
class ServiceNode:
    """One service with its resolved identifier and dependencies (identifiers, sorted)."""

    name: str
    ident: str
    port: int
    service: Service
    depends_on: tuple[str, ...]
    dependents: tuple[str, ...]

    @property
    def peer_env(self) -> dict[str, str]:
        """Peer identifier -> environment variable holding its URL."""
        return {peer: peer_env_name(peer) for peer in self.depends_on}


@dataclass(frozen=True)
class Topology:
    """Every service sorted by identifier, plus what resolving the plan had to drop.

    `startup_edges` is the acyclic subset of the dependency edges (identifiers) used where a
    cycle would deadlock (Compose `depends_on`); `dropped_edges` names, by plan service name,
    the back-edges removed to get it.
    """

    nodes: tuple[ServiceNode, ...]
    startup_edges: tuple[tuple[str, str], ...]
    dropped_edges: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]

    def node(self, ident: str) -> ServiceNode:
        for node in self.nodes:
            if node.ident == ident:
                return node
        raise KeyError(ident)

    def node_for(self, service: Service) -> ServiceNode:
        """The node of a plan service (matched by identity first, then by equality)."""
        for node in self.nodes:
            if node.service is service:
                return node
        for node in self.nodes:
            if node.service == service:
                return node
        raise KeyError(service.name)

    def startup_dependencies(self, ident: str) -> tuple[str, ...]:
        return tuple(sorted(b for a, b in self.startup_edges if a == ident))


def _base_ident(name: str) -> str:
    label = dns_label(name, fallback="service")
    if not label[0].isalpha():
        label = f"s-{label}"
    return label[:DNS_LABEL_MAX].rstrip("-")


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    counter = 2
    while True:
        suffix = f"-{counter}"
        candidate = base[: DNS_LABEL_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        counter += 1


def service_idents(plan: DecompositionPlan) -> tuple[str, ...]:
    """One unique identifier per plan service, in plan order.

    Names that already are valid identifiers keep themselves; the rest are mapped to the
    closest label, with `-2`, `-3`... added on a clash, in plan order.
    """
    idents: list[str | None] = [None] * len(plan.services)
    taken: set[str] = set()
    for index, service in enumerate(plan.services):
        if _base_ident(service.name) == service.name and service.name not in taken:
            idents[index] = service.name
            taken.add(service.name)
    for index, service in enumerate(plan.services):
        if idents[index] is None:
            ident = _unique(_base_ident(service.name), taken)
            idents[index] = ident
            taken.add(ident)
    return tuple(i for i in idents if i is not None)


def _acyclic(nodes: list[str], edges: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Back-edges of a depth-first search in sorted order: removing them leaves a DAG."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for root in sorted(nodes):
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(sorted(edges.get(root, ()))))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(edges.get(child, ())))))
    return back


def topology(plan: DecompositionPlan) -> Topology:
    """Resolve the plan's services; raise ValueError for a port no artifact could use."""
    bad_ports = [
        f"{s.name!r} ({s.port!r})"
        for s in plan.services
        if isinstance(s.port, bool) or not isinstance(s.port, int) or not 1 <= s.port <= 65535
    ]
    if bad_ports:
        raise ValueError("service port must be an integer in 1-65535: " + ", ".join(bad_ports))
    warnings: list[str] = []
    idents = service_idents(plan)
    by_name: dict[str, str] = {}
    for service, ident in zip(plan.services, idents, strict=True):
        by_name.setdefault(service.name, ident)
        if ident != service.name:
            warnings.append(f"service {service.name!r} is named {ident!r} in the artifacts")
    name_of = {ident: s.name for s, ident in zip(plan.services, idents, strict=True)}

    edges: dict[str, list[str]] = {ident: [] for ident in idents}
    for service, ident in zip(plan.services, idents, strict=True):
        for dependency in service.depends_on:
            target = by_name.get(dependency)
            if target is None:
                warnings.append(
                    f"service {service.name!r} depends on unknown service {dependency!r}: skipped"
                )
            elif target == ident:
                warnings.append(f"service {service.name!r} depends on itself: skipped")
            elif target not in edges[ident]:
                edges[ident].append(target)

    back = _acyclic(list(idents), edges)
    dropped = tuple(sorted((name_of[a], name_of[b]) for a, b in back))
    for a, b in dropped:
        warnings.append(
            f"dependency cycle: {a!r} -> {b!r} is left out of the start-up order "
            "(the peer URL is still configured)"
        )
    startup = tuple(
        sorted((a, b) for a, targets in edges.items() for b in targets if (a, b) not in back)
    )
    dependents: dict[str, list[str]] = {ident: [] for ident in idents}
    for a, targets in edges.items():
        for b in targets:
            dependents[b].append(a)
    nodes = tuple(
        sorted(
            (
                ServiceNode(
                    name=service.name,
                    ident=ident,
                    port=service.port,
                    service=service,
                    depends_on=tuple(sorted(edges[ident])),
                    dependents=tuple(sorted(dependents[ident])),
                )
                for service, ident in zip(plan.services, idents, strict=True)
            ),
            key=lambda node: node.ident,
        )
    )
    ports: dict[int, list[str]] = {}
    for node in nodes:
        ports.setdefault(node.port, []).append(node.ident)
    for port, owners in sorted(ports.items()):
        if len(owners) > 1:
            warnings.append(
                f"port {port} is used by more than one service ({', '.join(owners)}): "
                "their Compose host ports clash"
            )
    return Topology(nodes, startup, dropped, tuple(warnings))


def image_tag(plan: DecompositionPlan) -> str:
    """A pinned image tag: the source commit when known, else a digest of the plan.

    The digest ignores the order of the plan's services, so reordering them changes nothing.
    """
    commit = plan.source.git_commit
    if commit and _HEX_COMMIT.match(commit):
        return f"git-{commit[:12].lower()}"
    data = plan_to_dict(plan)
    data["services"] = sorted(data["services"], key=lambda s: json.dumps(s, sort_keys=True))
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=True)
    return "plan-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def image_ref(plan: DecompositionPlan, ident: str) -> str:
    return f"{ident}:{image_tag(plan)}"


def project_name(plan: DecompositionPlan, source_dir_name: str | None = None) -> str:
    """A DNS label naming the project: the analyzed directory's name, else `monocut`."""
    candidates = [source_dir_name or ""]
    candidates += list(reversed(plan.source.root.replace("\\", "/").split("/")))
    for candidate in candidates:
        label = dns_label(candidate, fallback="") if candidate not in {".", ".."} else ""
        if label:
            return _base_ident(label)
    return "monocut"
