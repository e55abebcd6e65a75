"""The CI integration files: the GitHub Action, the pre-commit hooks and the GitLab CI snippet."""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def vendored_schema(name: str) -> dict[str, Any]:
    resource = importlib.resources.files("check_jsonschema") / f"builtin_schemas/vendor/{name}"
    return json.loads(resource.read_text(encoding="utf-8"))


def schema_problems(document: Any, schema: dict[str, Any]) -> list[str]:
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", markdown, flags=re.M | re.S)


# ---------------------------------------------------------------------------- action.yml


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return load_yaml(ROOT / "action.yml")


def test_action_matches_the_github_actions_schema(action: dict[str, Any]) -> None:
    assert schema_problems(action, vendored_schema("github-actions.json")) == []


def test_the_action_schema_catches_mistakes(action: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(action))
    del broken["runs"]["steps"][1]["shell"]  # composite run steps need a shell
    broken["inputs"]["plan"]["defualt"] = "typo"
    assert len(schema_problems(broken, vendored_schema("github-actions.json"))) >= 2


def test_action_runs_check_and_uploads_sarif(action: dict[str, Any]) -> None:
    assert set(action["inputs"]) >= {"path", "plan", "baseline", "python-version"}
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    uses = [step["uses"] for step in steps if "uses" in step]
    # third-party actions pinned at least by major version
    assert all(re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", u) for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert re.search(r"monocut check \S+ --plan \S+ --baseline \S+", scripts)
    assert re.search(r"monocut report \S+ --plan \S+ --format sarif -o", scripts)
    assert re.search(r"monocut report \S+ --plan \S+ --format md", scripts)
    assert "$GITHUB_STEP_SUMMARY" in scripts
    # reports come before the gate, so they exist when it fails
    order = [step.get("run", step.get("uses", "")) for step in steps]
    assert [i for i, s in enumerate(order) if "monocut check" in s] == [len(order) - 1]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts through env, never pasted into the script text
            assert "${{" not in step["run"], step["run"]


# ---------------------------------------------------------------------------- pre-commit


@pytest.fixture(scope="module")
def hooks() -> list[dict[str, Any]]:
    return load_yaml(ROOT / ".pre-commit-hooks.yaml")


def test_pre_commit_hooks_have_the_required_keys(hooks: list[dict[str, Any]]) -> None:
    assert isinstance(hooks, list)
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
    by_id = {hook["id"]: hook for hook in hooks}
    assert len(by_id) == len(hooks)
    assert by_id["monocut-check"]["entry"] == "monocut check"
    assert by_id["monocut-score"]["entry"] == "monocut score"


def test_pre_commit_accepts_the_manifest() -> None:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed")
    from pre_commit.clientlib import load_manifest

    loaded = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert {hook["id"] for hook in loaded} == {"monocut-check", "monocut-score"}


# ---------------------------------------------------------------------------- docs/ci.md


@pytest.fixture(scope="module")
def ci_doc() -> str:
    return (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_gitlab_snippet_matches_the_gitlab_ci_schema(ci_doc: str) -> None:
    gitlab = [
        yaml.safe_load(block)
        for block in yaml_blocks(ci_doc)
        if "script" in block and "image" in block
    ]
    assert len(gitlab) == 1
    snippet = gitlab[0]
    assert schema_problems(snippet, vendored_schema("gitlab-ci.json")) == []
    job = snippet["monocut"]
    assert any(line.startswith("monocut check .") for line in job["script"])
    assert any("--format sarif" in line for line in job["script"])
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["paths"]


def test_workflow_and_pre_commit_examples_in_the_doc(ci_doc: str) -> None:
    documents = [yaml.safe_load(block) for block in yaml_blocks(ci_doc)]
    workflow = next(d for d in documents if "jobs" in d)
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    assert schema_problems(workflow, vendored_schema("github-workflows.json")) == []
    step = workflow["jobs"]["monocut"]["steps"][-1]
    action_inputs = set(load_yaml(ROOT / "action.yml")["inputs"])
    assert set(step["with"]) <= action_inputs
    config = next(d for d in documents if "repos" in d)
    hook_ids = {hook["id"] for hook in load_yaml(ROOT / ".pre-commit-hooks.yaml")}
    assert {hook["id"] for hook in config["repos"][0]["hooks"]} <= hook_ids
