"""analyzer.history: plan metrics over git history, read from git objects only."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from analyzer import parse as parse_module
from analyzer.history import (
    FactsStore,
    HistoryError,
    list_commits,
    map_plan,
    module_names,
    read_blobs,
    tree_files,
    trend,
)
from analyzer.plan import DecompositionPlan, Service, SourceInfo

ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            **ENV,
            "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
            "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
        },
    ).stdout


def commit(repo: Path, files: dict[str, str | None], message: str) -> None:
    for rel, text in files.items():
        path = repo / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


PLAN = DecompositionPlan(
    source=SourceInfo(root="."),
    services=(
        Service(
            "orders",
            ("shop.orders", "shop.orders.models", "shop.orders.service", "shop.orders.legacy"),
            8001,
        ),
        Service("billing", ("shop.billing", "shop.billing.invoice", "shop.billing.service"), 8002),
    ),
)


def build_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(
        repo,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": "class Order:\n    pass\n",
            "shop/orders/service.py": "from shop.orders.models import Order\n\n\n"
            "def place():\n    return Order()\n",
            "shop/orders/legacy.py": "def old():\n    return 1\n",
            "shop/billing/__init__.py": "",
            "shop/billing/invoice.py": "class Invoice:\n    pass\n",
            "shop/billing/service.py": "from shop.billing.invoice import Invoice\n\n\n"
            "def bill():\n    return Invoice()\n",
        },
        "first",
    )
    commit(
        repo,
        {
            "shop/billing/service.py": "from shop.billing.invoice import Invoice\n"
            "from shop.orders.service import place\n\n\n"
            "def bill():\n    place()\n    return Invoice()\n"
        },
        "billing calls orders",
    )
    commit(
        repo,
        {
            "shop/billing/tax.py": "from shop.billing.invoice import Invoice\n\n\n"
            "def tax():\n    return Invoice()\n"
        },
        "add tax",
    )
    commit(repo, {"shop/orders/legacy.py": None}, "remove legacy")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path)


def snapshot(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[str(path.relative_to(root)) + "/"] = ""
    return found


def test_commits_oldest_first(repo: Path) -> None:
    commits = list_commits(repo, commits=20)
    assert [c.subject for c in commits] == [
        "first",
        "billing calls orders",
        "add tax",
        "remove legacy",
    ]
    assert list_commits(repo, commits=2)[0].subject == "add tax"
    assert commits[0].date.startswith("2024-01-01")


def test_tree_files_and_blobs(repo: Path) -> None:
    head = list_commits(repo, commits=1)[0].commit
    files = tree_files(repo, head)
    assert "shop/billing/tax.py" in files and "shop/orders/legacy.py" not in files
    blobs = read_blobs(repo, files.values())
    assert blobs[files["shop/orders/models.py"]] == b"class Order:\n    pass\n"
    # from a subdirectory: paths relative to it
    sub = tree_files(repo / "shop", head)
    assert "billing/tax.py" in sub and "shop/billing/tax.py" not in sub


def test_module_names() -> None:
    names = module_names(["shop/__init__.py", "shop/a.py", "tests/test_a.py", "my-x.py"])
    assert names == {"shop/__init__.py": ("shop", True), "shop/a.py": ("shop.a", False)}
    src = module_names(["src/pkg/__init__.py", "src/pkg/m.py", "setup.py"])
    assert {m for m, _ in src.values()} == {"pkg", "pkg.m"}


def test_map_plan_new_module_goes_to_package_service() -> None:
    partition = map_plan(PLAN, ["shop", "shop.billing.tax", "shop.orders.models", "other.x"])
    assert partition == {
        "shop": "orders",  # its package holds 4 modules of orders, 3 of billing
        "shop.billing.tax": "billing",
        "shop.orders.models": "orders",
        "other.x": "unassigned",
    }


def test_trend_metrics_change_with_history(repo: Path) -> None:
    before = snapshot(repo)
    points = trend(repo, PLAN, commits=10)
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    first, crossing, added, removed = points
    assert first.cross_service_dependencies == 0 and first.icp == 0.0
    assert crossing.cross_service_dependencies == 1 and crossing.icp > 0.0
    assert crossing.service_coupling["billing"] > 0.0
    assert crossing.service_coupling["orders"] == 0.0
    # the new module is billing's: no new crossing, ICP falls
    assert added.modules == first.modules + 1
    assert added.cross_service_dependencies == 1 and added.icp < crossing.icp
    # the deleted module is simply skipped
    assert removed.modules == added.modules - 1
    assert removed.icp == added.icp


def test_each_blob_is_parsed_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = parse_module.parse_source

    def counting(source, data):  # type: ignore[no-untyped-def]
        calls.append(source.relpath)
        return real(source, data)

    monkeypatch.setattr(parse_module, "parse_source", counting)  # history imports it late
    store = FactsStore()
    trend(repo, PLAN, commits=10, store=store)
    # 8 files in the first commit, 1 changed, 1 added, nothing new from the deletion
    assert len(calls) == len(set(calls)) + 1 == 10
    assert store.parsed == 10


def test_facts_cache_is_used_across_runs(repo: Path, tmp_path: Path) -> None:
    from analyzer.cache import FactsCache

    with FactsCache(tmp_path / "cache") as cache:
        trend(repo, PLAN, commits=10, store=FactsStore(cache))
    with FactsCache(tmp_path / "cache") as cache:
        store = FactsStore(cache)
        again = trend(repo, PLAN, commits=10, store=store)
    assert store.parsed == 0 and store.cache_hits == 10
    assert again == trend(repo, PLAN, commits=10)


def test_not_a_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(HistoryError, match="not inside a git repository") as info:
        list_commits(plain, commits=5)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def separate_metrics(repo: Path, commit_hash: str, work: Path) -> tuple[float, int, dict, int]:
    """The plan's metrics on one commit the slow way: `git archive` it, analyze it fully."""
    import io
    import tarfile

    from analyzer.metrics import icp, service_coupling, service_cycles, service_dependency_graph
    from analyzer.pipeline import AnalysisSettings, analyze

    data = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", commit_hash],
        check=True,
        capture_output=True,
    ).stdout
    tree = work / commit_hash
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(tree, filter="data")
    analysis = analyze(tree, AnalysisSettings(jobs=1, cochange=False))
    partition = map_plan(PLAN, analysis.modules)
    graph = analysis.dependencies
    sdg = service_dependency_graph(graph, partition)
    return (
        round(icp(graph, partition), 4) + 0.0,
        sum(int(d.get("edges", 0)) for _, _, d in sdg.edges(data=True)),
        {s: round(v, 4) + 0.0 for s, v in service_coupling(graph, partition).items()},
        len(service_cycles(graph, partition)),
    )


def test_trend_matches_a_separate_analysis_of_every_commit(repo: Path, tmp_path: Path) -> None:
    # orders starts calling billing (a service cycle), then stops again
    commit(
        repo,
        {
            "shop/orders/service.py": "from shop.orders.models import Order\n"
            "from shop.billing.invoice import Invoice\n\n\n"
            "def place():\n    Invoice()\n    return Order()\n"
        },
        "orders calls billing",
    )
    commit(
        repo,
        {
            "shop/orders/service.py": "from shop.orders.models import Order\n\n\n"
            "def place():\n    return Order()\n"
        },
        "orders stops calling billing",
    )
    points = trend(repo, PLAN, commits=10)
    assert [p.service_cycles for p in points] == [0, 0, 0, 0, 1, 0]
    assert points[4].cross_service_dependencies == 2
    for point in points:
        ours = (
            point.icp,
            point.cross_service_dependencies,
            dict(point.service_coupling),
            point.service_cycles,
        )
        assert ours == separate_metrics(repo, point.commit, tmp_path / "trees"), point.subject


def test_trend_skips_large_and_generated_blobs_as_analysis_does(repo: Path) -> None:
    from analyzer.collect import FileLimits

    commit(
        repo,
        {
            "shop/orders/schema_pb2.py": "from shop.billing.invoice import Invoice\n",
            "shop/orders/table.py": "# @generated by tools/make_table.py\n"
            "from shop.billing.invoice import Invoice\n",
        },
        "generated code",
    )
    store = FactsStore()
    last = trend(repo, PLAN, commits=1, store=store)[-1]
    assert last.cross_service_dependencies == 1  # neither generated module is read
    assert store.parsed == 8
    everything = FactsStore(limits=FileLimits(max_bytes=None, include_generated=True))
    last = trend(repo, PLAN, commits=1, store=everything)[-1]
    assert last.cross_service_dependencies == 3  # both now import billing from orders
    small = FactsStore(limits=FileLimits(max_bytes=20, include_generated=True))
    assert trend(repo, PLAN, commits=1, store=small)[-1].modules < last.modules
