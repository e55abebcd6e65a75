"""How well monocut recovers the business domains of real Django monoliths.

    python benchmarks/domain_quality.py [--corpus NAME ...] [--cache-dir DIR] [--work-dir DIR]
                                        [--json FILE] [-- EXTRA MONOCUT PLAN ARGS]

Each corpus is a pinned PyPI distribution of a Django project (default: django-oscar 3.2.5
and wagtail 6.3.1, which the issue names, and misago 0.39.1 and weblate 5.8.4, held out: they
were only measured, never used to choose monocut's defaults). Its wheel is downloaded once
(`pip download --no-deps --only-binary :all:`)
into the cache directory and unpacked there; after that no network is used. The project's own
Django apps are the authoritative decomposition: a module belongs to the innermost package
(directory) holding an `apps.py`. Modules in no app are left out of the scores (their number is
printed), and so are modules without a line of code (empty `__init__.py` files: nothing in
them says where they belong). The scored modules are those of monocut's plan (so tests and
migrations are excluded as monocut excludes them) that lie in an app.

Rows, per corpus, each timed (wall clock):

- `monocut plan --ignore-layout` and `monocut plan` (default mode), run through the installed
  CLI with `--no-cache`; the plan's services are the clusters and its shared library counts as
  ONE extra cluster ("shared"), since a shared module is neither left out nor a service of its
  own. Their modularity, TurboMQ, ICP and largest share are the plan's own (`metrics:`).
- Louvain on the bare import graph (networkx `louvain_communities`, seed 42, resolution 1.0,
  undirected, unweighted) over the same modules, built with `analyzer.pipeline.analyze`.
- Reference baselines: everything in one cluster; a random partition with the true cluster
  size profile (seed 42; modules outside the apps get a random app label, for the graph
  metrics only); and the Django apps themselves (modules outside the apps as one cluster).
  Their graph metrics, like Louvain's, come from `analyzer.metrics` on `analysis.dependencies`.

Scores (analyzer.partition_quality): exact MoJoFM (maximum bipartite matching), adjusted Rand
index and NMI against the apps. Targets, for --ignore-layout: MoJoFM >= 70 and ARI >= 0.4, and
ARI at least 0.2 above the Louvain baseline's. Arguments after `--` are passed to both
`monocut plan` runs (for example `-- --resolution 2`). Plans are kept in --work-dir (default: a
new temporary directory, printed). A report: exits 0 whatever the scores (2 on a usage error).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from analyzer import metrics
from analyzer.partition_quality import compare_partitions
from analyzer.pipeline import AnalysisSettings, analyze

SEED = 42
TARGET_MOJOFM = 70.0
TARGET_ARI = 0.4
TARGET_ARI_OVER_BASELINE = 0.2
SHARED = "shared"
OUTSIDE_APPS = "(outside apps)"
IGNORE_LAYOUT = "monocut --ignore-layout"
DEFAULT_MODE = "monocut (default mode)"
LOUVAIN = "louvain import graph"


@dataclass(frozen=True)
class Corpus:
    """A pinned PyPI distribution and the top-level package of it to analyze."""

    name: str
    spec: str  # pip requirement, pinned with ==
    package: str

    @property
    def version(self) -> str:
        return self.spec.split("==", 1)[1]

    @property
    def distribution(self) -> str:
        return self.spec.split("==", 1)[0]


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus("oscar", "django-oscar==3.2.5", "oscar"),
        Corpus("wagtail", "wagtail==6.3.1", "wagtail"),
        # held out: never looked at while choosing monocut's defaults
        Corpus("misago", "misago==0.39.1", "misago"),
        Corpus("weblate", "weblate==5.8.4", "weblate"),
    )
}


@dataclass
class Row:
    """One method's partition and numbers on one corpus."""

    method: str
    k: int | None = None
    mojofm: float | None = None
    ari: float | None = None
    nmi: float | None = None
    mojo: int | None = None
    modularity: float | None = None
    turbo_mq: float | None = None
    icp: float | None = None
    largest_share: float | None = None
    seconds: float | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# corpora


def parse_corpus(text: str) -> Corpus:
    """A corpus from the table by name, or `NAME=DIST==VERSION:PACKAGE` for any other."""
    if text in CORPORA:
        return CORPORA[text]
    match = re.fullmatch(r"([\w.-]+)=([\w.-]+==[\w.+!-]+):([\w.]+)", text)
    if not match:
        known = ", ".join(CORPORA)
        raise argparse.ArgumentTypeError(
            f"unknown corpus {text!r}: use one of {known} or NAME=DIST==VERSION:PACKAGE"
        )
    return Corpus(match[1], match[2], match[3])


def fetch(corpus: Corpus, cache: Path) -> Path:
    """CACHE/NAME-VERSION holding the unpacked wheel; downloads and unpacks it when missing."""
    target = cache / f"{corpus.name}-{corpus.version}"
    if (target / corpus.package).is_dir():
        return target
    downloads = cache / "dl"
    downloads.mkdir(parents=True, exist_ok=True)
    prefix = re.sub(r"[-_.]+", "_", corpus.distribution).lower() + f"-{corpus.version}-"
    wheels = [p for p in sorted(downloads.glob("*.whl")) if p.name.lower().startswith(prefix)]
    if not wheels:
        print(f"downloading {corpus.spec} into {downloads}", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
            + ["-q", "-d", str(downloads), corpus.spec],
            check=True,
        )
        wheels = [p for p in sorted(downloads.glob("*.whl")) if p.name.lower().startswith(prefix)]
    if not wheels:
        raise SystemExit(f"no wheel of {corpus.spec} found in {downloads}")
    partial = cache / f".{target.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(partial)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def django_app(module: str, root: Path) -> str | None:
    """The dotted name of the innermost package holding `module` that has an apps.py."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if root.joinpath(*parts[:end], "apps.py").is_file():
            return ".".join(parts[:end])
    return None


# ---------------------------------------------------------------------------------------------
# runs


def monocut_command() -> list[str]:
    script = Path(sys.executable).parent / "monocut"
    if script.is_file():
        return [str(script)]
    found = shutil.which("monocut")
    return [found] if found else [sys.executable, "-m", "monocut"]


def run_plan(path: Path, plan: Path, flags: Sequence[str]) -> tuple[dict[str, Any], float]:
    """Run `monocut plan`; the parsed plan and the wall time. RuntimeError when it fails."""
    command = [*monocut_command(), "plan", str(path), "-o", str(plan), "--no-cache", "-q", *flags]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"monocut plan exited {done.returncode}: {' | '.join(tail)}")
    return yaml.safe_load(plan.read_text(encoding="utf-8")), seconds


def plan_partition(plan: Mapping[str, Any]) -> dict[str, str]:
    """Module -> cluster: each service is one, the shared library all together one more."""
    partition = {
        module: f"service:{service['name']}"
        for service in plan.get("services") or []
        for module in service.get("modules") or []
    }
    for module in (plan.get("shared") or {}).get("modules") or []:
        partition[module] = SHARED
    return partition


def plan_row(method: str, plan: Mapping[str, Any], seconds: float) -> Row:
    found = plan.get("metrics") or {}
    return Row(
        method,
        k=len(plan.get("services") or []),
        modularity=found.get("modularity"),
        turbo_mq=found.get("turbo_mq"),
        icp=found.get("icp"),
        largest_share=found.get("largest_service_share"),
        seconds=seconds,
        extra={"shared_modules": len((plan.get("shared") or {}).get("modules") or [])},
    )


def louvain(graph: nx.DiGraph, modules: Sequence[str]) -> dict[str, str]:
    """Louvain (seed 42, resolution 1) on the undirected, unweighted import graph."""
    chosen = set(modules)
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(chosen))
    undirected.add_edges_from(
        sorted(
            (min(u, v), max(u, v))
            for u, v in graph.edges()
            if u != v and u in chosen and v in chosen
        )
    )
    communities = nx.community.louvain_communities(undirected, resolution=1.0, seed=SEED)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: c[0])
    return {m: f"louvain-{i}" for i, members in enumerate(ordered) for m in members}


def graph_metrics(row: Row, dependencies: nx.DiGraph, partition: Mapping[str, str]) -> None:
    row.k = len(set(partition.values()))
    row.modularity = metrics.modularity(dependencies, partition)
    row.turbo_mq = metrics.turbo_mq(dependencies, partition)
    row.icp = metrics.icp(dependencies, partition)
    row.largest_share = metrics.largest_service_share(partition)


def score(row: Row, partition: Mapping[str, str], truth: Mapping[str, str]) -> None:
    agreement = compare_partitions(partition, truth)
    row.mojofm, row.ari, row.nmi, row.mojo = (
        agreement.mojofm,
        agreement.ari,
        agreement.nmi,
        agreement.mojo,
    )
    row.extra["clusters_on_scored_modules"] = agreement.found_clusters


def run_corpus(
    corpus: Corpus, cache: Path, work: Path, extra: Sequence[str], jobs: int | None
) -> dict[str, Any]:
    """Every row for one corpus, and what it was measured on."""
    source = fetch(corpus, cache)
    path = source / corpus.package
    print(f"[{corpus.name}] {corpus.spec} at {path}", file=sys.stderr)
    rows: list[Row] = []
    partitions: dict[str, dict[str, str]] = {}

    for method, flags, name in (
        (IGNORE_LAYOUT, ["--ignore-layout"], "ignore-layout"),
        (DEFAULT_MODE, [], "default"),
    ):
        plan_file = work / f"{corpus.name}-{name}.yaml"
        print(f"[{corpus.name}] {method}", file=sys.stderr)
        try:
            plan, seconds = run_plan(path, plan_file, [*flags, *extra])
        except RuntimeError as exc:
            rows.append(Row(method, error=str(exc)))
            continue
        row = plan_row(method, plan, seconds)
        row.extra["plan"] = str(plan_file)
        rows.append(row)
        partitions[method] = plan_partition(plan)

    print(f"[{corpus.name}] analyze + louvain", file=sys.stderr)
    start = time.perf_counter()
    analysis = analyze(path, AnalysisSettings(jobs=jobs))
    analyzed = time.perf_counter() - start
    module_source = "plan" if partitions else "analysis (no plan ran)"
    modules = sorted(next(iter(partitions.values())).keys() if partitions else analysis.modules)
    apps = {m: django_app(m, source) for m in modules}
    empty = {f.module for f in analysis.facts if f.code_lines == 0}
    truth = {m: app for m, app in apps.items() if app is not None and m not in empty}
    if not truth:
        raise SystemExit(f"{corpus.name}: no analyzed module lies in a Django app")
    outside = sum(1 for app in apps.values() if app is None)

    start = time.perf_counter()
    baseline = louvain(analysis.imports.graph, modules)
    row = Row(LOUVAIN, seconds=analyzed + time.perf_counter() - start)
    row.extra["analyze_seconds"] = analyzed
    graph_metrics(row, analysis.dependencies, baseline)
    rows.append(row)
    partitions[LOUVAIN] = baseline

    rng = random.Random(SEED)
    labels = [truth[m] for m in sorted(truth)]
    rng.shuffle(labels)
    app_names = sorted(set(labels))
    shuffled = dict(zip(sorted(truth), labels, strict=True))
    references = {
        "all in one cluster": dict.fromkeys(modules, "all"),
        "random, true sizes": {m: shuffled.get(m) or rng.choice(app_names) for m in modules},
        "django apps (truth)": {m: truth.get(m, OUTSIDE_APPS) for m in modules},
    }
    for method, partition in references.items():
        row = Row(method, seconds=0.0)
        graph_metrics(row, analysis.dependencies, partition)
        rows.append(row)
        partitions[method] = partition

    for row in rows:
        if row.method in partitions:
            score(row, partitions[row.method], truth)
    return {
        "corpus": corpus.name,
        "spec": corpus.spec,
        "path": str(path),
        "modules_analyzed": len(analysis.modules),
        "modules_in_plan": len(modules),
        "module_source": module_source,
        "modules_scored": len(truth),
        "modules_outside_apps": outside,
        "modules_without_code": len(empty & set(modules)),
        "true_apps": len(set(truth.values())),
        "rows": rows,
        "targets": targets(rows),
    }


def targets(rows: Sequence[Row]) -> dict[str, Any]:
    found = {row.method: row for row in rows}
    ours, base = found.get(IGNORE_LAYOUT), found.get(LOUVAIN)
    if ours is None or ours.mojofm is None or ours.ari is None:
        return {"mojofm": False, "ari": False, "ari_over_baseline": False, "ran": False}
    base_ari = base.ari if base is not None and base.ari is not None else None
    return {
        "ran": True,
        "mojofm": ours.mojofm >= TARGET_MOJOFM,
        "ari": ours.ari >= TARGET_ARI,
        "ari_over_baseline": base_ari is not None
        and ours.ari >= base_ari + TARGET_ARI_OVER_BASELINE,
        "baseline_ari": base_ari,
    }


# ---------------------------------------------------------------------------------------------
# output


def cell(value: float | int | None, spec: str) -> str:
    """The value formatted, "-" when missing; a rounded negative zero loses its sign."""
    if value is None:
        return "-"
    text = format(value, spec)
    return text[1:] if re.fullmatch(r"-[0.]*%?", text) else text


def print_means(results: Sequence[Mapping[str, Any]]) -> None:
    """Mean MoJoFM / ARI / NMI of each method over the corpora (when more than one ran)."""
    if len(results) < 2:
        return
    methods: dict[str, list[Row]] = {}
    for result in results:
        for row in result["rows"]:
            methods.setdefault(row.method, []).append(row)
    print(f"\nmean over {len(results)} corpora")
    print(f"{'method':26s}  MoJoFM    ARI    NMI")
    for method, rows in methods.items():
        scored = [r for r in rows if r.mojofm is not None]
        if len(scored) != len(results):
            continue
        mean = [sum(getattr(r, k) for r in scored) / len(scored) for k in ("mojofm", "ari", "nmi")]
        print(f"{method:26s} {mean[0]:7.1f} {mean[1]:6.3f} {mean[2]:6.3f}")


def print_corpus(result: Mapping[str, Any]) -> None:
    print(
        f"\n{result['corpus']} ({result['spec']}): {result['modules_in_plan']} modules (from the "
        f"{result['module_source']}), {result['modules_scored']} in {result['true_apps']} "
        "Django apps are scored, "
        f"{result['modules_outside_apps']} outside any app and "
        f"{result['modules_without_code']} without code are left out"
    )
    header = (
        f"{'method':<26} {'k':>4} {'MoJoFM':>7} {'ARI':>6} {'NMI':>6} {'modul.':>7} "
        f"{'TurboMQ':>8} {'ICP':>6} {'largest':>8} {'seconds':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in result["rows"]:
        if row.error:
            print(f"{row.method:<26} failed: {row.error}")
            continue
        print(
            f"{row.method:<26} {cell(row.k, 'd'):>4} {cell(row.mojofm, '.1f'):>7} "
            f"{cell(row.ari, '.3f'):>6} {cell(row.nmi, '.3f'):>6} "
            f"{cell(row.modularity, '.3f'):>7} {cell(row.turbo_mq, '.2f'):>8} "
            f"{cell(row.icp, '.3f'):>6} {cell(row.largest_share, '.1%'):>8} "
            f"{cell(row.seconds, '.1f'):>8}"
        )
    met = result["targets"]
    if not met["ran"]:
        print(f"{result['corpus']} targets: not measured (monocut --ignore-layout failed)")
        return
    ours = next(r for r in result["rows"] if r.method == IGNORE_LAYOUT)
    base = met["baseline_ari"]
    verdict = [
        f"MoJoFM >= {TARGET_MOJOFM:g}: {'met' if met['mojofm'] else 'NOT met'} ({ours.mojofm:.1f})",
        f"ARI >= {TARGET_ARI:g}: {'met' if met['ari'] else 'NOT met'} ({ours.ari:.3f})",
        f"ARI >= baseline + {TARGET_ARI_OVER_BASELINE:g}: "
        f"{'met' if met['ari_over_baseline'] else 'NOT met'} "
        f"({ours.ari:.3f} vs {cell(base, '.3f')} + {TARGET_ARI_OVER_BASELINE:g})",
    ]
    print(f"{result['corpus']} targets (--ignore-layout): " + "; ".join(verdict))


def as_json(result: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(result)
    out["rows"] = [
        {key: value for key, value in vars(row).items() if key != "extra"} | row.extra
        for row in result["rows"]
    ]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args_in:
        cut = args_in.index("--")
        args_in, extra = args_in[:cut], args_in[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=parse_corpus,
        action="append",
        help=f"one of {', '.join(CORPORA)} or NAME=DIST==VERSION:PACKAGE (repeatable; "
        "default: all in the table)",
    )
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "monocut-bench")
    parser.add_argument(
        "--work-dir", type=Path, help="where the plans are kept (default: a temp dir)"
    )
    parser.add_argument("--json", type=Path, help="write every number to this file")
    parser.add_argument(
        "--jobs", type=int, help="parse workers for the Louvain baseline's analysis"
    )
    args = parser.parse_args(args_in)
    corpora: list[Corpus] = args.corpus or list(CORPORA.values())
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="monocut-domain-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"plans are kept in {work}", file=sys.stderr)
    if extra:
        print(f"extra monocut plan arguments: {' '.join(extra)}", file=sys.stderr)

    results = [run_corpus(c, args.cache_dir, work, extra, args.jobs) for c in corpora]
    print(
        "MoJoFM/ARI/NMI against the Django apps on the scored modules; plan rows: k = services, "
        "the shared library scored as one extra cluster,\nmodularity/TurboMQ/ICP/largest share "
        "from the plan's own metrics; other rows: from analyzer.metrics on the dependency graph."
    )
    if extra:
        print(f"monocut plan extra arguments: {' '.join(extra)}")
    for result in results:
        print_corpus(result)
    print_means(results)
    print(f"\nplans: {work}")
    if args.json:
        payload = {"monocut_args": extra, "corpora": [as_json(r) for r in results]}
        args.json.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
