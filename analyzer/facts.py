"""Plain data passed from discovery and parsing to the project-wide stages.

Every type here is a frozen dataclass of strings, ints and tuples, so it pickles cheaply across
the parse process pool and can be stored in the content-hash cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from analyzer.flow import FlowFacts

#: Bump whenever the facts analyzer.parse produces for the same bytes change; the cache keys
#: on it. Kept here, not in analyzer.parse, so that reading the cache does not import libcst.
PARSER_VERSION = "10"

#: The end of `ModuleFacts.degraded` (and of a plan's reason for such a file): what is known.
PARTIAL_ANALYSIS = "analyzed for imports and definitions only"


@dataclass(frozen=True)
class SourceFile:
    """One Python file found by discovery.

    `relpath` is relative to the analyzed root (POSIX separators) and is what reports show;
    `module` is the dotted module name (`pkg/__init__.py` is `pkg`).
    """

    path: Path
    relpath: str
    module: str
    is_package: bool


class ImportKind(StrEnum):
    """Where an import statement sits, which says how hard the dependency is."""

    TOP_LEVEL = "top_level"
    FUNCTION = "function"  # inside a def: a lazy import, often there to break a cycle
    TYPE_CHECKING = "type_checking"  # under `if TYPE_CHECKING:`; no runtime dependency
    FALLBACK = "fallback"  # inside try/except ImportError: an optional dependency


@dataclass(frozen=True)
class ImportFact:
    """One imported name, as written.

    `import a.b.c`            -> module="a.b.c", name=None, alias=None, level=0
    `import a.b as x`         -> module="a.b",   name=None, alias="x"
    `from ..x import y as z`  -> module="x",     name="y",  alias="z", level=2
    `from . import y`         -> module="",      name="y",  level=1
    `from a import *`         -> module="a",     name="*"
    """

    module: str
    name: str | None
    alias: str | None
    level: int
    kind: ImportKind
    line: int
    scope: str  # qualified name of the enclosing function or class, "" at module level
    #: the package an absolute import is really relative to, when the code treats that
    #: package as a sys.path root (`from core.utils import x` inside `label_studio/`, run from
    #: there) or relies on Python 2's implicit relative imports; set by analyzer.import_roots
    root: str = ""

    @property
    def bound_name(self) -> str:
        """The local name this import binds (`import a.b` binds `a`)."""
        if self.alias:
            return self.alias
        if self.name is not None:
            return self.name
        return self.module.split(".")[0]

    @property
    def bound_module(self) -> str:
        """The module `import a.b` (no alias) binds to its name `a`: `a`, or `root.a`."""
        top = self.module.split(".")[0]
        return f"{self.root}.{top}" if self.root else top


class DefinitionKind(StrEnum):
    FUNCTION = "function"
    CLASS = "class"
    METHOD = "method"


@dataclass(frozen=True)
class Definition:
    """A function, class or method; `qualname` is relative to its module (`Order.total`).

    `local_names` (functions and methods only, sorted) are the names bound in the function's
    own scope: parameters (also of lambdas inside it), assignment, `for`, `with ... as`,
    `except ... as`, walrus, `del` and `match` capture targets, comprehension variables,
    imports and nested def/class names; names it declares `global` or `nonlocal` are left out.
    Lambdas and comprehensions count as part of the enclosing function.
    """

    qualname: str
    kind: DefinitionKind
    line: int
    end_line: int
    bases: tuple[str, ...] = ()  # class bases as dotted source text, e.g. ("models.Model",)
    decorators: tuple[str, ...] = ()  # dotted source text of each decorator, without arguments
    local_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleFacts:
    """Everything the project-wide stages need to know about one module."""

    module: str
    relpath: str
    is_package: bool
    content_hash: str
    total_lines: int
    code_lines: int  # lines holding code: not blank, not only a comment
    imports: tuple[ImportFact, ...]
    definitions: tuple[Definition, ...]
    module_names: tuple[str, ...] = ()  # names assigned at module level (singletons, constants)
    all_names: tuple[str, ...] | None = None  # literal `__all__`, when the module declares one
    flow: FlowFacts | None = None  # data-flow facts for the points-to call graph
    #: (term, count) of its identifiers, docstrings and comments (analyzer.vocabulary)
    terms: tuple[tuple[str, int], ...] = ()
    #: (table, "read" | "write") named in its SQL strings (analyzer.vocabulary.sql_tables)
    sql_tables: tuple[tuple[str, str], ...] = ()
    #: why only some facts are known, when libcst could not parse the file and
    #: analyzer.legacy_parse read it as Python 2 ("Python 2 syntax at line 3 (print statement);
    #: analyzed for imports and definitions only"); "" for a fully analyzed module
    degraded: str = ""


@dataclass(frozen=True)
class FileProblem:
    """A file that was found but could not be analyzed, and why. The run goes on without it."""

    relpath: str
    reason: str
    line: int | None = None
