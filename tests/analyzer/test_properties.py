"""Property-based tests: the parse and resolve stages never raise, whatever the source.

hypothesmith generates Python programs from the grammar (and from libcst's node types);
hypothesis generates raw bytes and text, and small projects whose modules import and call each
other in every form monocut resolves (absolute and relative imports, aliases, star imports,
attribute chains, classes with bases, methods calling through `self`). Each stage must turn
whatever it is given into facts or a FileProblem, and the project-wide resolution (imports and
the points-to call graph) must accept any set of facts the parser produces.

Bounded so the whole suite stays fast: a moderate `max_examples`, no deadline (the first
libcst parse and a loaded machine would trip one), and no example database on disk. Set
MONOCUT_PROPERTY_EXAMPLES (default 60) to search longer, e.g. 2000 for a bug hunt.
"""

from __future__ import annotations

import ast
import keyword
import os
import pickle
import tempfile
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from analyzer.calls import build_call_graph
from analyzer.collect import collect_facts
from analyzer.discover import discover
from analyzer.facts import FileProblem, ModuleFacts, SourceFile
from analyzer.imports import resolve_imports
from analyzer.parse import parse_source

# Hypothesis keeps caches in ./.hypothesis; never inside the repository.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "monocut-hypothesis"))

EXAMPLES = int(os.environ.get("MONOCUT_PROPERTY_EXAMPLES", "60"))

#: hypothesmith compiles what it generates; odd but valid code draws SyntaxWarnings.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # hypothesmith generates by filtering; how much it discards varies from run to run.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

SOURCE = SourceFile(Path("/x/pkg/mod.py"), "pkg/mod.py", "pkg.mod", False)


def check_facts(result: ModuleFacts | FileProblem, source: SourceFile = SOURCE) -> None:
    """What every result of parse_source must satisfy."""
    assert isinstance(result, ModuleFacts | FileProblem)
    assert result.relpath == source.relpath
    if isinstance(result, FileProblem):
        assert result.reason and "\n" not in result.reason
        assert result.line is None or result.line >= 1
        return
    assert result.module == source.module
    assert 0 <= result.code_lines <= result.total_lines
    for fact in result.imports:
        assert fact.line >= 1
        assert fact.level >= 0
    for definition in result.definitions:
        assert 1 <= definition.line <= definition.end_line


def parse(text: str, source: SourceFile = SOURCE) -> ModuleFacts | FileProblem:
    result = parse_source(source, text.encode("utf-8", "surrogatepass"))
    check_facts(result, source)
    return result


@BOUNDED
@given(hypothesmith.from_grammar())
def test_parse_never_raises_on_programs_from_the_grammar(code: str) -> None:
    result = parse(code)
    assert pickle.loads(pickle.dumps(result)) == result  # what the cache and workers rely on
    if isinstance(result, ModuleFacts):
        resolve(project({"pkg": "", "pkg.mod": code}))


@settings(BOUNDED, max_examples=max(1, EXAMPLES // 2))
@given(hypothesmith.from_node())
def test_parse_never_raises_on_programs_from_libcst_nodes(code: str) -> None:
    parse(code)


@BOUNDED
@given(st.binary(max_size=2_000))
def test_parse_never_raises_on_bytes(data: bytes) -> None:
    check_facts(parse_source(SOURCE, data))


@BOUNDED
@given(st.text(max_size=500))
def test_parse_never_raises_on_text(text: str) -> None:
    parse(text)


@BOUNDED
@given(
    st.lists(
        st.sampled_from(["(", ")", "[", "]", "{", "}", "f'{", "}'", "'", '"', "\\\n", "\n", "x"])
        | st.sampled_from([" + ", ".a", "()", ", ", "lambda: ", "not ", "-", "#", ":", "\t"]),
        max_size=400,
    ).map("".join)
)
def test_parse_never_raises_on_bracket_soup(text: str) -> None:
    parse(text)


# --- small projects ---------------------------------------------------------------------------

MODULES = ("app", "app.core", "app.core.models", "app.api", "app.util", "lib", "lib.helpers")
NAMES = ("Order", "place", "helper", "util", "models", "core", "x", "run", "Base", "self")
identifier = st.sampled_from(NAMES)
dotted = st.lists(identifier, min_size=1, max_size=3).map(".".join)
module_name = st.sampled_from(MODULES) | dotted


@st.composite
def import_line(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    alias = draw(st.none() | identifier)
    suffix = f" as {alias}" if alias else ""
    if kind == 0:
        return f"import {draw(module_name)}{suffix}"
    if kind == 1:
        return f"from {draw(module_name)} import {draw(identifier)}{suffix}"
    if kind == 2:
        dots = "." * draw(st.integers(1, 4))
        target = draw(st.none() | module_name)
        return f"from {dots}{target or ''} import {draw(identifier)}{suffix}"
    if kind == 3:
        return f"from {draw(module_name)} import *"
    return f"from {'.' * draw(st.integers(1, 3))}{draw(module_name)} import *"


expression = st.recursive(
    identifier | dotted | st.just("None"),
    lambda inner: st.one_of(
        st.tuples(inner, st.lists(inner, max_size=2)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, identifier).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
        inner.map(lambda e: f"lambda: {e}"),
    ),
    max_leaves=6,
)


@st.composite
def statement(draw: st.DrawFn, indent: str = "") -> list[str]:
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return [indent + draw(import_line())]
    if kind == 1:
        return [f"{indent}{draw(identifier)} = {draw(expression)}"]
    if kind == 2:
        return [indent + draw(expression)]
    if kind == 3:
        return [f"{indent}return {draw(expression)}"] if indent else [f"{indent}pass"]
    if kind == 4 and len(indent) < 12:
        params = ", ".join(draw(st.lists(identifier, max_size=3, unique=True)))
        body = draw(st.lists(statement(indent + "    "), min_size=1, max_size=3))
        return [f"{indent}def {draw(identifier)}({params}):", *(line for s in body for line in s)]
    if kind == 5 and len(indent) < 12:
        bases = ", ".join(draw(st.lists(dotted, max_size=2)))
        body = draw(st.lists(statement(indent + "    "), min_size=1, max_size=3))
        return [f"{indent}class {draw(identifier)}({bases}):", *(line for s in body for line in s)]
    if kind == 6 and len(indent) < 12:
        body = draw(st.lists(statement(indent + "    "), min_size=1, max_size=2))
        handler = draw(st.sampled_from(["ImportError", "Exception", "(ValueError, KeyError)"]))
        lines = [f"{indent}try:", *(line for s in body for line in s)]
        return [*lines, f"{indent}except {handler}:", f"{indent}    pass"]
    return [f"{indent}pass"]


module_code = st.lists(statement(), max_size=8).map(
    lambda statements: "\n".join(line for s in statements for line in s) + "\n"
)


def project(codes: dict[str, str]) -> list[ModuleFacts]:
    facts = []
    packages = {name.rsplit(".", 1)[0] for name in codes if "." in name}
    for module, code in sorted(codes.items()):
        is_package = module in packages
        relpath = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        result = parse(code, SourceFile(Path("/x") / relpath, relpath, module, is_package))
        if isinstance(result, ModuleFacts):
            facts.append(result)
    return facts


def resolve(facts: list[ModuleFacts]) -> None:
    imports = resolve_imports(facts)
    assert set(imports.graph.nodes) <= {f.module for f in facts}
    calls, inheritance = build_call_graph(imports)
    modules = {f.module for f in facts}
    for call in calls.calls:
        assert call.caller.split(".")[0] in {m.split(".")[0] for m in modules}
    assert all(count > 0 for count in inheritance.values())


@BOUNDED
@given(st.dictionaries(st.sampled_from(MODULES), module_code, min_size=1, max_size=len(MODULES)))
def test_resolution_never_raises_on_generated_projects(codes: dict[str, str]) -> None:
    resolve(project(codes))


@settings(BOUNDED, max_examples=max(1, EXAMPLES // 2))
@given(
    st.dictionaries(st.sampled_from(MODULES), hypothesmith.from_grammar(), min_size=1, max_size=4),
    st.dictionaries(st.sampled_from(MODULES), module_code, max_size=3),
)
def test_resolution_never_raises_on_grammar_programs(
    grammar: dict[str, str], structured: dict[str, str]
) -> None:
    codes = {**grammar, **{m: grammar.get(m, "") + "\n" + code for m, code in structured.items()}}
    resolve(project(codes))


# --- agreement with the interpreter's own parser ------------------------------------------------


def ast_imports(tree: ast.Module) -> list[tuple[str, str, str, int, int]]:
    """(module, name, alias, level, line) of every import; "" for None."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, "", a.asname or "", 0, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [
                (node.module or "", a.name, a.asname or "", node.level, node.lineno)
                for a in node.names
            ]
    return sorted(found)


def ast_definitions(tree: ast.Module) -> list[tuple[str, int, int]]:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return sorted(
        (node.name, node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
    )


@BOUNDED
@given(hypothesmith.from_grammar() | module_code)
def test_imports_and_definitions_agree_with_ast(code: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    result = parse(code)
    assert isinstance(result, ModuleFacts), result
    found = sorted((i.module, i.name or "", i.alias or "", i.level, i.line) for i in result.imports)
    assert found == ast_imports(tree)
    definitions = sorted(
        (d.qualname.rsplit(".", 1)[-1], d.line, d.end_line) for d in result.definitions
    )
    assert definitions == ast_definitions(tree)


# --- discovery over generated trees -----------------------------------------------------------

piece = st.sampled_from(
    ["app", "core", "__init__", "my-mod", "1st", "class", "tests", "src", "build", "a.b", "é", "ｆ"]
) | st.text(alphabet="abc_-.9 ", min_size=1, max_size=6).filter(lambda t: t.strip(". ") == t)


@settings(BOUNDED, max_examples=max(1, EXAMPLES // 2))
@given(
    st.lists(st.lists(piece, min_size=1, max_size=4), max_size=12),
    st.lists(st.tuples(st.lists(piece, min_size=1, max_size=3), st.integers(0, 3)), max_size=3),
)
def test_discovery_never_raises_and_names_only_importable_modules(
    paths: list[list[str]], links: list[tuple[list[str], int]]
) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "root"
        root.mkdir()
        for parts in paths:
            target = root.joinpath(*parts[:-1], parts[-1] + ".py")
            if any(p.exists() and not p.is_dir() for p in target.parents if root in p.parents):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text("x = 1\n")
        for parts, up in links:  # directory links, some to ancestors (loops)
            link = root.joinpath(*parts)
            if link.exists() or link.is_symlink() or not link.parent.is_dir():
                continue
            link.symlink_to(Path(*([".."] * up)) if up else Path("."), target_is_directory=True)
        for include_tests in (False, True):
            found = discover(root, include_tests=include_tests)
            modules = [source.module for source in found.files]
            assert modules == sorted(modules) or len(set(modules)) < len(modules)
            for source in found.files:
                assert all(
                    part.isidentifier() and not keyword.iskeyword(part)
                    for part in source.module.split(".")
                )
                assert (found.root / source.relpath).is_file()
            for problem in found.problems:
                assert problem.reason and "\n" not in problem.reason
            collected = collect_facts(found.files, jobs=1)
            assert len(collected.facts) + len(collected.problems) >= len(
                {s.module for s in found.files}
            )
