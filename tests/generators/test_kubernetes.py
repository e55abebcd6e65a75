"""Kubernetes as Kustomize: strict schemas, hardening, references between objects, overlays.

Every plan below is written to disk, its base and both overlays are built (by resolving the
kustomizations here, and by `kubectl kustomize` too when kubectl is installed), and every object
of every build goes through the same checks.
"""

from __future__ import annotations

import copy
import dataclasses
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from analyzer.plan import DecompositionPlan, Service, SourceInfo
from generators import runtime
from generators.kubernetes import OVERLAYS, kubernetes_documents, kubernetes_files
from generators.topology import topology
from generators.writer import write_artifacts
from tests.validators import kubernetes_problems, load_documents, yaml_problems

from .conftest import sample_plan
from .test_writer import HOSTILE_NAMES, hostile_plan

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"
STANDARD_LABELS = {
    f"app.kubernetes.io/{key}"
    for key in ("name", "instance", "version", "component", "part-of", "managed-by")
}
ENVIRONMENTS = ("base", *sorted(OVERLAYS))
Objects = list[dict[str, Any]]


# ------------------------------------------------------------------------------------ plans


def one_service() -> DecompositionPlan:
    return DecompositionPlan(
        source=SourceInfo(root="solo"), services=(Service("solo", ("app",), 8000),)
    )


def twenty_services() -> DecompositionPlan:
    """`gateway` calls svc-01; svc-i calls svc-(i+1) and svc-(i+5): a deep acyclic graph."""
    names = ["gateway", *(f"svc-{i:02d}" for i in range(1, 20))]

    def depends(i: int) -> tuple[str, ...]:
        return tuple(names[j] for j in (i + 1, i + 5) if j < len(names) and (i or j == 1))

    return DecompositionPlan(
        source=SourceInfo(root="big", git_commit="0123456789abcdef0123"),
        services=tuple(
            Service(name, (f"big.m{i}",), 9000 + i, depends_on=depends(i))
            for i, name in enumerate(names)
        ),
    )


def cycle() -> DecompositionPlan:
    """gateway -> a -> b -> gateway: the gateway is called by a peer and fronted by an Ingress."""
    return DecompositionPlan(
        source=SourceInfo(root="loop"),
        services=(
            Service("gateway", ("x.g",), 8000, depends_on=("a",)),
            Service("a", ("x.a",), 8001, depends_on=("b",)),
            Service("b", ("x.b",), 8002, depends_on=("gateway",)),
        ),
    )


def reserved_file_names() -> DecompositionPlan:
    """Services whose names are the base's own file and object names."""
    names = ("namespace", "kustomization", "default-deny", "ingress")
    return DecompositionPlan(
        source=SourceInfo(root="clash"),
        services=tuple(Service(n, (f"m.{i}",), 8100 + i) for i, n in enumerate(names)),
    )


@pytest.fixture(scope="module")
def sample_monolith_plan(tmp_path_factory: pytest.TempPathFactory) -> DecompositionPlan:
    from analyzer.pipeline import AnalysisSettings, analyze
    from analyzer.planning import propose_plan

    analysis = analyze(SAMPLE, AnalysisSettings(jobs=1, cochange=False))
    plan, _ = propose_plan(analysis, plan_dir=tmp_path_factory.mktemp("plan"))
    return plan


PLANS = {
    "empty": lambda: DecompositionPlan(source=SourceInfo(root="empty"), services=()),
    "shop": sample_plan,
    "one": one_service,
    "twenty": twenty_services,
    "cycle": cycle,
    "hostile": hostile_plan,
    "reserved": reserved_file_names,
}


@dataclasses.dataclass
class Case:
    plan: DecompositionPlan
    k8s: Path
    warnings: tuple[str, ...]
    builds: dict[str, Objects]  # environment -> objects, built here


@pytest.fixture(scope="module", params=[*PLANS, "sample_monolith"])
def case(request, tmp_path_factory: pytest.TempPathFactory) -> Case:
    if request.param == "sample_monolith":
        plan = request.getfixturevalue("sample_monolith_plan")
    else:
        plan = PLANS[request.param]()
    out = tmp_path_factory.mktemp(request.param)
    result = write_artifacts(plan, out, out / "out", targets="k8s")
    k8s = out / "out" / "k8s"
    builds = {"base": load_kustomization(k8s / "base")}
    builds.update({env: build_overlay(k8s / "overlays" / env) for env in sorted(OVERLAYS)})
    return Case(plan, k8s, result.warnings, builds)


# ------------------------------------------------------------------ kustomize, resolved here


def load_kustomization(directory: Path) -> Objects:
    """A base kustomization's resources (files only), with its namespace checked."""
    (kustomization,) = load_documents(directory / "kustomization.yaml")
    objects = [
        doc for name in kustomization["resources"] for doc in load_documents(directory / name)
    ]
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == kustomization["namespace"]
    return objects


def _pointer(path: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]


def apply_json_patch(document: dict, operations: list[dict]) -> None:
    for operation in operations:
        assert operation["op"] in {"replace", "add"}, operation
        *parents, last = _pointer(operation["path"])
        node: Any = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = copy.deepcopy(operation["value"])
        else:
            assert operation["op"] == "add" or last in node, operation["path"]
            node[last] = copy.deepcopy(operation["value"])


def target_matches(target: dict[str, str], obj: dict) -> bool:
    group, _, version = obj["apiVersion"].rpartition("/")
    selector = dict(
        pair.split("=", 1) for pair in target.get("labelSelector", "").split(",") if pair
    )
    labels = obj["metadata"].get("labels", {})
    return (
        target.get("kind", obj["kind"]) == obj["kind"]
        and target.get("group", group) == group
        and target.get("version", version) == version
        and target.get("name", obj["metadata"]["name"]) == obj["metadata"]["name"]
        and all(labels.get(k) == v for k, v in selector.items())
    )


def build_overlay(directory: Path) -> Objects:
    """The overlay's `resources`, `images`, `replicas` and targeted patches, applied as kustomize
    would; every image, replica and patch must find something in the base."""
    (kustomization,) = load_documents(directory / "kustomization.yaml")
    assert set(kustomization) <= {
        "apiVersion",
        "kind",
        "resources",
        "images",
        "replicas",
        "patches",
    }
    objects = [
        doc
        for resource in kustomization["resources"]
        for doc in load_kustomization((directory / resource).resolve())
    ]
    deployments = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Deployment"}
    containers = [
        c for d in deployments.values() for c in d["spec"]["template"]["spec"]["containers"]
    ]
    for image in kustomization.get("images", []):
        found = [c for c in containers if c["image"].rpartition(":")[0] == image["name"]]
        assert found, f"image {image['name']} is in no base Deployment"
        for container in found:
            name = image.get("newName", image["name"])
            container["image"] = (
                f"{name}:{image.get('newTag', container['image'].rpartition(':')[2])}"
            )
    for replicas in kustomization.get("replicas", []):
        deployments[replicas["name"]]["spec"]["replicas"] = replicas["count"]
    for patch in kustomization.get("patches", []):
        targets = [o for o in objects if target_matches(patch["target"], o)]
        assert targets, f"patch target {patch['target']} matches nothing"
        for obj in targets:
            apply_json_patch(obj, yaml.safe_load(patch["patch"]))
    return objects


def by_kind(objects: Objects, kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in objects if d["kind"] == kind}


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def pod_labels(deployment: dict) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"]["labels"]


def selected(deployments: dict[str, dict], selector: dict) -> set[str]:
    """Deployments whose pods a label selector (`{matchLabels: ...}`) picks."""
    return {n for n, d in deployments.items() if matches(selector["matchLabels"], pod_labels(d))}


# ------------------------------------------------------------------------------------ checks


def reference_problems(objects: Objects) -> list[str]:
    """The cross-references of VALIDATORS.md that no schema checks."""
    problems: list[str] = []
    deployments = by_kind(objects, "Deployment")
    services = by_kind(objects, "Service")
    config_maps = by_kind(objects, "ConfigMap")
    accounts = by_kind(objects, "ServiceAccount")
    (namespace,) = by_kind(objects, "Namespace")
    for obj in objects:
        where = f"{obj['kind']} {obj['metadata']['name']}"
        if not set(obj["metadata"].get("labels", {})) >= STANDARD_LABELS:
            problems.append(f"{where}: standard labels missing")
        if obj["kind"] != "Namespace" and obj["metadata"]["namespace"] != namespace:
            problems.append(f"{where}: outside the namespace")
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        if not matches(deployment["spec"]["selector"]["matchLabels"], pod_labels(deployment)):
            problems.append(f"Deployment {name}: selector misses its own pods")
        if pod["serviceAccountName"] not in accounts:
            problems.append(f"Deployment {name}: no ServiceAccount {pod['serviceAccountName']}")
        volumes = {v["name"] for v in pod["volumes"]}
        for container in pod["containers"]:
            ports = {p["name"] for p in container["ports"]}
            for probe in ("readinessProbe", "livenessProbe"):
                if container[probe]["httpGet"]["port"] not in ports:
                    problems.append(f"Deployment {name}: {probe} names no port")
            for source in container["envFrom"]:
                if source["configMapRef"]["name"] not in config_maps:
                    problems.append(f"Deployment {name}: no ConfigMap {source['configMapRef']}")
            if {m["name"] for m in container["volumeMounts"]} - volumes:
                problems.append(f"Deployment {name}: mounts a missing volume")
    for name, service in services.items():
        picked = selected(deployments, {"matchLabels": service["spec"]["selector"]})
        if picked != {name}:
            problems.append(f"Service {name} selects {sorted(picked)}")
            continue
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        for port in service["spec"]["ports"]:
            if port["targetPort"] not in {p["name"] for p in container["ports"]}:
                problems.append(f"Service {name}: targetPort {port['targetPort']} not named")
    for name, hpa in by_kind(objects, "HorizontalPodAutoscaler").items():
        target = deployments.get(hpa["spec"]["scaleTargetRef"]["name"])
        if target is None or hpa["spec"]["scaleTargetRef"]["kind"] != "Deployment":
            problems.append(f"HorizontalPodAutoscaler {name}: no such Deployment")
        elif not all(
            "cpu" in c["resources"].get("requests", {})
            for c in target["spec"]["template"]["spec"]["containers"]
        ):
            problems.append(f"HorizontalPodAutoscaler {name}: target sets no cpu requests")
        if not 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]:
            problems.append(f"HorizontalPodAutoscaler {name}: bad bounds")
    for name, budget in by_kind(objects, "PodDisruptionBudget").items():
        if selected(deployments, budget["spec"]["selector"]) != {name}:
            problems.append(f"PodDisruptionBudget {name}: selects other pods")
    for config_map in config_maps.values():
        for key, value in config_map["data"].items():
            if key.endswith("_URL"):
                url = urlsplit(value)
                peer, peer_namespace = url.hostname.split(".")[:2]
                if peer not in services or peer_namespace != namespace:
                    problems.append(f"ConfigMap {key}: {value} names no Service")
                elif url.port != services[peer]["spec"]["ports"][0]["port"]:
                    problems.append(f"ConfigMap {key}: wrong port")
    for name, ingress in by_kind(objects, "Ingress").items():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                ports = {
                    p["name"]
                    for p in services.get(backend["name"], {}).get("spec", {}).get("ports", [])
                }
                if backend["port"]["name"] not in ports:
                    problems.append(f"Ingress {name}: backend {backend} does not exist")
    return problems


def policy_problems(objects: Objects) -> list[str]:
    """A default-deny covers the namespace and every pod has a policy of its own whose peers
    are existing pods."""
    problems: list[str] = []
    deployments = by_kind(objects, "Deployment")
    policies = by_kind(objects, "NetworkPolicy")
    denies = [p for p in policies.values() if p["spec"]["podSelector"] == {}]
    if len(denies) != 1 or denies[0]["spec"] != {"podSelector": {}, "policyTypes": ["Ingress"]}:
        problems.append(f"expected one ingress default-deny, found {len(denies)}")
    covered: set[str] = set()
    for name, policy in policies.items():
        if policy["spec"]["podSelector"] == {}:
            continue
        covered |= selected(deployments, policy["spec"]["podSelector"])
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                if not selected(deployments, peer["podSelector"]):
                    problems.append(f"NetworkPolicy {name}: ingress from no pod")
        for rule in policy["spec"].get("egress", []):
            for peer in rule["to"]:
                if "namespaceSelector" not in peer and not selected(
                    deployments, peer["podSelector"]
                ):
                    problems.append(f"NetworkPolicy {name}: egress to no pod")
    if covered != set(deployments):
        problems.append(f"pods without a NetworkPolicy: {sorted(set(deployments) - covered)}")
    return problems


def hardening_problems(deployment: dict) -> list[str]:
    """Every Kubernetes hardening rule of VALIDATORS.md that a Deployment carries."""
    name = deployment["metadata"]["name"]
    problems: list[str] = []

    def require(condition: bool, rule: str) -> None:
        if not condition:
            problems.append(f"Deployment {name}: {rule}")

    pod = deployment["spec"]["template"]["spec"]
    pod_security = pod["securityContext"]
    require(deployment["metadata"]["namespace"] != "default", "namespace other than default")
    require(pod["automountServiceAccountToken"] is False, "automountServiceAccountToken false")
    require(pod.get("serviceAccountName") not in (None, "default"), "own ServiceAccount")
    require(pod_security.get("runAsNonRoot") is True, "pod runAsNonRoot")
    require(pod_security.get("runAsUser") == runtime.APP_UID, "pod runs as the Dockerfile uid")
    require(pod_security.get("runAsGroup") == runtime.APP_GID, "pod runs as the Dockerfile gid")
    require(pod_security.get("seccompProfile") == {"type": "RuntimeDefault"}, "pod seccomp")
    require(not pod.get("hostNetwork") and not pod.get("hostPID"), "no host namespaces")
    volumes = {v["name"]: v for v in pod["volumes"]}
    for container in pod["containers"]:
        security = container["securityContext"]
        image, _, tag = container["image"].rpartition(":")
        require(bool(image) and tag not in ("", "latest") and "/" not in tag, "pinned image tag")
        require(security.get("runAsNonRoot") is True, "runAsNonRoot")
        require(security.get("runAsUser", 0) >= 1000, "non-root uid")
        require(security.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation false")
        require(security.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
        require(security.get("capabilities") == {"drop": ["ALL"]}, "drop ALL capabilities")
        require(security.get("privileged") is not True, "not privileged")
        require(security.get("seccompProfile") == {"type": "RuntimeDefault"}, "seccomp")
        for kind in ("requests", "limits"):
            require({"cpu", "memory"} <= set(container["resources"].get(kind, {})), kind)
        require(container["readinessProbe"]["httpGet"]["path"] == runtime.READY_PATH, "readiness")
        require(container["livenessProbe"]["httpGet"]["path"] == runtime.HEALTH_PATH, "liveness")
        tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        require(len(tmp) == 1 and "emptyDir" in volumes[tmp[0]["name"]], "emptyDir at /tmp")
    return problems


# ------------------------------------------------------------------------- tests, per plan


def test_every_manifest_validates_strictly_and_lints(case: Case) -> None:
    problems = [
        f"{env}: {problem}"
        for env, objects in case.builds.items()
        for obj in objects
        for problem in kubernetes_problems(obj)
    ]
    assert problems == []
    assert yaml_problems(case.k8s) == []


def test_references_hold_in_every_build(case: Case) -> None:
    for env, objects in case.builds.items():
        assert reference_problems(objects) == [], env
        assert policy_problems(objects) == [], env


def test_every_deployment_is_hardened(case: Case) -> None:
    for env, objects in case.builds.items():
        deployments = by_kind(objects, "Deployment")
        assert len(deployments) == len(case.plan.services), env
        assert [p for d in deployments.values() for p in hardening_problems(d)] == [], env
    for account in by_kind(case.builds["base"], "ServiceAccount").values():
        assert account["automountServiceAccountToken"] is False
    (namespace,) = by_kind(case.builds["base"], "Namespace").values()
    assert namespace["metadata"]["name"] not in ("default", "kube-system")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_each_service_has_every_object(case: Case) -> None:
    base = case.builds["base"]
    idents = {node.ident for node in topology(case.plan).nodes}
    for kind in (
        "Deployment",
        "Service",
        "ServiceAccount",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    ):
        assert set(by_kind(base, kind)) == idents, kind
    assert set(by_kind(base, "ConfigMap")) == {f"{i}-config" for i in idents}
    for hpa in by_kind(base, "HorizontalPodAutoscaler").values():
        assert hpa["apiVersion"] == "autoscaling/v2"
        (metric,) = hpa["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu"
        assert metric["resource"]["target"]["type"] == "Utilization"
    for budget in by_kind(base, "PodDisruptionBudget").values():
        assert budget["apiVersion"] == "policy/v1" and budget["spec"]["maxUnavailable"] == 1


def test_network_policies_follow_the_dependency_graph(case: Case) -> None:
    graph = topology(case.plan)
    objects = case.builds["base"]
    deployments = by_kind(objects, "Deployment")
    policies = by_kind(objects, "NetworkPolicy")
    for node in graph.nodes:
        spec = policies[node.ident]["spec"]
        assert selected(deployments, spec["podSelector"]) == {node.ident}
        assert spec["policyTypes"] == ["Ingress", "Egress"]
        callers = {
            pod
            for rule in spec["ingress"]
            for peer in rule.get("from", [])
            for pod in selected(deployments, peer["podSelector"])
        }
        assert callers == set(node.dependents)
        open_rules = [rule for rule in spec["ingress"] if "from" not in rule]
        public = not node.dependents or node.ident == "gateway"
        assert open_rules == ([{"ports": [{"protocol": "TCP", "port": "http"}]}] if public else [])
        for rule in spec["ingress"]:
            assert rule["ports"] == [{"protocol": "TCP", "port": "http"}]
        peers = {
            pod
            for rule in spec["egress"]
            for peer in rule["to"]
            if "namespaceSelector" not in peer
            for pod in selected(deployments, peer["podSelector"])
        }
        assert peers == set(node.depends_on)
        dns = [r for r in spec["egress"] if any("namespaceSelector" in p for p in r["to"])]
        assert len(dns) == 1 and {p["port"] for p in dns[0]["ports"]} == {53}


def test_base_kustomization_lists_exactly_its_files(case: Case) -> None:
    (kustomization,) = load_documents(case.k8s / "base/kustomization.yaml")
    files = sorted(p.name for p in (case.k8s / "base").iterdir())
    assert sorted([*kustomization["resources"], "kustomization.yaml"]) == files
    assert sorted(
        p.relative_to(case.k8s).as_posix() for p in case.k8s.rglob("*") if p.is_file()
    ) == [
        "README.md",
        *(f"base/{name}" for name in files),
        *(f"overlays/{env}/kustomization.yaml" for env in sorted(OVERLAYS)),
    ]


def test_overlays_set_replicas_resources_tags_and_hpa_bounds(case: Case) -> None:
    base = by_kind(case.builds["base"], "Deployment")
    for env, profile in OVERLAYS.items():
        objects = case.builds[env]
        (kustomization,) = load_documents(case.k8s / "overlays" / env / "kustomization.yaml")
        assert kustomization["resources"] == ["../../base"]
        hpas = by_kind(objects, "HorizontalPodAutoscaler")
        for name, deployment in by_kind(objects, "Deployment").items():
            assert deployment["spec"]["replicas"] == profile.replicas
            (container,) = deployment["spec"]["template"]["spec"]["containers"]
            assert container["resources"] == profile.resources
            (base_container,) = base[name]["spec"]["template"]["spec"]["containers"]
            assert container["image"] == base_container["image"]  # the pinned tag, restated
            assert hpas[name]["spec"]["minReplicas"] == profile.min_replicas
            assert hpas[name]["spec"]["maxReplicas"] == profile.max_replicas
    dev, prod = OVERLAYS["dev"], OVERLAYS["prod"]
    assert prod.replicas > dev.replicas and prod.min_replicas > dev.min_replicas
    assert prod.max_replicas > dev.max_replicas
    assert prod.limits != dev.limits


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_kustomize_builds_the_same_objects(case: Case) -> None:
    for env in ENVIRONMENTS:
        directory = case.k8s / ("base" if env == "base" else f"overlays/{env}")
        completed = subprocess.run(
            ["kubectl", "kustomize", str(directory)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        built = [d for d in yaml.safe_load_all(completed.stdout) if d is not None]

        def key(obj: dict) -> tuple[str, str]:
            return obj["kind"], obj["metadata"]["name"]

        assert sorted(built, key=key) == sorted(case.builds[env], key=key), env


def test_ingress_only_for_the_gateway(case: Case) -> None:
    ingresses = by_kind(case.builds["base"], "Ingress")
    has_gateway = any(node.ident == "gateway" for node in topology(case.plan).nodes)
    readme = (case.k8s / "README.md").read_text(encoding="utf-8")
    assert "kubectl apply -k k8s/overlays/dev" in readme
    assert "cert-manager.io/cluster-issuer" in readme
    if not has_gateway:
        assert ingresses == {} and not (case.k8s / "base/ingress.yaml").exists()
        return
    (ingress,) = ingresses.values()
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    assert "tls" not in ingress["spec"]  # left to the user, as the README says
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}


# ---------------------------------------------------------------------- tests, single plans


def test_sample_monolith_has_a_gateway_and_a_cycle(sample_monolith_plan) -> None:
    graph = topology(sample_monolith_plan)
    assert "gateway" in {node.ident for node in graph.nodes}
    assert graph.dropped_edges  # orders <-> payments stays in the network policies


def test_the_checks_catch_broken_manifests(plan: DecompositionPlan) -> None:
    documents = kubernetes_documents(plan, "shop")
    objects = [d for path, docs in documents.items() if "kustomization" not in path for d in docs]
    assert reference_problems(objects) == policy_problems(objects) == []
    broken = copy.deepcopy(objects)
    deployments = by_kind(broken, "Deployment")
    container = deployments["orders"]["spec"]["template"]["spec"]["containers"][0]
    container["securityContext"]["allowPrivilegeEscalation"] = True
    container["image"] = "orders:latest"
    del container["resources"]["limits"]
    assert hardening_problems(deployments["orders"]) == [
        "Deployment orders: pinned image tag",
        "Deployment orders: allowPrivilegeEscalation false",
        "Deployment orders: limits",
    ]
    by_kind(broken, "Service")["billing"]["spec"]["selector"]["app.kubernetes.io/name"] = "x"
    by_kind(broken, "HorizontalPodAutoscaler")["catalog"]["spec"]["scaleTargetRef"]["name"] = "y"
    container["envFrom"][0]["configMapRef"]["name"] = "gone"
    assert len(reference_problems(broken)) == 3
    broken.remove(by_kind(broken, "NetworkPolicy")["catalog"])
    assert policy_problems(broken) == ["pods without a NetworkPolicy: ['catalog']"]


def test_strict_validation_catches_unknown_fields(plan: DecompositionPlan) -> None:
    deployment = kubernetes_documents(plan, "shop")["base/orders.yaml"][2]
    assert deployment["kind"] == "Deployment"
    deployment["spec"]["template"]["spec"]["containers"][0]["notAField"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, str(latest_version()), strict=True)


def test_shop_namespace_and_peer_urls(artifacts) -> None:
    _, out = artifacts
    objects = load_kustomization(out / "k8s/base")
    (namespace,) = by_kind(objects, "Namespace")
    assert namespace == "shop-app"
    assert by_kind(objects, "ConfigMap")["orders-config"]["data"] == {
        "PORT": "8001",
        "BILLING_URL": "http://billing.shop-app.svc.cluster.local:8002",
        "CATALOG_URL": "http://catalog.shop-app.svc.cluster.local:8003",
    }
    for deployment in by_kind(objects, "Deployment").values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["ports"][0]["name"] == "http"


def test_namespace_override_and_reserved_names(plan: DecompositionPlan) -> None:
    files = kubernetes_documents(plan, "team-a")
    assert files["base/namespace.yaml"][0]["metadata"]["name"] == "team-a"
    assert files["base/kustomization.yaml"][0]["namespace"] == "team-a"
    for bad in ("default", "kube-system", "Team A", "a" * 64, "x\ny"):
        with pytest.raises(ValueError, match="namespace"):
            kubernetes_documents(plan, bad)


def test_service_file_and_object_names_never_clash() -> None:
    files = kubernetes_documents(reserved_file_names(), "ns")
    assert set(files) == {
        "base/namespace.yaml",
        "base/namespace-service.yaml",
        "base/kustomization.yaml",
        "base/kustomization-service.yaml",
        "base/default-deny.yaml",
        "base/default-deny-service.yaml",
        "base/ingress-service.yaml",
        "overlays/dev/kustomization.yaml",
        "overlays/prod/kustomization.yaml",
    }
    assert files["base/namespace.yaml"][0]["kind"] == "Namespace"
    assert files["base/kustomization.yaml"][0]["kind"] == "Kustomization"
    (deny,) = files["base/default-deny.yaml"]
    assert deny["metadata"]["name"] == "default-deny-2"  # a service holds `default-deny`


def test_edge_services_admit_outside_traffic_on_their_port_only() -> None:
    plan = DecompositionPlan(
        source=SourceInfo(root="."),
        services=(
            Service("front", ("app.main",), 8001, depends_on=("orders",)),
            Service("orders", ("app.orders",), 8002),
        ),
    )
    policies = {
        d["metadata"]["name"]: d["spec"]
        for docs in kubernetes_documents(plan, "shop").values()
        for d in docs
        if d["kind"] == "NetworkPolicy"
    }
    assert policies["front"]["ingress"] == [{"ports": [{"protocol": "TCP", "port": "http"}]}]
    (rule,) = policies["orders"]["ingress"]
    assert [p["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for p in rule["from"]] == [
        "front"
    ]


def test_output_is_deterministic_and_ignores_service_order(plan: DecompositionPlan) -> None:
    first = kubernetes_files(plan, "shop")
    assert kubernetes_files(plan, "shop") == first
    reordered = dataclasses.replace(plan, services=tuple(reversed(plan.services)))
    assert kubernetes_files(reordered, "shop") == first


def test_hostile_names_survive_as_data_only() -> None:
    documents = kubernetes_documents(hostile_plan(), "ns")
    originals = {
        d["metadata"].get("annotations", {}).get("monocut/service")
        for docs in documents.values()
        for d in docs
        if "metadata" in d
    }
    assert set(HOSTILE_NAMES) <= originals


def test_rerun_warns_about_stale_files_in_every_directory(generate, plan) -> None:
    _, out = generate(plan, targets="k8s")
    (out / "k8s/orders.yaml").write_text("# the old flat layout\n")
    (out / "k8s/overlays/prod/extra.yaml").write_text("# a stray file\n")
    (out / "k8s/overlays/staging").mkdir()
    (out / "k8s/overlays/staging/kustomization.yaml").write_text("# the user's own\n")
    smaller = dataclasses.replace(plan, services=plan.services[:1])
    result = write_artifacts(smaller, out.parent, out, targets="k8s")
    stale = sorted(w.split(" ")[0] for w in result.warnings if "not written by this run" in w)
    assert stale == [
        "k8s/base/billing.yaml",
        "k8s/base/catalog.yaml",
        "k8s/orders.yaml",
        "k8s/overlays/prod/extra.yaml",
    ]
    assert (out / "k8s/base/catalog.yaml").exists()  # never deleted


def test_services_with_a_web_application_get_an_ingress_host_and_a_public_policy() -> None:
    plan = sample_plan()
    orders, billing, catalog = plan.services
    plan = dataclasses.replace(
        plan,
        services=(
            dataclasses.replace(orders, entry_points=("wsgi shop.orders:app", "main shop.orders")),
            billing,
            dataclasses.replace(catalog, entry_points=("celery shop.catalog.search:celery",)),
        ),
    )
    files = kubernetes_documents(plan, "shop")
    (front,) = files["base/ingress.yaml"]
    assert not kubernetes_problems(front)
    (rule,) = front["spec"]["rules"]
    assert rule["host"] == "orders.example.com"  # a placeholder the README says to replace
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "orders", "port": {"name": "http"}}
    policies = {
        doc["metadata"]["name"]: doc
        for name, docs in files.items()
        for doc in docs
        if doc["kind"] == "NetworkPolicy" and name != "base/default-deny.yaml"
    }
    open_to_all = {
        name
        for name, doc in policies.items()
        if any("from" not in rule for rule in doc["spec"].get("ingress", []))
    }
    assert "orders" in open_to_all  # its Ingress controller must reach it
    assert "billing" not in open_to_all  # called by orders only
    readme = kubernetes_files(plan, "shop")["README.md"]
    assert "`<service>.example.com`" in readme
