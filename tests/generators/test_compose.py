"""docker-compose.yml: the compose-spec schema, yamllint, references between services, no
start-up cycle, dropped cycle edges reported, hardening on every service, determinism."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import networkx as nx
import pytest
import yaml
from dockerfile_parse import DockerfileParser
from yamllint import linter

from analyzer.cluster import ClusterSettings
from analyzer.pipeline import AnalysisSettings, analyze
from analyzer.plan import DecompositionPlan, Service, SourceInfo, is_dns_label
from analyzer.planning import propose_plan
from generators import runtime
from generators.compose import (
    LIMITS,
    NETWORK_EDGE,
    NETWORK_INTERNAL,
    RESERVATIONS,
    compose_document,
    compose_text,
    dropped_dependencies,
    entry_services,
)
from generators.topology import topology
from tests.validators import YAMLLINT, load_documents

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"

HOSTILE_NAMES = (
    "orders",
    "Orders",
    "ORDERS!",
    "x: y",
    "\n- injected: true\n# heading",
    "a -> b # not a comment",
    "{{ 7*7 }}",
    "&anchor",
    "*ref",
    "123",
    "",
    "ünïcödé",
    "x" * 100,
)


def plan_of(*services: Service) -> DecompositionPlan:
    return DecompositionPlan(source=SourceInfo(root="shop-app"), services=services)


def hostile_plan() -> DecompositionPlan:
    """Names that clash, need rewriting or try to break YAML and comments; each depends on the
    next and the last on the first, so the whole plan is one cycle."""
    count = len(HOSTILE_NAMES)
    return plan_of(
        *(
            Service(
                name=name,
                modules=(f"shop.m{index}",),
                port=9001 + index,
                depends_on=(HOSTILE_NAMES[(index + 1) % count], HOSTILE_NAMES[index - 3]),
            )
            for index, name in enumerate(HOSTILE_NAMES)
        )
    )


def twenty_plan() -> DecompositionPlan:
    """Twenty services: a layered DAG with fan-in and fan-out, plus one cycle (s07 <-> s12)."""
    services = []
    for index in range(1, 21):
        depends = {f"s{j:02d}" for j in (index + 1, index + 3, 20) if j <= 20 and j != index}
        if index == 12:
            depends.add("s07")
        services.append(
            Service(
                f"s{index:02d}", (f"app.s{index}",), 8000 + index, depends_on=tuple(sorted(depends))
            )
        )
    return plan_of(*services)


@pytest.fixture(scope="module")
def sample_monolith_plan() -> DecompositionPlan:
    analysis = analyze(SAMPLE, AnalysisSettings(jobs=1, cochange=False))
    plan, _ = propose_plan(analysis, ClusterSettings(), plan_dir=SAMPLE)
    return plan


def checked(plan: DecompositionPlan, schema: dict) -> tuple[str, dict]:
    """compose_text of `plan` after every check below; return the text and the document."""
    text = compose_text(plan)
    assert list(linter.run(text, YAMLLINT)) == []  # syntax, duplicate keys, comments
    (document,) = [d for d in yaml.safe_load_all(text) if d is not None]
    assert document == compose_document(plan)
    errors = jsonschema.Draft202012Validator(schema).iter_errors(document)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    check_references(plan, document)
    check_dropped_edges_reported(plan, text, document)
    for name, service in document["services"].items():
        check_hardening(name, service)
    return text, document


def check_references(plan: DecompositionPlan, document: dict) -> None:
    services = document["services"]
    graph = topology(plan)
    assert list(services) == sorted(node.ident for node in graph.nodes)
    assert all(is_dns_label(name) for name in services)
    # depends_on: existing services, healthy, acyclic, and every dependency but the dropped ones
    dropped = {(d.service, d.depends_on) for d in dropped_dependencies(graph)}
    start = nx.DiGraph()
    start.add_nodes_from(services)
    for name, service in services.items():
        for peer, condition in service.get("depends_on", {}).items():
            assert peer in services, (name, peer)
            assert condition == {"condition": "service_healthy"}
            start.add_edge(name, peer)
    assert nx.is_directed_acyclic_graph(start)
    expected = {(n.ident, p) for n in graph.nodes for p in n.depends_on} - dropped
    assert set(start.edges) == expected
    # peer URLs: one per dependency (dropped ones too), each an existing service and its port
    for node in graph.nodes:
        environment = services[node.ident]["environment"]
        assert environment["PORT"] == str(node.port)
        assert environment["SERVICE_NAME"] == node.ident
        urls = {k: v for k, v in environment.items() if k.endswith("_URL")}
        assert set(urls) == {runtime.peer_env_name(peer) for peer in node.depends_on}
        for value in urls.values():
            url = urlsplit(value)
            assert url.scheme == "http" and url.hostname in services, value
            assert services[url.hostname]["environment"]["PORT"] == str(url.port)
            assert str(url.port) in services[url.hostname]["expose"]
    # networks: every reference declared, every declaration used; callers share a network
    declared = document.get("networks", {})
    used = {network for service in services.values() for network in service["networks"]}
    assert used == set(declared)
    if services:
        assert declared[NETWORK_INTERNAL]["internal"] is True
        assert not declared[NETWORK_EDGE].get("internal", False)
    for name, service in services.items():
        for peer in (urlsplit(v).hostname for k, v in service["environment"].items()):
            if peer:
                assert set(service["networks"]) & set(services[peer]["networks"])
        # only entry services publish, on loopback, on a network with a route outside
        entry = name in entry_services(graph)
        port = service["environment"]["PORT"]
        assert service.get("ports", []) == ([f"127.0.0.1:{port}:{port}"] if entry else [])
        assert (NETWORK_EDGE in service["networks"]) is entry
    if services:
        assert document["x-monocut"]["entry_services"] == list(entry_services(graph))
        assert entry_services(graph)  # something is reachable from the host


def check_dropped_edges_reported(plan: DecompositionPlan, text: str, document: dict) -> None:
    graph = topology(plan)
    header = text.split("\n---\n")[0] + "\n"
    assert all(line.startswith("# ") for line in header.splitlines())
    listed = document.get("x-monocut", {}).get("dropped_depends_on", [])
    dropped = dropped_dependencies(graph)
    assert len(dropped) == len(graph.dropped_edges)  # every edge the topology dropped
    assert [(d["service"], d["depends_on"]) for d in listed] == [
        (d.service, d.depends_on) for d in dropped
    ]
    for item in listed:
        cycle = item["cycle"]
        assert cycle[0] == cycle[-1] == item["service"] and cycle[1] == item["depends_on"]
        for a, b in zip(cycle, cycle[1:], strict=False):
            assert b in graph.node(a).depends_on
        assert (
            f"# {item['service']} -> {item['depends_on']}: dropped from depends_on to break a "
            f"dependency cycle ({' -> '.join(cycle)}); start order is not guaranteed for it\n"
        ) in header


def check_hardening(name: str, service: dict) -> None:
    assert service["user"] == f"{runtime.APP_UID}:{runtime.APP_GID}"
    assert not service["user"].startswith(("0:", "root"))
    assert service["read_only"] is True
    assert [t.split(":")[0] for t in service["tmpfs"]] == ["/tmp"]
    assert {"noexec", "nosuid", "nodev"} <= set(service["tmpfs"][0].split(":")[1].split(","))
    assert service["cap_drop"] == ["ALL"] and "cap_add" not in service
    assert service["security_opt"] == ["no-new-privileges:true"]
    assert "privileged" not in service and "network_mode" not in service
    assert service["healthcheck"]["test"][0] == "CMD"
    assert service["restart"] == "unless-stopped"
    resources = service["deploy"]["resources"]
    assert resources == {"limits": LIMITS, "reservations": RESERVATIONS}
    assert {"cpus", "memory", "pids"} <= set(resources["limits"])
    assert service["env_file"] == [{"path": f"./env/{name}.env", "required": False}]
    assert not service["env_file"][0]["path"].startswith(service["build"]["context"])
    assert "profiles" not in service  # see the module docstring of generators.compose
    assert "volumes" not in service


def test_compose_file_validates_against_the_compose_spec(artifacts, plan, compose_schema) -> None:
    text, document = checked(plan, compose_schema)
    (written,) = load_documents(artifacts[1] / "docker-compose.yml")
    assert written == document  # the writer's file is the same document


def test_schema_rejects_unknown_keys(plan: DecompositionPlan, compose_schema) -> None:
    validator = jsonschema.Draft202012Validator(compose_schema)
    document = compose_document(plan)
    document["services"]["orders"]["not_a_key"] = True
    assert not validator.is_valid(document)
    document = compose_document(plan)
    document["services"]["orders"]["env_file"][0]["optional"] = True
    assert not validator.is_valid(document)
    document = compose_document(plan)
    document["x-anything"] = {"allowed": True}
    assert validator.is_valid(document)


def test_services_builds_ports_and_images(plan: DecompositionPlan) -> None:
    services = compose_document(plan)["services"]
    assert list(services) == ["billing", "catalog", "orders"]
    for name, service in services.items():
        port = plan.service(name).port
        assert service["build"] == {"context": f"./services/{name}", "dockerfile": "Dockerfile"}
        image, tag = service["image"].split(":")
        assert image == name and tag and tag != "latest"
        assert service["expose"] == [str(port)]
    # orders and billing call each other and nothing else calls them: both are entry services
    assert services["orders"]["ports"] == ["127.0.0.1:8001:8001"]
    assert services["billing"]["ports"] == ["127.0.0.1:8002:8002"]
    assert "ports" not in services["catalog"]
    assert services["catalog"]["networks"] == [NETWORK_INTERNAL]


def test_cycle_is_reported_in_the_header_and_the_extension(plan, compose_schema) -> None:
    text, document = checked(plan, compose_schema)
    assert document["x-monocut"]["dropped_depends_on"] == [
        {"service": "orders", "depends_on": "billing", "cycle": ["orders", "billing", "orders"]}
    ]
    assert (
        "# orders -> billing: dropped from depends_on to break a dependency cycle "
        "(orders -> billing -> orders); start order is not guaranteed for it\n"
    ) in text
    services = document["services"]
    assert services["orders"]["depends_on"] == {"catalog": {"condition": "service_healthy"}}
    assert services["billing"]["depends_on"] == {"orders": {"condition": "service_healthy"}}
    assert services["orders"]["environment"]["BILLING_URL"] == "http://billing:8002"


def test_peer_urls_point_at_existing_services_and_ports(plan: DecompositionPlan) -> None:
    services = compose_document(plan)["services"]
    assert services["orders"]["environment"] == {
        "PORT": "8001",
        "SERVICE_NAME": "orders",
        "BILLING_URL": "http://billing:8002",
        "CATALOG_URL": "http://catalog:8003",
    }


def test_healthcheck_and_user_match_the_dockerfile(artifacts) -> None:
    _, out = artifacts
    (document,) = load_documents(out / "docker-compose.yml")
    for name, service in document["services"].items():
        text = (out / "services" / name / "Dockerfile").read_text()
        structure = DockerfileParser(fileobj=io.BytesIO(text.encode())).structure
        (healthcheck,) = [i["value"] for i in structure if i["instruction"] == "HEALTHCHECK"]
        assert service["healthcheck"]["test"] == ["CMD", *json.loads(healthcheck.split(" CMD ")[1])]
        assert f"--interval={service['healthcheck']['interval']}" in healthcheck
        assert f"--retries={service['healthcheck']['retries']}" in healthcheck
        users = [i["value"] for i in structure if i["instruction"] == "USER"]
        assert users[-1] == service["user"]


def test_one_service(compose_schema) -> None:
    plan = plan_of(Service("api", ("app.api",), 8080))
    text, document = checked(plan, compose_schema)
    (service,) = document["services"].values()
    assert service["ports"] == ["127.0.0.1:8080:8080"]
    assert "depends_on" not in service
    assert document["x-monocut"] == {"entry_services": ["api"], "dropped_depends_on": []}
    assert "dropped from depends_on" not in text


def test_no_services_gives_an_empty_but_valid_file(compose_schema) -> None:
    text, document = checked(plan_of(), compose_schema)
    assert document == {"services": {}}
    assert text.startswith("# Generated by monocut")


def test_twenty_services(compose_schema) -> None:
    text, document = checked(twenty_plan(), compose_schema)
    services = document["services"]
    assert len(services) == 20
    assert document["x-monocut"]["entry_services"] == ["s01"]
    assert [
        (d["service"], d["depends_on"]) for d in document["x-monocut"]["dropped_depends_on"]
    ] == [("s12", "s07")]
    assert "# s12 -> s07: dropped from depends_on" in text
    assert services["s20"]["networks"] == [NETWORK_INTERNAL]


def test_hostile_names_produce_valid_files(compose_schema) -> None:
    plan = hostile_plan()
    text, document = checked(plan, compose_schema)
    services = document["services"]
    assert len(services) == len(HOSTILE_NAMES)
    labels = {service["labels"]["com.monocut.service"] for service in services.values()}
    assert labels == set(HOSTILE_NAMES)  # plan names survive exactly, as data
    header = text.split("\n---\n")[0]
    assert "\n- injected" not in header and "{{" not in header and "&anchor" not in header
    assert "injected" not in yaml.safe_load(text)  # no key smuggled in
    assert document["x-monocut"]["dropped_depends_on"]  # the plan is one big cycle
    assert document["x-monocut"]["entry_services"] == sorted(services)  # all in one cycle


def test_sample_monolith_plan(sample_monolith_plan: DecompositionPlan, compose_schema) -> None:
    text, document = checked(sample_monolith_plan, compose_schema)
    services = document["services"]
    assert set(services) == {s.name for s in sample_monolith_plan.services}
    assert document["x-monocut"]["entry_services"] == ["gateway"]
    published = [name for name, service in services.items() if "ports" in service]
    assert published == ["gateway"]
    for dropped in document["x-monocut"]["dropped_depends_on"]:
        assert f"# {dropped['service']} -> {dropped['depends_on']}: dropped" in text


def test_output_is_byte_identical_across_runs_and_service_order(compose_schema) -> None:
    plan = twenty_plan()
    text = compose_text(plan)
    assert compose_text(plan) == text
    reordered = plan_of(*reversed(plan.services))
    assert compose_text(reordered) == text
    code = (
        "import sys; sys.path.insert(0, '.'); "
        "from tests.generators.test_compose import twenty_plan, hostile_plan; "
        "from generators.compose import compose_text; "
        "sys.stdout.write(compose_text(twenty_plan()) + compose_text(hostile_plan()))"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {text + compose_text(hostile_plan())}
