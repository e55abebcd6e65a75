"""Kubernetes manifests and their kustomization, built as data.

Files (relative to OUT/k8s): `namespace.yaml` (the Namespace, enforcing the restricted Pod
Security Standard), one `<ident>.yaml` per service holding its ConfigMap, Deployment, Service and
NetworkPolicy, and `kustomization.yaml` listing exactly those files. Every pod runs as the
Dockerfile's unprivileged uid with a read-only root file system, and its NetworkPolicy admits
only the services that depend on it (anyone, for an edge service nothing depends on) and lets
it reach only its dependencies and cluster DNS.
"""

from __future__ import annotations

from typing import Any

from analyzer.plan import DecompositionPlan, is_dns_label

from . import runtime
from .topology import ServiceNode, Topology, image_tag, project_name, topology

KUSTOMIZATION = "kustomization.yaml"
NAMESPACE_FILE = "namespace.yaml"
RESERVED_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
ANNOTATION_SERVICE = "monocut/service"
RESOURCES = {
    "requests": {"cpu": "100m", "memory": "128Mi"},
    "limits": {"cpu": "500m", "memory": "256Mi"},
}


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


def standard_labels(ident: str, tag: str, part_of: str) -> dict[str, str]:
    return {
        **selector_labels(ident),
        "app.kubernetes.io/version": tag,
        "app.kubernetes.io/component": "service",
        "app.kubernetes.io/part-of": part_of,
        "app.kubernetes.io/managed-by": "monocut",
    }


def _metadata(name: str, namespace: str, labels: dict[str, str], node: ServiceNode) -> dict:
    return {
        "name": name,
        "namespace": namespace,
        "labels": dict(labels),
        "annotations": {ANNOTATION_SERVICE: node.name},
    }


def config_map_name(ident: str) -> str:
    return f"{ident}-config"


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


def _probe(path: str, initial_delay: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": runtime.PORT_NAME},
        "initialDelaySeconds": initial_delay,
        "periodSeconds": 10,
        "timeoutSeconds": runtime.HEALTH_TIMEOUT_S,
        "failureThreshold": runtime.HEALTH_RETRIES,
    }


def deployment(node: ServiceNode, tag: str, namespace: str, labels: dict) -> dict[str, Any]:
    container = {
        "name": node.ident,
        "image": f"{node.ident}:{tag}",
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": runtime.PORT_NAME, "containerPort": node.port, "protocol": "TCP"}],
        "envFrom": [{"configMapRef": {"name": config_map_name(node.ident)}}],
        "readinessProbe": _probe(runtime.READY_PATH, 2),
        "livenessProbe": _probe(runtime.HEALTH_PATH, runtime.HEALTH_START_PERIOD_S),
        "resources": {kind: dict(values) for kind, values in RESOURCES.items()},
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
            "replicas": 1,
            "revisionHistoryLimit": 3,
            "selector": {"matchLabels": selector_labels(node.ident)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": runtime.APP_UID,
                        "runAsGroup": runtime.APP_GID,
                        "fsGroup": runtime.APP_GID,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
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


DNS_EGRESS = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ],
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}


def network_policy(graph: Topology, node: ServiceNode, namespace: str, labels: dict) -> dict:
    """Ingress from the services that depend on this one; egress to its dependencies and DNS.

    An edge service (no other service depends on it, like the gateway) is what the outside
    world calls: it admits traffic on its HTTP port from anywhere.
    """
    ingress: list[dict[str, Any]] = []
    if not node.dependents:
        ingress.append({"ports": [{"protocol": "TCP", "port": runtime.PORT_NAME}]})
    else:
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


def namespace_document(namespace: str, part_of: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": namespace,
            "labels": {
                "app.kubernetes.io/part-of": part_of,
                "app.kubernetes.io/managed-by": "monocut",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        },
    }


def _file_name(ident: str, taken: dict[str, Any]) -> str:
    """`<ident>.yaml`, kept clear of `namespace.yaml`, `kustomization.yaml` and each other."""
    name, counter = f"{ident}.yaml", 1
    while name in taken or name == KUSTOMIZATION:
        name, counter = f"{ident}-service{'' if counter == 1 else counter}.yaml", counter + 1
    return name


def kubernetes_documents(
    plan: DecompositionPlan, namespace: str | None = None, part_of: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """File name (relative to OUT/k8s) -> its documents, `kustomization.yaml` included.

    `namespace` defaults to the project's name; `part_of` (the part-of label) to the same.
    """
    graph = topology(plan)
    project = part_of or project_name(plan)
    namespace = check_namespace(namespace or default_namespace(plan))
    files: dict[str, list[dict[str, Any]]] = {
        NAMESPACE_FILE: [namespace_document(namespace, project)]
    }
    tag = image_tag(plan)
    for node in graph.nodes:
        labels = standard_labels(node.ident, tag, project)
        files[_file_name(node.ident, files)] = [
            config_map(graph, node, namespace, labels),
            deployment(node, tag, namespace, labels),
            service(node, namespace, labels),
            network_policy(graph, node, namespace, labels),
        ]
    files[KUSTOMIZATION] = [
        {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "namespace": namespace,
            "resources": sorted(files),
        }
    ]
    return dict(sorted(files.items()))
