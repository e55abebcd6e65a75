"""Amazon ECS requests: the ECS and Application Auto Scaling API shapes (botocore, offline),
ECS naming rules, references between the documents, hardening, and determinism."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest
from botocore.model import OperationModel, Shape
from botocore.validate import ParamValidator

from analyzer.pipeline import AnalysisSettings, analyze
from analyzer.plan import DecompositionPlan, Service, SourceInfo
from analyzer.planning import propose_plan
from generators import docker, runtime
from generators.compose import compose_document
from generators.ecs import (
    AUTOSCALING_SUFFIX,
    FARGATE_SIZES,
    SERVICE_SUFFIX,
    TASK_DEFINITION_SUFFIX,
    check_cluster,
    ecs_files,
    ecs_name,
)
from generators.rendering import template_environment
from generators.topology import image_ref, topology

from .conftest import sample_plan

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"

ECS_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
PORT_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,63}$")
DISCOVERY_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")
LOG_GROUP = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
IAM_ROLE_ARN = re.compile(r"^arn:aws:iam::\$\{AWS_ACCOUNT_ID\}:role/([\w+=,.@-]{1,64})$")
TAG_TEXT = re.compile(r"^[\w .:/=+\-@]*$")
PLACEHOLDER = re.compile(r"^\$\{[A-Z_]+\}$")


# --- plans -----------------------------------------------------------------------------------


def plan_of(*services: Service, root: str = "shop-app") -> DecompositionPlan:
    return DecompositionPlan(source=SourceInfo(root=root), services=services)


def one_service() -> DecompositionPlan:
    return plan_of(Service("solo", ("solo",), 8080))


def twenty_services() -> DecompositionPlan:
    names = [f"svc-{i:02d}" for i in range(20)]
    return plan_of(
        *(
            Service(
                name, (name.replace("-", "_"),), 9000 + i, depends_on=tuple(names[i + 1 : i + 3])
            )
            for i, name in enumerate(names)
        )
    )


def cycle() -> DecompositionPlan:
    return plan_of(
        Service("a", ("a",), 8001, depends_on=("b",)),
        Service("b", ("b",), 8002, depends_on=("c",)),
        Service("c", ("c",), 8003, depends_on=("a",)),
    )


HOSTILE_NAMES = (
    "Orders",
    "orders",
    "123",
    'evil"name: {{x}}\n&a *b',
    "",
    "x" * 100,
    "x" * 100 + "!",
    "../../etc/passwd",
    "a b; rm -rf / #",
    "Ünïcödé_sërvice",
    "${AWS_ACCOUNT_ID}",
)


def hostile() -> DecompositionPlan:
    services = [
        Service(
            name, (f"m{i}",), 8100 + i, depends_on=(HOSTILE_NAMES[(i + 1) % len(HOSTILE_NAMES)],)
        )
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    return plan_of(*services, root='../we ird/$(touch x)"; DROP')


@pytest.fixture(scope="module")
def sample_monolith_plan(tmp_path_factory: pytest.TempPathFactory) -> DecompositionPlan:
    analysis = analyze(SAMPLE, AnalysisSettings(jobs=1))
    plan, _ = propose_plan(analysis, plan_dir=tmp_path_factory.mktemp("plan"))
    return plan


SYNTHETIC = {
    "shop": sample_plan,
    "one": one_service,
    "twenty": twenty_services,
    "cycle": cycle,
    "hostile": hostile,
}


@pytest.fixture(params=["sample_monolith", *SYNTHETIC])
def any_plan(request: pytest.FixtureRequest) -> DecompositionPlan:
    if request.param == "sample_monolith":
        return request.getfixturevalue("sample_monolith_plan")
    return SYNTHETIC[request.param]()


# --- validation against the API's own request shapes -----------------------------------------


@pytest.fixture(scope="module")
def operations() -> dict[str, OperationModel]:
    session = botocore.session.get_session()
    ecs = session.get_service_model("ecs")
    scaling = session.get_service_model("application-autoscaling")
    return {
        "RegisterTaskDefinition": ecs.operation_model("RegisterTaskDefinition"),
        "CreateService": ecs.operation_model("CreateService"),
        "RegisterScalableTarget": scaling.operation_model("RegisterScalableTarget"),
        "PutScalingPolicy": scaling.operation_model("PutScalingPolicy"),
    }


def beyond_botocore(params: Any, shape: Shape, path: str = "") -> list[str]:
    """What ParamValidator leaves out: enum values and maximum lengths and values."""
    errors: list[str] = []
    maximum = shape.metadata.get("max")
    if shape.type_name == "structure":
        for key, value in params.items():
            errors += beyond_botocore(value, shape.members[key], f"{path}.{key}")
    elif shape.type_name == "list":
        if maximum is not None and len(params) > maximum:
            errors.append(f"{path}: more than {maximum} items")
        for index, item in enumerate(params):
            errors += beyond_botocore(item, shape.member, f"{path}[{index}]")
    elif shape.type_name == "map":
        for key, value in params.items():
            errors += beyond_botocore(key, shape.key, f"{path}<key>")
            errors += beyond_botocore(value, shape.value, f"{path}.{key}")
    elif shape.type_name == "string":
        if shape.enum and params not in shape.enum:
            errors.append(f"{path}: {params!r} is not one of {shape.enum}")
        if maximum is not None and len(params) > maximum:
            errors.append(f"{path}: longer than {maximum}")
    elif shape.type_name in {"integer", "long", "double", "float"} and maximum is not None:
        errors += [f"{path}: above {maximum}"] if params > maximum else []
    return errors


def assert_valid(params: dict, operation: OperationModel, where: str) -> None:
    report = ParamValidator().validate(params, operation.input_shape)
    assert not report.has_errors(), f"{where} ({operation.name}):\n{report.generate_report()}"
    extra = beyond_botocore(params, operation.input_shape)
    assert not extra, f"{where} ({operation.name}): {extra}"


def documents(files: dict[str, dict], suffix: str) -> dict[str, dict]:
    return {name.removesuffix(suffix): doc for name, doc in files.items() if name.endswith(suffix)}


def test_every_document_validates_against_the_api_shapes(any_plan, operations) -> None:
    files = ecs_files(any_plan)
    idents = [node.ident for node in topology(any_plan).nodes]
    assert sorted(files) == sorted(
        ident + suffix
        for ident in idents
        for suffix in (TASK_DEFINITION_SUFFIX, SERVICE_SUFFIX, AUTOSCALING_SUFFIX)
    )
    for name, document in files.items():
        if name.endswith(TASK_DEFINITION_SUFFIX):
            assert_valid(document, operations["RegisterTaskDefinition"], name)
        elif name.endswith(SERVICE_SUFFIX):
            assert_valid(document, operations["CreateService"], name)
        else:
            assert set(document) == {"scalable_target", "scaling_policy"}
            assert_valid(document["scalable_target"], operations["RegisterScalableTarget"], name)
            assert_valid(document["scaling_policy"], operations["PutScalingPolicy"], name)


def test_validation_is_really_checking(operations) -> None:
    task = ecs_files(one_service())["solo.task-definition.json"]
    broken = json.loads(json.dumps(task))
    broken["cpu"] = 256  # a number where the API wants a string
    broken["containerDefinitions"][0]["notAField"] = True
    del broken["family"]
    report = ParamValidator().validate(broken, operations["RegisterTaskDefinition"].input_shape)
    text = report.generate_report()
    assert "cpu" in text and "notAField" in text and "family" in text
    broken = json.loads(json.dumps(task))
    broken["networkMode"] = "bridged"
    assert beyond_botocore(broken, operations["RegisterTaskDefinition"].input_shape)


# --- ECS naming rules and placeholders -------------------------------------------------------


def test_names_follow_ecs_rules(any_plan) -> None:
    files = ecs_files(any_plan)
    for ident, task in documents(files, TASK_DEFINITION_SUFFIX).items():
        assert ECS_NAME.match(task["family"]), task["family"]
        assert task["cpu"] in FARGATE_SIZES and int(task["memory"]) in FARGATE_SIZES[task["cpu"]]
        (container,) = task["containerDefinitions"]
        assert ECS_NAME.match(container["name"]) and container["name"] == ident
        for mapping in container["portMappings"]:
            assert PORT_NAME.match(mapping["name"])
        assert LOG_GROUP.match(container["logConfiguration"]["options"]["awslogs-group"])
        for arn in (task["taskRoleArn"], task["executionRoleArn"]):
            assert IAM_ROLE_ARN.match(arn), arn
        for tag in task["tags"]:
            assert 1 <= len(tag["key"]) <= 128 and len(tag["value"]) <= 256
            assert TAG_TEXT.match(tag["key"]) and TAG_TEXT.match(tag["value"]), tag
            assert not tag["key"].lower().startswith("aws:")
    for service in documents(files, SERVICE_SUFFIX).values():
        assert ECS_NAME.match(service["serviceName"]) and ECS_NAME.match(service["cluster"])
        for entry in service["serviceConnectConfiguration"]["services"]:
            assert DISCOVERY_NAME.match(entry["discoveryName"])
            for alias in entry["clientAliases"]:
                assert DISCOVERY_NAME.match(alias["dnsName"])
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        for value in network["subnets"] + network["securityGroups"]:
            assert PLACEHOLDER.match(value), value


def test_ecs_name_sanitizes_and_bounds() -> None:
    assert ecs_name("a.b/c d") == "a-b-c-d"
    assert ecs_name("!!!") == "service"
    long = ecs_name("x" * 300)
    assert len(long) == 255 and ECS_NAME.match(long)
    assert ecs_name("x" * 300) != ecs_name("x" * 301)
    assert len(ecs_name("r" * 80, 64)) == 64


def test_cluster_and_region_options() -> None:
    files = ecs_files(sample_plan(), cluster="prod_cluster-1", region_placeholder="eu-west-1")
    assert files["orders.service.json"]["cluster"] == "prod_cluster-1"
    target = files["orders.autoscaling.json"]["scalable_target"]
    assert target["ResourceId"] == "service/prod_cluster-1/orders"
    options = files["orders.task-definition.json"]["containerDefinitions"][0]["logConfiguration"]
    assert options["options"]["awslogs-region"] == "eu-west-1"
    arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"
    files = ecs_files(sample_plan(), cluster=arn)
    assert files["orders.service.json"]["cluster"] == arn
    assert files["orders.autoscaling.json"]["scaling_policy"]["ResourceId"] == "service/prod/orders"
    for bad in ("has space", "a/b", "x" * 256, 'q"; rm'):
        with pytest.raises(ValueError, match="cluster"):
            check_cluster(bad)
        with pytest.raises(ValueError, match="cluster"):
            ecs_files(sample_plan(), cluster=bad)


def test_defaults_name_the_project_and_keep_placeholders() -> None:
    files = ecs_files(sample_plan())
    service = files["orders.service.json"]
    assert service["cluster"] == "shop-app"
    assert service["serviceConnectConfiguration"]["namespace"] == "shop-app"
    task = files["orders.task-definition.json"]
    assert task["family"] == "shop-app-orders"
    options = task["containerDefinitions"][0]["logConfiguration"]["options"]
    assert options == {
        "awslogs-group": "/ecs/shop-app/orders",
        "awslogs-region": "${AWS_REGION}",
        "awslogs-stream-prefix": "ecs",
    }
    assert "${AWS_ACCOUNT_ID}" in task["executionRoleArn"]
    assert task["taskRoleArn"] != task["executionRoleArn"]
    hostile_project = ecs_files(hostile())
    for document in documents(hostile_project, SERVICE_SUFFIX).values():
        assert ECS_NAME.match(document["cluster"])


# --- references between documents ------------------------------------------------------------


def test_cross_references_hold(any_plan) -> None:
    files = ecs_files(any_plan, cluster="main")
    graph = topology(any_plan)
    tasks = documents(files, TASK_DEFINITION_SUFFIX)
    services = documents(files, SERVICE_SUFFIX)
    scaling = documents(files, AUTOSCALING_SUFFIX)
    assert set(tasks) == set(services) == set(scaling) == {n.ident for n in graph.nodes}
    # what each service publishes through Service Connect: dns name -> port
    published: dict[str, int] = {}
    for ident, service in services.items():
        task = tasks[ident]
        (container,) = task["containerDefinitions"]
        assert service["taskDefinition"] == task["family"]
        assert service["serviceName"] == ident
        assert container["image"] == image_ref(any_plan, ident)
        port_names = {m["name"]: m["containerPort"] for m in container["portMappings"]}
        (entry,) = service["serviceConnectConfiguration"]["services"]
        assert entry["portName"] in port_names
        assert entry["discoveryName"] == ident
        for alias in entry["clientAliases"]:
            assert alias["port"] == port_names[entry["portName"]] == graph.node(ident).port
            published[alias["dnsName"]] = alias["port"]
        volumes = {v["name"] for v in task["volumes"]}
        assert {m["sourceVolume"] for m in container["mountPoints"]} <= volumes
        resource = f"service/{service['cluster']}/{service['serviceName']}"
        for request in scaling[ident].values():
            assert request["ResourceId"] == resource
            assert request["ServiceNamespace"] == "ecs"
            assert request["ScalableDimension"] == "ecs:service:DesiredCount"
        policy = scaling[ident]["scaling_policy"]["TargetTrackingScalingPolicyConfiguration"]
        metric = policy["PredefinedMetricSpecification"]["PredefinedMetricType"]
        assert metric == "ECSServiceAverageCPUUtilization"
    for ident, task in tasks.items():
        node = graph.node(ident)
        env = {e["name"]: e["value"] for e in task["containerDefinitions"][0]["environment"]}
        assert env[runtime.PORT_ENV] == str(node.port)
        assert env["SERVICE_NAME"] == ident
        peers = {k: v for k, v in env.items() if k.endswith("_URL")}
        assert set(peers) == {runtime.peer_env_name(p) for p in node.depends_on}
        for variable, url in peers.items():
            parts = urlsplit(url)
            assert parts.scheme == "http" and parts.path == ""
            assert parts.hostname in published, url
            assert parts.port == published[parts.hostname]
            assert variable == runtime.peer_env_name(parts.hostname)


def test_environment_agrees_with_compose(any_plan) -> None:
    compose = compose_document(any_plan)["services"]
    for ident, task in documents(ecs_files(any_plan), TASK_DEFINITION_SUFFIX).items():
        env = {e["name"]: e["value"] for e in task["containerDefinitions"][0]["environment"]}
        assert env == compose[ident]["environment"]


def test_cycle_keeps_every_peer_url() -> None:
    files = ecs_files(cycle())
    expected = {"a": ("B_URL", 8002), "b": ("C_URL", 8003), "c": ("A_URL", 8001)}
    for ident, (variable, port) in expected.items():
        env = files[f"{ident}.task-definition.json"]["containerDefinitions"][0]["environment"]
        assert {"name": variable, "value": f"http://{variable[0].lower()}:{port}"} in env


# --- hardening -------------------------------------------------------------------------------


def dockerfile_user_and_healthcheck(plan: DecompositionPlan, service: Service) -> tuple[str, list]:
    text = docker.dockerfile(plan, service, template_environment())
    final = text.split("\nFROM ")[-1]
    users = [line.split(None, 1)[1] for line in final.splitlines() if line.startswith("USER ")]
    (healthcheck,) = [line for line in final.splitlines() if line.startswith("HEALTHCHECK ")]
    return users[-1], json.loads(healthcheck.split(" CMD ", 1)[1])


def test_containers_are_hardened(any_plan) -> None:
    files = ecs_files(any_plan)
    graph = topology(any_plan)
    for ident, task in documents(files, TASK_DEFINITION_SUFFIX).items():
        assert task["networkMode"] == "awsvpc"
        assert task["requiresCompatibilities"] == ["FARGATE"]
        (container,) = task["containerDefinitions"]
        assert container["essential"] is True
        assert container["readonlyRootFilesystem"] is True
        uid, _, gid = container["user"].partition(":")
        assert uid.isdigit() and int(uid) != 0 and gid.isdigit() and int(gid) != 0
        assert container["linuxParameters"]["capabilities"]["drop"] == ["ALL"]
        assert "add" not in container["linuxParameters"]["capabilities"]
        assert not container.get("privileged")
        assert "secrets" not in container and "environmentFiles" not in container
        # the environment holds the port, the name and peer URLs, nothing else: no credentials
        env = {e["name"]: e["value"] for e in container["environment"]}
        peers = {runtime.peer_env_name(p) for p in graph.node(ident).depends_on}
        assert set(env) == {runtime.PORT_ENV, "SERVICE_NAME", *peers}
        for variable in peers:
            parts = urlsplit(env[variable])
            assert parts.username is None and parts.password is None and not parts.query
        assert container["logConfiguration"]["logDriver"] == "awslogs"
        health = container["healthCheck"]
        assert health["command"][0] == "CMD"
        assert health["command"][1:] == runtime.health_command(graph.node(ident).port)
        assert 5 <= health["interval"] <= 300 and 2 <= health["timeout"] <= 60
        assert 1 <= health["retries"] <= 10 and 0 <= health["startPeriod"] <= 300
        assert {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False} in container[
            "mountPoints"
        ]
        assert ":" in container["image"] and not container["image"].endswith(":latest")
    for service in documents(files, SERVICE_SUFFIX).values():
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert network["assignPublicIp"] == "DISABLED"
        assert service["enableExecuteCommand"] is False
        breaker = service["deploymentConfiguration"]["deploymentCircuitBreaker"]
        assert breaker == {"enable": True, "rollback": True}
        assert service["launchType"] == "FARGATE" and service["propagateTags"] == "SERVICE"


def test_user_and_healthcheck_match_the_dockerfile() -> None:
    plan = sample_plan()
    files = ecs_files(plan)
    graph = topology(plan)
    for service in plan.services:
        ident = graph.node_for(service).ident
        (container,) = files[f"{ident}.task-definition.json"]["containerDefinitions"]
        user, healthcheck = dockerfile_user_and_healthcheck(plan, service)
        assert container["user"] == user
        assert container["healthCheck"]["command"][1:] == healthcheck


# --- determinism -----------------------------------------------------------------------------


def dump(files: dict[str, dict]) -> str:
    return json.dumps(files, sort_keys=True, indent=2, ensure_ascii=True)


def test_output_is_byte_identical_across_runs(any_plan) -> None:
    first = dump(ecs_files(any_plan))
    assert dump(ecs_files(any_plan)) == first
    assert list(ecs_files(any_plan)) == sorted(ecs_files(any_plan))
    graph = topology(any_plan)
    if all(graph.node_for(s).ident == s.name for s in any_plan.services):
        # renamed services may swap names when reordered; the others must not care
        reordered = dataclasses.replace(any_plan, services=tuple(reversed(any_plan.services)))
        assert dump(ecs_files(reordered)) == first
