"""Kubernetes manifests: strict schema validation, hardening, and references between objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
from kubernetes_validate.utils import latest_version

from analyzer.plan import DecompositionPlan, Service, SourceInfo
from generators import runtime
from generators.kubernetes import kubernetes_documents
from tests.validators import load_documents

STANDARD_LABELS = {
    f"app.kubernetes.io/{key}"
    for key in ("name", "instance", "version", "component", "part-of", "managed-by")
}


def k8s_objects(out: Path) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, document)
        for path in sorted((out / "k8s").glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for document in load_documents(path)
    ]


def by_kind(objects: list[tuple[str, dict]], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for _, d in objects if d["kind"] == kind}


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def test_every_document_validates_strictly(artifacts) -> None:
    _, out = artifacts
    objects = k8s_objects(out)
    assert len(objects) == 1 + 3 * 4
    version = str(latest_version())
    for name, document in objects:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:  # pragma: no cover - on failure
            pytest.fail(f"{name} {document['kind']}: {error}")


def test_strict_validation_catches_unknown_fields(plan: DecompositionPlan) -> None:
    deployment = kubernetes_documents(plan, "shop")["orders.yaml"][1]
    deployment["spec"]["template"]["spec"]["containers"][0]["notAField"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, str(latest_version()), strict=True)


def test_kustomization_lists_exactly_the_files_written(artifacts) -> None:
    result, out = artifacts
    (kustomization,) = load_documents(out / "k8s/kustomization.yaml")
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kustomization["kind"] == "Kustomization"
    files = sorted(p.name for p in (out / "k8s").iterdir())
    assert sorted([*kustomization["resources"], "kustomization.yaml"]) == files
    assert {p.name for p in result.written if p.parent == out / "k8s"} == set(files)
    namespaces = {d["metadata"].get("namespace") for _, d in k8s_objects(out)} - {None}
    assert namespaces == {kustomization["namespace"]} == {"shop-app"}


def test_namespace_is_not_default_and_enforces_restricted(artifacts) -> None:
    (namespace,) = by_kind(k8s_objects(artifacts[1]), "Namespace").values()
    assert namespace["metadata"]["name"] == "shop-app"
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_deployments_are_hardened(artifacts, plan: DecompositionPlan) -> None:
    deployments = by_kind(k8s_objects(artifacts[1]), "Deployment")
    assert set(deployments) == {"billing", "catalog", "orders"}
    for name, deployment in deployments.items():
        assert set(deployment["metadata"]["labels"]) >= STANDARD_LABELS
        spec = deployment["spec"]
        assert spec["replicas"] == 1
        pod = spec["template"]["spec"]
        assert set(spec["template"]["metadata"]["labels"]) >= STANDARD_LABELS
        assert pod["automountServiceAccountToken"] is False
        (container,) = pod["containers"]
        image, tag = container["image"].split(":")
        assert image == name and tag not in ("", "latest")
        assert spec["template"]["metadata"]["labels"]["app.kubernetes.io/version"] == tag
        security = container["securityContext"]
        assert security["runAsNonRoot"] is True
        assert security["runAsUser"] == runtime.APP_UID  # the Dockerfile's USER
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"] == {"drop": ["ALL"]}
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}
        assert {"requests", "limits"} <= set(container["resources"])
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind])
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        (tmp,) = container["volumeMounts"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert tmp["mountPath"] == "/tmp" and "emptyDir" in volumes[tmp["name"]]
        assert container["ports"] == [
            {"name": "http", "containerPort": plan.service(name).port, "protocol": "TCP"}
        ]


def test_cross_references_hold(artifacts) -> None:
    objects = k8s_objects(artifacts[1])
    deployments = by_kind(objects, "Deployment")
    services = by_kind(objects, "Service")
    config_maps = by_kind(objects, "ConfigMap")
    assert set(services) == set(deployments)
    for name, deployment in deployments.items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert matches(deployment["spec"]["selector"]["matchLabels"], pod_labels)
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        port_names = {p["name"] for p in container["ports"]}
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["port"] in port_names
        for source in container["envFrom"]:
            assert source["configMapRef"]["name"] in config_maps
        service = services[name]
        selected = [
            d
            for d in deployments.values()
            if matches(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
        ]
        assert selected == [deployment]
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names
    # peer URLs in ConfigMaps name existing Services and their ports
    for config_map in config_maps.values():
        for key, value in config_map["data"].items():
            if key.endswith("_URL"):
                url = urlsplit(value)
                peer, namespace = url.hostname.split(".")[:2]
                assert namespace == config_map["metadata"]["namespace"]
                assert url.port == services[peer]["spec"]["ports"][0]["port"]
    assert config_maps["orders-config"]["data"] == {
        "PORT": "8001",
        "BILLING_URL": "http://billing.shop-app.svc.cluster.local:8002",
        "CATALOG_URL": "http://catalog.shop-app.svc.cluster.local:8003",
    }


def test_network_policies_cover_every_pod_and_follow_dependencies(artifacts) -> None:
    objects = k8s_objects(artifacts[1])
    deployments = by_kind(objects, "Deployment")
    policies = by_kind(objects, "NetworkPolicy")

    def pods(selector: dict) -> set[str]:
        return {
            name
            for name, d in deployments.items()
            if matches(selector["matchLabels"], d["spec"]["template"]["metadata"]["labels"])
        }

    covered: set[str] = set()
    ingress_from: dict[str, set[str]] = {}
    egress_to: dict[str, set[str]] = {}
    for policy in policies.values():
        spec = policy["spec"]
        assert set(spec["policyTypes"]) == {"Ingress", "Egress"}
        targets = pods(spec["podSelector"])
        assert len(targets) == 1
        (target,) = targets
        covered |= targets
        ingress_from[target] = {
            pod
            for rule in spec["ingress"]
            for peer in rule["from"]
            for pod in pods(peer["podSelector"])
        }
        egress_to[target] = {
            pod
            for rule in spec["egress"]
            for peer in rule["to"]
            if "namespaceSelector" not in peer
            for pod in pods(peer["podSelector"])
        }
        dns = [r for r in spec["egress"] if any("namespaceSelector" in p for p in r["to"])]
        assert dns and {p["port"] for p in dns[0]["ports"]} == {53}
    assert covered == set(deployments)
    # orders -> billing, orders -> catalog, billing -> orders (the cycle stays at run time)
    assert egress_to == {"orders": {"billing", "catalog"}, "billing": {"orders"}, "catalog": set()}
    assert ingress_from == {"billing": {"orders"}, "catalog": {"orders"}, "orders": {"billing"}}


def test_namespace_override_and_reserved_names(plan: DecompositionPlan) -> None:
    files = kubernetes_documents(plan, "team-a")
    assert files["namespace.yaml"][0]["metadata"]["name"] == "team-a"
    assert files["kustomization.yaml"][0]["namespace"] == "team-a"
    for bad in ("default", "kube-system", "Team A", "a" * 64, "x\ny"):
        with pytest.raises(ValueError, match="namespace"):
            kubernetes_documents(plan, bad)


def test_service_file_names_never_clash(plan: DecompositionPlan) -> None:
    clashing = DecompositionPlan(
        source=plan.source,
        services=(
            Service("namespace", ("a",), 8001),
            Service("kustomization", ("b",), 8002),
        ),
    )
    files = kubernetes_documents(clashing, "ns")
    assert set(files) == {
        "namespace.yaml",
        "namespace-service.yaml",
        "kustomization.yaml",
        "kustomization-service.yaml",
    }
    assert files["namespace.yaml"][0]["kind"] == "Namespace"
    assert files["kustomization.yaml"][0]["kind"] == "Kustomization"


def test_edge_services_admit_outside_traffic_on_their_port_only() -> None:
    plan = DecompositionPlan(
        source=SourceInfo(root="."),
        services=(
            Service("gateway", ("app.main",), 8001, depends_on=("orders",)),
            Service("orders", ("app.orders",), 8002),
        ),
    )
    documents = kubernetes_documents(plan, "shop")
    policies = {
        d["metadata"]["name"]: d["spec"]
        for docs in documents.values()
        for d in docs
        if d["kind"] == "NetworkPolicy"
    }
    assert policies["gateway"]["ingress"] == [{"ports": [{"protocol": "TCP", "port": "http"}]}]
    (rule,) = policies["orders"]["ingress"]
    assert [p["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for p in rule["from"]] == [
        "gateway"
    ]
