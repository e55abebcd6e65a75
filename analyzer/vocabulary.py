"""The words a module is written in, and the tables its SQL names: text facts for the signals.

The parse pass hands this module the identifiers it saw (never the dotted paths of import
statements, so no module or folder name enters through them), the docstrings and the comments;
`module_terms` splits them into lower-case terms (`OrderLine` and `order_line` both give
`order`, `line`) and counts them. The semantic signal (analyzer.signals.semantic) weighs the
terms with TF-IDF.

`sql_tables` finds the tables named in a string of SQL (`SELECT ... FROM orders JOIN ...`),
with whether the statement reads or writes them: the data signal counts raw SQL as touching
the models stored in those tables.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: Parts of an identifier: acronyms (`HTTPServer` -> `http`, `server`), capitalized and
#: lower-case words; digits split words and are dropped.
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

MIN_TERM_LENGTH = 3

#: Words every Python module uses whatever its domain: keywords, builtins, conventions.
#: (English stop words are removed later, by the TF-IDF vectorizer.)
PYTHON_WORDS = frozenset(
    [
        "self",
        "cls",
        "args",
        "kwargs",
        "none",
        "true",
        "false",
        "def",
        "class",
        "return",
        "yield",
        "lambda",
        "import",
        "from",
        "async",
        "await",
        "pass",
        "break",
        "continue",
        "global",
        "nonlocal",
        "assert",
        "raise",
        "try",
        "except",
        "finally",
        "with",
        "while",
        "for",
        "not",
        "and",
        "else",
        "elif",
        "del",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "dict",
        "list",
        "tuple",
        "set",
        "frozenset",
        "object",
        "type",
        "super",
        "len",
        "isinstance",
        "issubclass",
        "getattr",
        "setattr",
        "hasattr",
        "property",
        "staticmethod",
        "classmethod",
        "init",
        "new",
        "repr",
        "call",
        "enter",
        "exit",
        "iter",
        "next",
        "items",
        "keys",
        "values",
        "get",
        "pop",
        "append",
        "extend",
        "update",
        "copy",
        "format",
        "join",
        "split",
        "strip",
        "replace",
        "startswith",
        "endswith",
        "lower",
        "upper",
        "encode",
        "decode",
        "print",
        "open",
        "range",
        "enumerate",
        "zip",
        "map",
        "filter",
        "sorted",
        "reversed",
        "min",
        "max",
        "sum",
        "any",
        "all",
        "value",
        "values",
        "key",
        "name",
        "names",
        "obj",
        "data",
        "result",
        "results",
        "item",
        "items",
        "val",
        "var",
        "tmp",
        "param",
        "params",
        "func",
        "function",
        "method",
        "arg",
        "kwarg",
        "todo",
        "fixme",
        "xxx",
        "noqa",
        "pragma",
        "typing",
        "optional",
        "union",
        "any",
        "callable",
        "iterable",
        "mapping",
        "sequence",
        "annotations",
        "future",
        "dataclass",
        "field",
    ]
)

_TERM_CACHE: dict[str, tuple[str, ...]] = {}


def split_identifier(identifier: str) -> tuple[str, ...]:
    """`OrderLineTotal` / `order_line_total` -> ("order", "line", "total"), without the words
    every Python module uses and without parts shorter than MIN_TERM_LENGTH."""
    cached = _TERM_CACHE.get(identifier)
    if cached is not None:
        return cached
    parts = tuple(
        lowered
        for part in _PART.findall(identifier)
        if len(part) >= MIN_TERM_LENGTH and (lowered := part.lower()) not in PYTHON_WORDS
    )
    if len(_TERM_CACHE) < 200_000:
        _TERM_CACHE[identifier] = parts
    return parts


def module_terms(identifiers: Iterable[str], prose: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """Term counts of a module: its identifiers, plus the words of its docstrings and
    comments, each split like an identifier. Sorted by term."""
    counts: Counter[str] = Counter()
    for identifier, times in Counter(identifiers).items():
        for term in split_identifier(identifier):
            counts[term] += times
    for text in prose:
        for word in _WORD.findall(text):
            counts.update(split_identifier(word))
    return tuple(sorted(counts.items()))


_SQL_STATEMENT = re.compile(
    r"\b(select|insert\s+into|update|delete\s+from|create\s+table|alter\s+table|"
    r"drop\s+table|truncate(?:\s+table)?)\b",
    re.IGNORECASE,
)
_NAME = r"[`\"\[]?([A-Za-z_][A-Za-z0-9_$]*)[`\"\]]?"
_IDENT = _NAME + r"(?:\s*\.\s*" + _NAME + ")?"
_TABLE_AFTER = re.compile(
    r"\b(from|join|into|update|table(?:\s+if\s+(?:not\s+)?exists)?|truncate(?:\s+table)?)\s+"
    + _IDENT,
    re.IGNORECASE,
)
_WRITE_STATEMENTS = ("insert", "update", "delete", "create", "alter", "drop", "truncate")
_NOT_TABLES = frozenset({"select", "set", "where", "values", "lateral", "only", "table", "the"})


def looks_like_sql(text: str) -> bool:
    """A string that holds a SQL statement (cheap pre-check before `sql_tables`)."""
    return _SQL_STATEMENT.search(text) is not None and _TABLE_AFTER.search(text) is not None


def sql_tables(text: str) -> tuple[tuple[str, str], ...]:
    """(table, "read" | "write") for each table a SQL string names, lower-cased, sorted.

    The statement's first keyword decides: INSERT/UPDATE/DELETE/DDL write the first table
    they name and read the others (joins, sub-selects); SELECT reads. A schema prefix
    (`public.orders`) is dropped. This is a pattern match, not a SQL parser: it is meant for
    the literal queries legacy code embeds, and misses tables named through formatting.
    """
    statement = _SQL_STATEMENT.search(text)
    if statement is None:
        return ()
    writes = statement.group(1).lower().startswith(_WRITE_STATEMENTS)
    found: dict[str, str] = {}
    for match in _TABLE_AFTER.finditer(text, statement.start()):
        table = (match.group(3) or match.group(2)).lower()
        if table in _NOT_TABLES:
            continue
        mode = "write" if writes and not found else "read"
        if found.get(table) != "write":
            found[table] = mode
    return tuple(sorted(found.items()))
