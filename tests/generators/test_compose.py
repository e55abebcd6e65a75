"""docker-compose.yml: the compose-spec schema, references between services, no start-up cycle."""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import jsonschema
import networkx as nx
from dockerfile_parse import DockerfileParser

from analyzer.plan import DecompositionPlan
from generators.compose import compose_document
from tests.validators import load_documents


def test_compose_file_validates_against_the_compose_spec(artifacts, plan, compose_schema) -> None:
    document = compose_document_of(artifacts)
    jsonschema.validate(document, compose_schema)
    assert document == compose_document(plan)


def compose_document_of(artifacts) -> dict:
    (document,) = load_documents(artifacts[1] / "docker-compose.yml")
    return document


def test_schema_rejects_unknown_keys(plan: DecompositionPlan, compose_schema) -> None:
    document = compose_document(plan)
    document["services"]["orders"]["not_a_key"] = True
    validator = jsonschema.Draft202012Validator(compose_schema)
    assert not validator.is_valid(document)


def test_services_builds_ports_and_images(plan: DecompositionPlan) -> None:
    services = compose_document(plan)["services"]
    assert list(services) == ["billing", "catalog", "orders"]
    for name, service in services.items():
        port = plan.service(name).port
        assert service["build"] == {"context": f"./services/{name}", "dockerfile": "Dockerfile"}
        image, tag = service["image"].split(":")
        assert image == name and tag and tag != "latest"
        assert service["ports"] == [f"{port}:{port}"]
        assert service["environment"]["PORT"] == str(port)
        assert service["read_only"] is True
        assert "no-new-privileges:true" in service["security_opt"]
        assert service["restart"] == "unless-stopped"


def test_depends_on_names_existing_services_and_has_no_cycle(plan: DecompositionPlan) -> None:
    services = compose_document(plan)["services"]
    graph = nx.DiGraph()
    graph.add_nodes_from(services)
    for name, service in services.items():
        for peer, condition in service.get("depends_on", {}).items():
            assert peer in services
            assert condition == {"condition": "service_healthy"}
            graph.add_edge(name, peer)
    assert nx.is_directed_acyclic_graph(graph)
    # orders -> billing closes the cycle billing -> orders and is the edge left out
    assert set(graph.edges) == {("orders", "catalog"), ("billing", "orders")}


def test_peer_urls_point_at_existing_services_and_ports(plan: DecompositionPlan) -> None:
    services = compose_document(plan)["services"]
    orders = services["orders"]["environment"]
    assert orders == {
        "PORT": "8001",
        "BILLING_URL": "http://billing:8002",
        "CATALOG_URL": "http://catalog:8003",
    }
    for service in services.values():
        for key, value in service["environment"].items():
            if key.endswith("_URL"):
                url = urlsplit(value)
                assert url.hostname in services
                assert services[url.hostname]["ports"] == [f"{url.port}:{url.port}"]


def test_healthcheck_matches_the_dockerfile(artifacts) -> None:
    _, out = artifacts
    services = compose_document_of(artifacts)["services"]
    for name, service in services.items():
        text = (out / "services" / name / "Dockerfile").read_text()
        structure = DockerfileParser(fileobj=io.BytesIO(text.encode())).structure
        (healthcheck,) = [i["value"] for i in structure if i["instruction"] == "HEALTHCHECK"]
        assert service["healthcheck"]["test"] == ["CMD", *json.loads(healthcheck.split(" CMD ")[1])]
        assert f"--interval={service['healthcheck']['interval']}" in healthcheck
        assert f"--retries={service['healthcheck']['retries']}" in healthcheck
