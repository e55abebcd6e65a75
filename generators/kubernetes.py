"""Kubernetes manifests as a Kustomize tree, built as data.

Files (relative to OUT/k8s):

- `base/namespace.yaml`: the Namespace, enforcing the restricted Pod Security Standard;
- `base/default-deny.yaml`: one NetworkPolicy denying all ingress to every pod of the namespace;
- `base/<ident>.yaml` per service: ServiceAccount, ConfigMap, Deployment, Service,
  HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy;
- `base/ingress.yaml`: an Ingress for the `gateway` service, when the plan has one;
- `base/kustomization.yaml`: the namespace and exactly those files;
- `overlays/{dev,prod}/kustomization.yaml`: `../../base` with image tags (`images`), replica
  counts (`replicas`) and JSON 6902 patches of container resources and HPA bounds;
- `README.md`: the layout, how to apply it, TLS and egress notes.

Hardening, each rule where it is set: pod and container security contexts (non-root uid/gid of
the Dockerfile, no privilege escalation, read-only root file system with an emptyDir at /tmp,
all capabilities dropped, RuntimeDefault seccomp), requests and limits, probes, a ServiceAccount
of its own without token automount: `deployment` and `service_account`; a non-default namespace
enforcing `restricted`: `check_namespace` and `namespace_document`; ingress only from callers:
`network_policy` and `default_deny`; pinned image tags: `topology.image_tag`.

Network policy choice: the default-deny covers ingress only (pods monocut did not generate keep
their egress); each service's own policy allows ingress from the services that depend on it
(from anywhere on its HTTP port for an edge service nothing depends on, and for the gateway an
Ingress fronts) and egress only to its dependencies and cluster DNS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from analyzer.plan import DecompositionPlan, dump_yaml, is_dns_label

from . import runtime
from .topology import ServiceNode, Topology, image_tag, project_name, topology

BASE_DIR = "base"
OVERLAYS_DIR = "overlays"
README = "README.md"
KUSTOMIZATION = "kustomization.yaml"
NAMESPACE_FILE = "namespace.yaml"
DEFAULT_DENY_FILE = "default-deny.yaml"
INGRESS_FILE = "ingress.yaml"
RESERVED_FILES = frozenset({KUSTOMIZATION, NAMESPACE_FILE, DEFAULT_DENY_FILE, INGRESS_FILE})
RESERVED_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
ANNOTATION_SERVICE = "monocut/service"
KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1"
MANAGED_BY = "monocut"
#: the service whose HTTP entry point an Ingress exposes (entry points are not detected yet)
GATEWAY = "gateway"
CPU_TARGET_UTILIZATION = 70
TMP_SIZE_LIMIT = "64Mi"


@dataclass(frozen=True)
class Profile:
    """What differs between environments: replicas, HPA bounds, container resources."""

    replicas: int
    min_replicas: int
    max_replicas: int
    requests: tuple[tuple[str, str], ...]
    limits: tuple[tuple[str, str], ...]

    @property
    def resources(self) -> dict[str, dict[str, str]]:
        return {"requests": dict(self.requests), "limits": dict(self.limits)}


BASE_PROFILE = Profile(
    1, 1, 3, (("cpu", "100m"), ("memory", "128Mi")), (("cpu", "500m"), ("memory", "256Mi"))
)
OVERLAYS = {
    "dev": Profile(
        1, 1, 2, (("cpu", "50m"), ("memory", "64Mi")), (("cpu", "250m"), ("memory", "256Mi"))
    ),
    "prod": Profile(
        2, 2, 10, (("cpu", "250m"), ("memory", "256Mi")), (("cpu", "1"), ("memory", "512Mi"))
    ),
}
RESOURCES = BASE_PROFILE.resources


def check_namespace(namespace: str) -> str:
    """Return `namespace`, or raise ValueError if it is not a usable, non-default namespace."""
    if not isinstance(namespace, str) or not is_dns_label(namespace):
        raise ValueError(
            f"namespace {namespace!r} is not a DNS-1123 label "
            "(lowercase letters, digits and '-', at most 63 characters)"
        )
    if namespace in RESERVED_NAMESPACES or namespace.startswith("kube-"):
        raise ValueError(f"namespace {namespace!r} is reserved; choose a namespace of your own")
    return namespace


def default_namespace(plan: DecompositionPlan, source_dir_name: str | None = None) -> str:
    """The project's name as a namespace, steering clear of reserved ones."""
    name = project_name(plan, source_dir_name)
    if name in RESERVED_NAMESPACES or name.startswith("kube-"):
        name = f"{name}-app"
    return name


def selector_labels(ident: str) -> dict[str, str]:
    """The labels that select a service's pods (stable across versions)."""
    return {"app.kubernetes.io/name": ident, "app.kubernetes.io/instance": ident}


def standard_labels(
    ident: str, tag: str, part_of: str, component: str = "service"
) -> dict[str, str]:
    """The six `app.kubernetes.io/*` labels every generated object carries."""
    return {
        **selector_labels(ident),
        "app.kubernetes.io/version": tag,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": part_of,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }


def _metadata(
    name: str, namespace: str, labels: dict[str, str], node: ServiceNode | None = None
) -> dict:
    metadata: dict[str, Any] = {"name": name, "namespace": namespace, "labels": dict(labels)}
    if node is not None:
        metadata["annotations"] = {ANNOTATION_SERVICE: node.name}
    return metadata


def config_map_name(ident: str) -> str:
    return f"{ident}-config"


def service_account_name(ident: str) -> str:
    return ident


def service_url(ident: str, namespace: str, port: int) -> str:
    return f"http://{ident}.{namespace}.svc.cluster.local:{port}"


def config_map(graph: Topology, node: ServiceNode, namespace: str, labels: dict) -> dict:
    data = {runtime.PORT_ENV: str(node.port)}
    for peer, variable in sorted(node.peer_env.items()):
        data[variable] = service_url(peer, namespace, graph.node(peer).port)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _metadata(config_map_name(node.ident), namespace, labels, node),
        "data": data,
    }


def service_account(node: ServiceNode, namespace: str, labels: dict) -> dict[str, Any]:
    """The pod's own identity, holding no API token (it never talks to the API server)."""
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": _metadata(service_account_name(node.ident), namespace, labels, node),
        "automountServiceAccountToken": False,
    }


def _probe(path: str, initial_delay: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": runtime.PORT_NAME},
        "initialDelaySeconds": initial_delay,
        "periodSeconds": 10,
        "timeoutSeconds": runtime.HEALTH_TIMEOUT_S,
        "failureThreshold": runtime.HEALTH_RETRIES,
    }


def deployment(node: ServiceNode, tag: str, namespace: str, labels: dict) -> dict[str, Any]:
    """The service's pods, hardened: every rule of the restricted Pod Security Standard and more.

    Pod and container run as the Dockerfile's unprivileged uid/gid (`runtime.APP_UID`), with no
    privilege escalation, a read-only root file system (an emptyDir at /tmp for scratch), all
    capabilities dropped and the runtime's default seccomp profile; requests (which the HPA's
    CPU utilization needs) and limits; readiness and liveness probes on the named port; its own
    ServiceAccount and no API token mounted.
    """
    container = {
        "name": node.ident,
        "image": f"{node.ident}:{tag}",
        "imagePullPolicy": "Always",  # a re-pushed tag is picked up; checkov CKV_K8S_15
        "ports": [{"name": runtime.PORT_NAME, "containerPort": node.port, "protocol": "TCP"}],
        "envFrom": [{"configMapRef": {"name": config_map_name(node.ident)}}],
        "readinessProbe": _probe(runtime.READY_PATH, 2),
        "livenessProbe": _probe(runtime.HEALTH_PATH, runtime.HEALTH_START_PERIOD_S),
        "resources": BASE_PROFILE.resources,
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": runtime.APP_UID,
            "runAsGroup": runtime.APP_GID,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _metadata(node.ident, namespace, labels, node),
        "spec": {
            "replicas": BASE_PROFILE.replicas,
            "revisionHistoryLimit": 3,
            "selector": {"matchLabels": selector_labels(node.ident)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "serviceAccountName": service_account_name(node.ident),
                    "automountServiceAccountToken": False,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": runtime.APP_UID,
                        "runAsGroup": runtime.APP_GID,
                        "fsGroup": runtime.APP_GID,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": TMP_SIZE_LIMIT}}],
                },
            },
        },
    }


def service(node: ServiceNode, namespace: str, labels: dict) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _metadata(node.ident, namespace, labels, node),
        "spec": {
            "type": "ClusterIP",
            "selector": selector_labels(node.ident),
            "ports": [
                {
                    "name": runtime.PORT_NAME,
                    "port": node.port,
                    "targetPort": runtime.PORT_NAME,
                    "protocol": "TCP",
                }
            ],
        },
    }


def autoscaler(node: ServiceNode, namespace: str, labels: dict) -> dict[str, Any]:
    """CPU-utilization autoscaling of the Deployment (which sets the CPU requests it needs)."""
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _metadata(node.ident, namespace, labels, node),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": node.ident},
            "minReplicas": BASE_PROFILE.min_replicas,
            "maxReplicas": BASE_PROFILE.max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {
                            "type": "Utilization",
                            "averageUtilization": CPU_TARGET_UTILIZATION,
                        },
                    },
                }
            ],
        },
    }


def disruption_budget(node: ServiceNode, namespace: str, labels: dict) -> dict[str, Any]:
    """At most one pod down for voluntary disruptions (`maxUnavailable`: a single replica can
    still be drained, where `minAvailable: 1` would block every node drain)."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _metadata(node.ident, namespace, labels, node),
        "spec": {
            "maxUnavailable": 1,
            "selector": {"matchLabels": selector_labels(node.ident)},
        },
    }


DNS_EGRESS = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ],
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}


def network_policy(
    graph: Topology, node: ServiceNode, namespace: str, labels: dict, public: bool = False
) -> dict:
    """Ingress from the services that depend on this one; egress to its dependencies and DNS.

    An edge service (no other service depends on it) and a `public` one (an Ingress routes to
    it) are what the outside world calls: they admit traffic on their HTTP port from anywhere.
    """
    ingress: list[dict[str, Any]] = []
    if public or not node.dependents:
        ingress.append({"ports": [{"protocol": "TCP", "port": runtime.PORT_NAME}]})
    if node.dependents:
        ingress.append(
            {
                "from": [
                    {"podSelector": {"matchLabels": selector_labels(caller)}}
                    for caller in node.dependents
                ],
                "ports": [{"protocol": "TCP", "port": runtime.PORT_NAME}],
            }
        )
    egress = [
        {
            "to": [{"podSelector": {"matchLabels": selector_labels(peer)}}],
            "ports": [{"protocol": "TCP", "port": graph.node(peer).port}],
        }
        for peer in node.depends_on
    ]
    egress.append(
        {
            "to": [dict(peer) for peer in DNS_EGRESS["to"]],
            "ports": [dict(port) for port in DNS_EGRESS["ports"]],
        }
    )
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _metadata(node.ident, namespace, labels, node),
        "spec": {
            "podSelector": {"matchLabels": selector_labels(node.ident)},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress,
            "egress": egress,
        },
    }


def _unique_name(base: str, taken: set[str]) -> str:
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}-{counter}", counter + 1
    return name


def default_deny(graph: Topology, namespace: str, labels: dict) -> dict[str, Any]:
    """Deny all ingress to every pod of the namespace; the services' own policies open it."""
    name = _unique_name("default-deny", {node.ident for node in graph.nodes})
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _metadata(name, namespace, labels),
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
    }


HTTP_KINDS = ("asgi ", "wsgi ")
PLACEHOLDER_DOMAIN = "example.com"


def serves_http(node: ServiceNode) -> bool:
    """A service the outside world reaches: the gateway, or one whose code defines an ASGI or
    WSGI application (see analyzer.entrypoints)."""
    return node.ident == GATEWAY or any(
        entry.startswith(HTTP_KINDS) for entry in node.service.entry_points
    )


def ingress(
    node: ServiceNode, namespace: str, labels: dict, host: str | None = None
) -> dict[str, Any]:
    """Route every path (of `host`, when given) to the service's HTTP port; TLS is left to
    the user, and a placeholder host to be replaced."""
    rule: dict[str, Any] = {"host": host} if host else {}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": _metadata(node.ident, namespace, labels, node),
        "spec": {
            "rules": [
                {
                    **rule,
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {
                                        "name": node.ident,
                                        "port": {"name": runtime.PORT_NAME},
                                    }
                                },
                            }
                        ]
                    },
                }
            ]
        },
    }


def namespace_document(namespace: str, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": namespace,
            "labels": {
                **labels,
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        },
    }


def _file_name(ident: str, taken: dict[str, Any]) -> str:
    """`<ident>.yaml`, kept clear of the reserved base files and of each other."""
    name, counter = f"{ident}.yaml", 1
    while name in taken or name in RESERVED_FILES:
        name, counter = f"{ident}-service{'' if counter == 1 else counter}.yaml", counter + 1
    return name


def _label_selector(labels: dict[str, str]) -> str:
    return ",".join(f"{key}={value}" for key, value in labels.items())


def overlay(graph: Topology, tag: str, profile: Profile) -> dict[str, Any]:
    """An overlay kustomization: the base plus image tags, replicas, resources and HPA bounds.

    Resources and HPA bounds are JSON 6902 patches aimed by label at every generated
    Deployment and HPA, so one patch covers all services.
    """
    services = {
        "app.kubernetes.io/managed-by": MANAGED_BY,
        "app.kubernetes.io/component": "service",
    }
    document: dict[str, Any] = {
        "apiVersion": KUSTOMIZE_API,
        "kind": "Kustomization",
        "resources": [f"../../{BASE_DIR}"],
    }
    if not graph.nodes:
        return document
    document["images"] = [{"name": node.ident, "newTag": tag} for node in graph.nodes]
    document["replicas"] = [{"name": node.ident, "count": profile.replicas} for node in graph.nodes]
    resources = [
        {
            "op": "replace",
            "path": "/spec/template/spec/containers/0/resources",
            "value": profile.resources,
        }
    ]
    bounds = [
        {"op": "replace", "path": "/spec/minReplicas", "value": profile.min_replicas},
        {"op": "replace", "path": "/spec/maxReplicas", "value": profile.max_replicas},
    ]
    document["patches"] = [
        {
            "target": {
                "group": "apps",
                "version": "v1",
                "kind": "Deployment",
                "labelSelector": _label_selector(services),
            },
            "patch": json.dumps(resources, sort_keys=True),
        },
        {
            "target": {
                "group": "autoscaling",
                "version": "v2",
                "kind": "HorizontalPodAutoscaler",
                "labelSelector": _label_selector(services),
            },
            "patch": json.dumps(bounds, sort_keys=True),
        },
    ]
    return document


def kubernetes_documents(
    plan: DecompositionPlan, namespace: str | None = None, part_of: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """POSIX path (relative to OUT/k8s) -> its documents, kustomizations included.

    `namespace` defaults to the project's name; `part_of` (the part-of label) to the same.
    """
    graph = topology(plan)
    project = part_of or project_name(plan)
    namespace = check_namespace(namespace or default_namespace(plan))
    tag = image_tag(plan)
    base: dict[str, list[dict[str, Any]]] = {
        NAMESPACE_FILE: [
            namespace_document(namespace, standard_labels(project, tag, project, "namespace"))
        ],
        DEFAULT_DENY_FILE: [
            default_deny(graph, namespace, standard_labels(project, tag, project, "network-policy"))
        ],
    }
    fronts = [node for node in graph.nodes if serves_http(node)]
    if fronts:
        base[INGRESS_FILE] = [
            ingress(
                node,
                namespace,
                standard_labels(node.ident, tag, project, "ingress"),
                host=None if node.ident == GATEWAY else f"{node.ident}.{PLACEHOLDER_DOMAIN}",
            )
            for node in fronts
        ]
    for node in graph.nodes:
        labels = standard_labels(node.ident, tag, project)
        base[_file_name(node.ident, base)] = [
            service_account(node, namespace, labels),
            config_map(graph, node, namespace, labels),
            deployment(node, tag, namespace, labels),
            service(node, namespace, labels),
            autoscaler(node, namespace, labels),
            disruption_budget(node, namespace, labels),
            network_policy(graph, node, namespace, labels, public=node in fronts),
        ]
    base[KUSTOMIZATION] = [
        {
            "apiVersion": KUSTOMIZE_API,
            "kind": "Kustomization",
            "namespace": namespace,
            "resources": sorted(base),
        }
    ]
    files = {f"{BASE_DIR}/{name}": documents for name, documents in base.items()}
    for environment, profile in sorted(OVERLAYS.items()):
        files[f"{OVERLAYS_DIR}/{environment}/{KUSTOMIZATION}"] = [overlay(graph, tag, profile)]
    return dict(sorted(files.items()))


def kubernetes_readme(plan: DecompositionPlan, namespace: str) -> str:
    """`k8s/README.md`: the layout, how to apply it, and what is left to the user."""
    graph = topology(plan)
    has_gateway = any(serves_http(node) for node in graph.nodes)
    lines = [
        "# Kubernetes manifests (Kustomize)",
        "",
        "Generated by monocut; re-running `monocut generate` overwrites these files.",
        "",
        "## Layout",
        "",
        f"- `base/`: the `{namespace}` namespace (Pod Security Standard `restricted`), one",
        "  default-deny ingress NetworkPolicy, and per service one file holding its",
        "  ServiceAccount, ConfigMap (port and peer URLs), Deployment, Service,",
        "  HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy"
        + (", plus `ingress.yaml` for the services reached from outside." if has_gateway else "."),
        "- `overlays/dev/`, `overlays/prod/`: image tags (`images`), replica counts",
        "  (`replicas`), container resources and HPA bounds (JSON 6902 patches).",
        "",
        "| environment | replicas | HPA min-max | requests (cpu, memory) | limits (cpu, memory) |",
        "|---|---|---|---|---|",
    ]
    for environment, profile in [("base", BASE_PROFILE), *sorted(OVERLAYS.items())]:
        requests, limits = dict(profile.requests), dict(profile.limits)
        lines.append(
            f"| {environment} | {profile.replicas} | {profile.min_replicas}-{profile.max_replicas}"
            f" | {requests['cpu']}, {requests['memory']} | {limits['cpu']}, {limits['memory']} |"
        )
    lines += [
        "",
        "## Apply",
        "",
        "```sh",
        "kubectl kustomize k8s/overlays/dev      # review",
        "kubectl apply -k k8s/overlays/dev",
        "kubectl apply -k k8s/overlays/prod",
        "```",
        "",
        "Images are pinned to the tag of the analyzed commit (or a digest of the plan). Push them",
        "under those names, or set `newName` (your registry) and `newTag` per image in an overlay.",
        "The `app.kubernetes.io/version` label keeps the generated tag. Once an image is pushed,",
        "pin it by digest too (`digest: sha256:...` beside `newTag` in the overlay's `images`):",
        "a tag can be moved, a digest cannot. Pods pull on every start (`imagePullPolicy:",
        "Always`).",
        "",
        "The namespace is written into the peer URLs of the ConfigMaps: to use another one,",
        "re-run `monocut generate --namespace NAME` rather than changing it in an overlay.",
        "",
        "## Network policies",
        "",
        "`default-deny` denies all ingress in the namespace. Each service admits traffic on its",
        "`http` port only from the services that call it (from anywhere for a service nothing",
        "calls, and for the gateway). Egress is limited to the services it calls and cluster DNS",
        "(kube-dns in kube-system): add an egress rule to a service's NetworkPolicy for a",
        "database or an external API it needs.",
        "",
        "## Ingress and TLS",
        "",
    ]
    if has_gateway:
        lines += [
            "`base/ingress.yaml` routes every path to the `gateway` service, and each service",
            "whose code defines an ASGI or WSGI application under the placeholder host",
            f"`<service>.{PLACEHOLDER_DOMAIN}` (replace it), on the cluster's",
            "default IngressClass (set `spec.ingressClassName` to choose another). TLS is left to",
            "you: add `spec.tls` with your host and a Secret, or with cert-manager annotate the",
            "Ingress with `cert-manager.io/cluster-issuer: <issuer>` and add `spec.tls` with a",
            "`secretName` for it to fill, for example in an overlay patch.",
        ]
    else:
        lines += [
            "No service is a `gateway` or defines an ASGI/WSGI application, so no Ingress is",
            "generated. To expose a service,",
            "add a networking.k8s.io/v1 Ingress to an overlay; for TLS give it `spec.tls` or the",
            "`cert-manager.io/cluster-issuer: <issuer>` annotation.",
        ]
    return "\n".join(lines) + "\n"


def kubernetes_files(
    plan: DecompositionPlan, namespace: str | None = None, part_of: str | None = None
) -> dict[str, str]:
    """POSIX path (relative to OUT/k8s) -> file text: the manifests and the README."""
    namespace = check_namespace(namespace or default_namespace(plan))
    files = {
        path: dump_yaml(documents)
        for path, documents in kubernetes_documents(plan, namespace, part_of).items()
    }
    files[README] = kubernetes_readme(plan, namespace)
    return dict(sorted(files.items()))
