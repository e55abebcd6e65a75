"""Amazon ECS (Fargate) requests, built as data.

Files (relative to OUT/ecs), three per service:

- `<ident>.task-definition.json`: a RegisterTaskDefinition request (`aws ecs
  register-task-definition --cli-input-json file://...`);
- `<ident>.service.json`: a CreateService request (`aws ecs create-service --cli-input-json`);
- `<ident>.autoscaling.json`: `{"scalable_target": ..., "scaling_policy": ...}`, a
  RegisterScalableTarget and a PutScalingPolicy request of Application Auto Scaling (one
  `--cli-input-json` each).

Services find each other through ECS Service Connect: each service publishes its named port
under its identifier, so a peer's URL is `http://<ident>:<port>`, held in the same `<PEER>_URL`
variable the Compose and Kubernetes targets set. Every container runs as the Dockerfile's
unprivileged uid with a read-only root file system (a task volume keeps /tmp writable), drops
all Linux capabilities and logs to CloudWatch through awslogs.

What only the account owner knows (account id, region, subnets, security groups) is left as an
obvious `${...}` placeholder: substitute it (envsubst, or a templating step) before applying.
The IAM roles named here must exist; the generated requests do not create them.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from analyzer.plan import DecompositionPlan

from . import runtime
from .topology import ServiceNode, Topology, image_ref, image_tag, project_name, topology

ACCOUNT_PLACEHOLDER = "${AWS_ACCOUNT_ID}"
REGION_PLACEHOLDER = "${AWS_REGION}"
SUBNET_PLACEHOLDERS = ("${SUBNET_ID_A}", "${SUBNET_ID_B}")
SECURITY_GROUP_PLACEHOLDER = "${SECURITY_GROUP_ID}"

# A valid Fargate size (0.25 vCPU may have 512, 1024 or 2048 MiB), at least what the Kubernetes
# target limits a container to (500m CPU is rounded down to the smallest Fargate step, 256 MiB up).
TASK_CPU = "256"
TASK_MEMORY = "512"
FARGATE_SIZES = {
    "256": (512, 1024, 2048),
    "512": (1024, 2048, 3072, 4096),
    "1024": tuple(range(2048, 8192 + 1, 1024)),
    "2048": tuple(range(4096, 16384 + 1, 1024)),
    "4096": tuple(range(8192, 30720 + 1, 1024)),
}

DESIRED_COUNT = 1
MIN_CAPACITY = 1
MAX_CAPACITY = 4
CPU_TARGET_PERCENT = 70.0
SCALE_OUT_COOLDOWN_S = 60
SCALE_IN_COOLDOWN_S = 300
TMP_VOLUME = "tmp"
LOG_STREAM_PREFIX = "ecs"
SCALABLE_DIMENSION = "ecs:service:DesiredCount"
CPU_METRIC = "ECSServiceAverageCPUUtilization"

ECS_NAME_MAX = 255  # cluster, family and service names
IAM_ROLE_NAME_MAX = 64
POLICY_NAME_MAX = 256
_NOT_ECS_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_ECS_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_CLUSTER_ARN = re.compile(r"^arn:aws[a-z-]*:ecs:[^:\s]+:[^:\s]+:cluster/[A-Za-z0-9_-]{1,255}$")

TASK_DEFINITION_SUFFIX = ".task-definition.json"
SERVICE_SUFFIX = ".service.json"
AUTOSCALING_SUFFIX = ".autoscaling.json"


def ecs_name(text: str, limit: int = ECS_NAME_MAX) -> str:
    """`text` as an ECS name (letters, digits, '-' and '_'), at most `limit` characters.

    A name that has to be cut keeps a short digest of the whole, so two long names that share
    a prefix stay apart.
    """
    name = _NOT_ECS_NAME.sub("-", text).strip("-") or "service"
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return name[: limit - len(digest) - 1].rstrip("-_") + "-" + digest


def check_cluster(cluster: str) -> str:
    """Return `cluster`, or raise ValueError if it is neither an ECS cluster name nor its ARN."""
    if not isinstance(cluster, str) or not (
        _ECS_NAME.match(cluster) or _CLUSTER_ARN.match(cluster)
    ):
        raise ValueError(
            f"cluster {cluster!r} is not an ECS cluster name "
            "(letters, digits, '-' and '_', at most 255 characters) or cluster ARN"
        )
    return cluster


def _cluster_name(cluster: str) -> str:
    return cluster.rsplit("/", 1)[-1]


def family(project: str, ident: str) -> str:
    """The task definition family: families are per account and region, so the project leads."""
    return ecs_name(f"{project}-{ident}")


def role_arn(project: str, purpose: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_PLACEHOLDER}:role/{ecs_name(f'{project}-{purpose}', 64)}"


def log_group(project: str, ident: str) -> str:
    return f"/ecs/{project}/{ident}"


def peer_url(ident: str, port: int) -> str:
    """A peer's base URL through its Service Connect client alias."""
    return f"http://{ident}:{port}"


def tags(ident: str, tag: str, project: str) -> list[dict[str, str]]:
    """The standard app.kubernetes.io labels of the Kubernetes target, as ECS tags."""
    labels = {
        "app.kubernetes.io/name": ident,
        "app.kubernetes.io/instance": ident,
        "app.kubernetes.io/version": tag,
        "app.kubernetes.io/component": "service",
        "app.kubernetes.io/part-of": project,
        "app.kubernetes.io/managed-by": "monocut",
    }
    return [{"key": key, "value": value} for key, value in sorted(labels.items())]


def environment(graph: Topology, node: ServiceNode) -> list[dict[str, str]]:
    """PORT, SERVICE_NAME and one `<PEER>_URL` per dependency (cyclic ones included)."""
    values = {runtime.PORT_ENV: str(node.port), "SERVICE_NAME": node.ident}
    for peer, variable in node.peer_env.items():
        values[variable] = peer_url(peer, graph.node(peer).port)
    return [{"name": name, "value": value} for name, value in sorted(values.items())]


def health_check(port: int) -> dict[str, Any]:
    """The Dockerfile's HEALTHCHECK, in ECS terms."""
    return {
        "command": ["CMD", *runtime.health_command(port)],
        "interval": runtime.HEALTH_INTERVAL_S,
        "timeout": runtime.HEALTH_TIMEOUT_S,
        "retries": runtime.HEALTH_RETRIES,
        "startPeriod": runtime.HEALTH_START_PERIOD_S,
    }


def task_definition(
    plan: DecompositionPlan,
    graph: Topology,
    node: ServiceNode,
    project: str,
    region: str,
) -> dict[str, Any]:
    container = {
        "name": node.ident,
        "image": image_ref(plan, node.ident),
        "essential": True,
        "portMappings": [
            {
                "name": runtime.PORT_NAME,
                "containerPort": node.port,
                "protocol": "tcp",
                "appProtocol": "http",
            }
        ],
        "environment": environment(graph, node),
        "healthCheck": health_check(node.port),
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group(project, node.ident),
                "awslogs-region": region,
                "awslogs-stream-prefix": LOG_STREAM_PREFIX,
            },
        },
        "readonlyRootFilesystem": True,
        "user": f"{runtime.APP_UID}:{runtime.APP_GID}",
        "linuxParameters": {"capabilities": {"drop": ["ALL"]}, "initProcessEnabled": True},
        "mountPoints": [{"sourceVolume": TMP_VOLUME, "containerPath": "/tmp", "readOnly": False}],
    }
    return {
        "family": family(project, node.ident),
        "taskRoleArn": role_arn(project, f"{node.ident}-task"),
        "executionRoleArn": role_arn(project, "ecs-task-execution"),
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "runtimePlatform": {"operatingSystemFamily": "LINUX"},
        "cpu": TASK_CPU,
        "memory": TASK_MEMORY,
        "containerDefinitions": [container],
        "volumes": [{"name": TMP_VOLUME}],
        "tags": tags(node.ident, image_tag(plan), project),
    }


def service_definition(
    plan: DecompositionPlan, node: ServiceNode, project: str, cluster: str
) -> dict[str, Any]:
    return {
        "cluster": cluster,
        "serviceName": ecs_name(node.ident),
        "taskDefinition": family(project, node.ident),
        "desiredCount": DESIRED_COUNT,
        "launchType": "FARGATE",
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": list(SUBNET_PLACEHOLDERS),
                "securityGroups": [SECURITY_GROUP_PLACEHOLDER],
                "assignPublicIp": "DISABLED",
            }
        },
        "serviceConnectConfiguration": {
            "enabled": True,
            "namespace": project,
            "services": [
                {
                    "portName": runtime.PORT_NAME,
                    "discoveryName": node.ident,
                    "clientAliases": [{"port": node.port, "dnsName": node.ident}],
                }
            ],
        },
        "enableExecuteCommand": False,
        "propagateTags": "SERVICE",
        "enableECSManagedTags": True,
        "tags": tags(node.ident, image_tag(plan), project),
    }


def autoscaling(
    plan: DecompositionPlan, node: ServiceNode, project: str, cluster: str
) -> dict[str, Any]:
    """RegisterScalableTarget and PutScalingPolicy (CPU target tracking) for the service."""
    resource_id = f"service/{_cluster_name(cluster)}/{ecs_name(node.ident)}"
    target = {
        "ServiceNamespace": "ecs",
        "ResourceId": resource_id,
        "ScalableDimension": SCALABLE_DIMENSION,
        "MinCapacity": MIN_CAPACITY,
        "MaxCapacity": MAX_CAPACITY,
        "Tags": {t["key"]: t["value"] for t in tags(node.ident, image_tag(plan), project)},
    }
    policy = {
        "PolicyName": ecs_name(f"{node.ident}-cpu-target-tracking", POLICY_NAME_MAX),
        "ServiceNamespace": "ecs",
        "ResourceId": resource_id,
        "ScalableDimension": SCALABLE_DIMENSION,
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": CPU_TARGET_PERCENT,
            "PredefinedMetricSpecification": {"PredefinedMetricType": CPU_METRIC},
            "ScaleOutCooldown": SCALE_OUT_COOLDOWN_S,
            "ScaleInCooldown": SCALE_IN_COOLDOWN_S,
            "DisableScaleIn": False,
        },
    }
    return {"scalable_target": target, "scaling_policy": policy}


def ecs_files(
    plan: DecompositionPlan,
    *,
    cluster: str | None = None,
    region_placeholder: str = REGION_PLACEHOLDER,
    project: str | None = None,
) -> dict[str, dict]:
    """File name (relative to OUT/ecs) -> its JSON document, sorted by name.

    `project` (the part-of tag, the Service Connect namespace, the prefix of task families,
    roles and log groups) defaults to the project's name, and `cluster` to the project too.
    """
    graph = topology(plan)
    project = ecs_name(project or project_name(plan))
    cluster = check_cluster(cluster or project)
    files: dict[str, dict] = {}
    for node in graph.nodes:
        files[node.ident + TASK_DEFINITION_SUFFIX] = task_definition(
            plan, graph, node, project, region_placeholder
        )
        files[node.ident + SERVICE_SUFFIX] = service_definition(plan, node, project, cluster)
        files[node.ident + AUTOSCALING_SUFFIX] = autoscaling(plan, node, project, cluster)
    return dict(sorted(files.items()))
