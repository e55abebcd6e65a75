"""The CLI end to end: the main job on sample_monolith, every command, and the error contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import yaml

from analyzer.pipeline import AnalysisSettings, analyze
from analyzer.plan import read_plan
from monocut.cli import main
from tests import validators
from tests.trees import write_tree

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def decomposed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("decompose") / "out"
    assert main(["decompose", str(SAMPLE), "-o", str(out), "--no-cache", "--quiet"]) == 0
    return out


def test_decompose_writes_every_artifact(decomposed: Path) -> None:
    plan = read_plan(decomposed / "plan.yaml")
    for name in (
        "report.md",
        "report.json",
        "report.html",
        "docker-compose.yml",
        "k8s/base/kustomization.yaml",
    ):
        assert (decomposed / name).is_file(), name
    for service in plan.services:
        assert (decomposed / "services" / service.name / "Dockerfile").is_file()
        assert (decomposed / "k8s" / "base" / f"{service.name}.yaml").is_file()
    compose = yaml.safe_load((decomposed / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {s.name for s in plan.services}
    report = json.loads((decomposed / "report.json").read_text())
    assert report["plan"]["metrics"] == dict(plan.metrics)
    assert "## Services" in (decomposed / "report.md").read_text()


def test_decompose_is_deterministic(decomposed: Path, tmp_path: Path) -> None:
    again = tmp_path / "out"
    assert main(["decompose", str(SAMPLE), "-o", str(again), "--no-cache", "--quiet"]) == 0
    first = {
        p.relative_to(decomposed): p.read_bytes() for p in decomposed.rglob("*") if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_score_reproduces_the_plan_metrics(decomposed: Path, capsys) -> None:
    code, out, _ = run(
        ["score", str(SAMPLE), str(decomposed / "plan.yaml"), "--format", "json", "--no-cache"],
        capsys,
    )
    assert code == 0
    plan = read_plan(decomposed / "plan.yaml")
    assert json.loads(out)["metrics"] == dict(plan.metrics)


def test_score_of_an_edited_plan_changes_the_metrics(decomposed: Path, tmp_path: Path, capsys):
    data = yaml.safe_load((decomposed / "plan.yaml").read_text())
    first, second = data["services"][0], data["services"][1]
    second["modules"].append(first["modules"].pop())
    data["source"]["root"] = str(SAMPLE)
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data))
    code, out, _ = run(["score", str(SAMPLE), str(edited), "--no-cache"], capsys)
    assert code == 0
    assert "changed since the plan was written" in out


def test_score_rejects_a_plan_with_unknown_modules(decomposed: Path, tmp_path: Path, capsys):
    data = yaml.safe_load((decomposed / "plan.yaml").read_text())
    data["services"][0]["modules"].append("shop.does_not_exist")
    edited = tmp_path / "bad.yaml"
    edited.write_text(yaml.safe_dump(data))
    code, _, err = run(["score", str(SAMPLE), str(edited), "--no-cache"], capsys)
    assert code == 2
    assert "module 'shop.does_not_exist' is not in the analyzed code" in err
    assert "Traceback" not in err


def test_generate_from_a_plan(decomposed: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "gen"
    code, _, _ = run(
        ["generate", str(decomposed / "plan.yaml"), "-o", str(out), "--target", "compose"],
        capsys,
    )
    assert code == 0
    assert (out / "docker-compose.yml").read_bytes() == (
        decomposed / "docker-compose.yml"
    ).read_bytes()
    assert not (out / "k8s").exists()


def test_plan_command_writes_json_too(tmp_path: Path, capsys) -> None:
    out = tmp_path / "plan.json"
    code, _, _ = run(["plan", str(SAMPLE), "-o", str(out), "--no-cache", "-q"], capsys)
    assert code == 0
    assert read_plan(out).services


@pytest.mark.parametrize("fmt", ["json", "dot", "graphml"])
def test_analyze_formats(fmt: str, capsys) -> None:
    code, out, _ = run(["analyze", str(SAMPLE), "--format", fmt, "--no-cache"], capsys)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert len(data["modules"]) >= 40 and data["edges"]
    elif fmt == "dot":
        assert out.startswith("digraph monocut {")
    else:
        graph = nx.parse_graphml(out)
        assert graph.number_of_nodes() >= 40


def test_analyze_text_lists_unparseable_files(tmp_path: Path, capsys) -> None:
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/ok.py": "x = 1\n", "pkg/old.py": "print 'hi'\n"}
    )
    code, out, _ = run(["analyze", str(tmp_path), "--no-cache"], capsys)
    assert code == 0
    assert "pkg/old.py" in out and "Python 2" in out


def test_callgraph_json(capsys) -> None:
    code, out, _ = run(["callgraph", str(SAMPLE), "--no-cache"], capsys)
    assert code == 0
    graph = json.loads(out)
    assert any(callees for callees in graph.values())
    assert list(graph) == sorted(graph)


# A directory of loose scripts: no __init__.py anywhere, module names relative to it.
SCRIPTS = {
    "main.py": """
        import helpers
        from shapes import Square

        square = Square(2)
        print(helpers.shout(str(square.area())))
        names = sorted(["b", "a"], key=lambda n: n.upper())
    """,
    "helpers.py": """
        def shout(text):
            return text.upper() + "!"
    """,
    "shapes.py": """
        class Square:
            def __init__(self, side):
                self.side = side

            def area(self):
                return self.side * self.side
    """,
}


def test_callgraph_json_is_the_adjacency_of_the_call_graph(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, SCRIPTS)
    code, out, _ = run(["callgraph", str(tmp_path), "--no-cache"], capsys)
    assert code == 0
    calls = analyze(tmp_path, AnalysisSettings(jobs=1)).calls
    assert out == json.dumps(calls.adjacency(), indent=2, sort_keys=True) + "\n"
    graph = json.loads(out)
    assert {"main", "helpers", "shapes"} <= set(graph)
    assert {"helpers.shout", "shapes.Square.__init__", "shapes.Square.area", "main.<lambda1>"} <= (
        set(graph["main"])
    )
    assert "<builtin>.print" in graph["main"]
    assert "shapes.Square" not in graph["main"]  # an instantiation is its __init__


def test_callgraph_all_functions_adds_the_calls_of_unreached_functions(
    tmp_path: Path, capsys
) -> None:
    write_tree(
        tmp_path,
        {
            "main.py": """
                def to_json(event):
                    return repr(event)

                def to_csv(event):
                    return str(event)

                def record(event, serializer=to_json):
                    return serializer(event)

                record({}, serializer=to_csv)
            """,
        },
    )
    _, reached, _ = run(["callgraph", str(tmp_path), "--no-cache"], capsys)
    _, everything, _ = run(["callgraph", str(tmp_path), "--no-cache", "--all-functions"], capsys)
    # to_json is named (as a default) but only to_csv is ever passed in and called.
    assert "main.to_json" not in json.loads(reached)
    assert json.loads(everything)["main.to_json"] == ["<builtin>.repr"]
    assert json.loads(reached)["main.to_csv"] == ["<builtin>.str"]


def test_callgraph_dot_and_graphml_name_each_node_kind(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, SCRIPTS)
    code, dot, _ = run(["callgraph", str(tmp_path), "--format", "dot", "--no-cache"], capsys)
    assert code == 0
    assert dot.startswith("digraph callgraph {")
    for line in (
        '"main" [kind="module"];',
        '"helpers.shout" [kind="function"];',
        '"<builtin>.print" [kind="builtin"];',
        '"main" -> "helpers.shout";',
    ):
        assert line in dot
    code, graphml, _ = run(["callgraph", str(tmp_path), "-f", "graphml", "--no-cache"], capsys)
    assert code == 0
    graph = nx.parse_graphml(graphml)
    assert graph.nodes["main.<lambda1>"]["kind"] == "function"
    assert graph.nodes["<**PyStr**>.upper"]["kind"] == "builtin"
    assert graph.has_edge("main", "shapes.Square.area")


PACKAGE = {
    "shop/__init__.py": "",
    "shop/billing.py": """
        import requests

        def charge(order):
            return requests.post("https://pay.example", json=order.total())
    """,
    "shop/orders.py": """
        from shop.billing import charge

        class Order:
            def total(self):
                return 1

        def place():
            order = Order()
            charge(order)
            charge(order)
            return compute_it_somehow(order)
    """,
}


def test_callgraph_summary_text_and_json(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, PACKAGE)
    code, out, _ = run(["callgraph", str(tmp_path / "shop"), "--summary", "--no-cache"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "calls between modules: 3 calls over 2 module pairs"
    assert lines[1:3] == ["  2  shop.orders -> shop.billing", "  1  shop.billing -> shop.orders"]
    assert lines[3].startswith("call sites: ")
    assert "unknown" in lines[3] and "%" in lines[3]
    code, out, _ = run(
        ["callgraph", str(tmp_path / "shop"), "--summary", "--format", "json", "--no-cache"],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert data["modules"] == [
        {"caller": "shop.orders", "callee": "shop.billing", "calls": 2},
        {"caller": "shop.billing", "callee": "shop.orders", "calls": 1},
    ]
    sites = data["sites"]
    assert sites["internal"] >= 4 and sites["external"] >= 1 and sites["unresolved"] >= 1
    assert sites["total"] == sites["internal"] + sites["external"] + sites["unresolved"]


def test_callgraph_output_is_deterministic(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, PACKAGE)
    for fmt in ("json", "dot", "graphml"):
        first = run(["callgraph", str(tmp_path), "-f", fmt, "--no-cache"], capsys)
        second = run(["callgraph", str(tmp_path), "-f", fmt, "--no-cache", "-j", "2"], capsys)
        assert first == second


def test_callgraph_writes_a_file(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path / "src", SCRIPTS)
    target = tmp_path / "graph.dot"
    code, out, _ = run(
        ["callgraph", str(tmp_path / "src"), "-f", "dot", "-o", str(target), "--no-cache"], capsys
    )
    assert code == 0 and out == ""
    assert target.read_text().startswith("digraph callgraph {")


def test_analyze_text_counts_call_sites(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, PACKAGE)
    code, out, _ = run(["analyze", str(tmp_path), "--no-cache"], capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("call sites: "))
    assert "resolved to internal code" in line and "unknown" in line


def test_report_command(decomposed: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.md"
    code, _, _ = run(
        [
            "report",
            str(SAMPLE),
            "--plan",
            str(decomposed / "plan.yaml"),
            "-o",
            str(out),
            "--no-cache",
        ],
        capsys,
    )
    assert code == 0
    assert out.read_text().startswith("# monocut decomposition report")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "/nonexistent/path"], "does not exist"),
        (["decompose", "{sample}", "--resolution", "-3"], "resolution"),
        (["analyze", "{sample}", "--bogus-flag"], "No such option"),
        (["analyze", "{sample}", "--format", "xml"], "xml"),
        (["callgraph", "{sample}", "--format", "xml"], "xml"),
        (["callgraph", "{sample}", "--summary", "--format", "dot"], "--summary"),
        (["decompose", "{sample}", "--target", "helm"], "unknown target 'helm'"),
        (["score", "{sample}", "/nonexistent/plan.yaml"], "cannot read the plan"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str, capsys) -> None:
    code, _, err = run([a.replace("{sample}", str(SAMPLE)) for a in args], capsys)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_empty_tree_exits_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "README.txt").write_text("no python here")
    code, _, err = run(["decompose", str(tmp_path), "-o", str(tmp_path / "out")], capsys)
    assert code == 2
    assert "no Python files" in err


def test_bad_config_lists_every_problem(tmp_path: Path, capsys) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pyproject.toml": "[tool.monocut]\nseed = 'x'\nwhatever = 1\n",
        },
    )
    code, _, err = run(["analyze", str(tmp_path), "--no-cache"], capsys)
    assert code == 2
    assert "'seed' must be an integer" in err and "unknown key 'whatever'" in err
    assert "Traceback" not in err


def test_help_is_friendly(capsys) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in ("analyze", "decompose", "plan", "score", "generate", "report", "callgraph"):
        assert command in out


def test_console_script_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monocut", "analyze", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("monocut: error:")


def test_sample_artifacts_pass_the_real_validators(decomposed: Path) -> None:
    plan = read_plan(decomposed / "plan.yaml")
    dockerfiles = sorted((decomposed / "services").glob("*/Dockerfile"))
    assert len(dockerfiles) == len(plan.services)
    assert validators.hadolint_problems(dockerfiles) == []
    compose = yaml.safe_load((decomposed / "docker-compose.yml").read_text())
    assert validators.compose_problems(compose) == []
    documents = [
        doc
        for path in sorted((decomposed / "k8s" / "base").glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for doc in validators.load_documents(path)
    ]
    assert [p for doc in documents for p in validators.kubernetes_problems(doc)] == []
    assert validators.yaml_problems(decomposed) == []
    # Cross-references: selectors match pod labels; depends_on names existing services.
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    for service in (d for d in documents if d["kind"] == "Service"):
        labels = deployments[service["metadata"]["name"]]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()
    for name, entry in compose["services"].items():
        assert set(entry.get("depends_on", {})) <= set(compose["services"]) - {name}
    # Every service's modules were copied into its build context.
    for service in plan.services:
        src = decomposed / "services" / service.name / "src"
        copied = {p.relative_to(src).as_posix() for p in src.rglob("*.py")}
        for module in service.modules:
            path = module.replace(".", "/")
            assert f"{path}.py" in copied or f"{path}/__init__.py" in copied, module


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path: Path, capsys) -> None:
    source = tmp_path / "src"
    write_tree(
        source,
        {
            "app/__init__.py": "",
            "app/orders.py": "from app import billing\n\ndef order():\n    billing.charge()\n",
            "app/billing.py": "from app import orders\n\ndef charge():\n    return 1\n",
            "app/legacy.py": "print 'python 2'\n",
            "app/broken.py": "def f(:\n",
            "app/binary.py": b"x = 1\x00\n",
            "app/latin.py": b"s = '\xe9'\n",
        },
    )
    out = tmp_path / "out"
    code, _, _ = run(["decompose", str(source), "-o", str(out), "--no-cache", "-q"], capsys)
    assert code == 0
    plan = read_plan(out / "plan.yaml")
    reasons = {u.path: u.reason for u in plan.unparseable}
    assert set(reasons) == {"app/legacy.py", "app/broken.py", "app/binary.py", "app/latin.py"}
    assert "Python 2" in reasons["app/legacy.py"]
    report = (out / "report.md").read_text()
    assert all(f"`{path}`" in report for path in reasons)
    assert {"app.orders", "app.billing"} <= set(plan.modules)


def test_analyze_text_to_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "summary.txt"
    code, out, _ = run(["analyze", str(SAMPLE), "-o", str(target), "-q", "--no-cache"], capsys)
    assert code == 0 and out == ""
    assert target.read_text().startswith("75 modules")


def test_score_accepts_a_renamed_service_and_warns_about_unplaced_modules(
    decomposed: Path, tmp_path: Path, capsys
) -> None:
    data = yaml.safe_load((decomposed / "plan.yaml").read_text())
    data["source"]["root"] = str(SAMPLE)
    renamed = data["services"][1]["name"]
    data["services"][1]["name"] = "renamed"
    dropped = data["services"][0]["modules"].pop()
    assert any(renamed in s["depends_on"] for s in data["services"])
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data))
    code, out, err = run(["score", str(SAMPLE), str(edited), "--no-cache"], capsys)
    assert code == 0, err
    assert "renamed" in out
    assert f"1 modules of the code are in no service and not shared: {dropped}" in out


def test_generate_refuses_a_plan_whose_source_moved(decomposed: Path, tmp_path: Path, capsys):
    data = yaml.safe_load((decomposed / "plan.yaml").read_text())
    data["source"]["root"] = "does/not/exist"
    moved = tmp_path / "moved.yaml"
    moved.write_text(yaml.safe_dump(data))
    code, _, err = run(["generate", str(moved), "-o", str(tmp_path / "gen")], capsys)
    assert code == 2
    assert "source root" in err and "does not exist" in err
    assert not (tmp_path / "gen").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["decompose", "{sample}", "-o", "{file}"], "{file}"),
        (["plan", "{sample}", "-o", "{file}/plan.yaml"], "cannot write"),
        (["decompose", "{sample}", "-o", "{out}", "--target", ""], "no target"),
        (["decompose", "{sample}", "-o", "{out}", "--resolution", "inf"], "resolution"),
        (["decompose", "{sample}", "-o", "{out}", "--templates", "{broken}"], "template error"),
    ],
)
def test_output_and_template_problems_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a directory")
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "Dockerfile.j2").write_text("FROM {% if %}\n")
    values = {
        "{sample}": str(SAMPLE),
        "{file}": str(afile),
        "{out}": str(tmp_path / "out"),
        "{broken}": str(broken),
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    code, _, err = run([fill(a) for a in args] + ["--no-cache"], capsys)
    assert code == 2
    assert fill(message) in err
    assert "internal error" not in err and "Traceback" not in err


def test_a_second_run_does_not_analyze_its_own_output(tmp_path: Path, capsys) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE / "shop", project / "shop")
    out = project / "monocut-out"
    for _ in range(2):
        code, _, _ = run(["decompose", str(project), "-o", str(out), "--no-cache", "-q"], capsys)
        assert code == 0
    assert len(read_plan(out / "plan.yaml").modules) == 75


def test_starting_the_cli_loads_neither_the_parser_nor_scikit_learn() -> None:
    # Every command pays for what `import monocut.cli` loads; a run that finds its analysis
    # in the cache parses nothing and clusters nothing.
    code = (
        "import sys, monocut.cli; "
        "print(sorted(m for m in ('libcst', 'sklearn') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert done.stdout.strip() == "[]"
