"""One file's bytes -> ModuleFacts (or a FileProblem), in one lean libcst visitor pass.

`parse_source` is pure and never raises: every failure becomes a FileProblem with a short,
human reason. It runs in worker processes, so it only takes and returns picklable data.

How it stays fast: no libcst metadata providers (PositionProvider alone costs about as much as
the parse). Line numbers are tracked by the visitor itself: libcst visits children in source
order, and every line break in a file is either a `Newline` node, a backslash continuation
inside a `SimpleWhitespace`, or a newline inside a string literal's text, so a running counter
bumped on those nodes knows the current line. Lines match what `ast` reports: a definition's
line is its `def`/`class` line (not the decorator's), `end_line` is the last line of its body,
an import's line is the line of its statement, a call's line is where its callee starts.

How it stays alive: libcst's native parser recurses without a guard and crashes the whole
process (a segfault, not an exception) on pathological nesting, and is superlinear on very
long operator chains. A cheap scan of the text rejects such files before libcst sees them;
the limits are far above anything hand-written (CPython itself refuses more than 200 nested
brackets).
"""

from __future__ import annotations

import gc
import hashlib
import io
import re
import sys
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import libcst as cst

from analyzer.cst_walk import child_attributes, fixed_child_attributes, is_node
from analyzer.dunder_all import DunderAll
from analyzer.facts import (
    PARSER_VERSION,  # noqa: F401 - the facts' version, re-exported
    DefinitionKind,
    FileProblem,
    ImportFact,
    ImportKind,
    ModuleFacts,
    SourceFile,
)
from analyzer.flow_recorder import FlowRecorder
from analyzer.legacy_parse import legacy_facts, old_octal_line, statement_start
from analyzer.lines import count_lines
from analyzer.open_definition import OpenDefinition
from analyzer.vocabulary import looks_like_sql, module_terms, sql_tables

#: CPython refuses more nested brackets than this ("too many nested parentheses").
MAX_BRACKET_DEPTH = 200
#: Tokens in one unbroken expression chain, summed over the open brackets (a depth estimate).
MAX_EXPRESSION_CHAIN = 1000
#: `elif` branches in one chain (libcst nests each `elif` inside the previous one).
MAX_ELIF_CHAIN = 2000
#: Python recursion limit while visiting; visiting is pure-Python recursion, the guards above
#: bound the depth.
_VISIT_RECURSION_LIMIT = 30_000
_MAX_MESSAGE = 160

_FALLBACK_EXCEPTIONS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)


def parse_source(source: SourceFile, data: bytes) -> ModuleFacts | FileProblem:
    """Parse one file's bytes into ModuleFacts, or explain in a FileProblem why not.

    The cyclic garbage collector is off meanwhile: the syntax tree and the facts are
    millions of young objects that all stay alive until the facts are built, which the
    collector traverses again and again for nothing (a tenth of the time on Django); what
    little cyclic garbage a file leaves is collected once it is on again.
    """
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        return _parse_safely(source, data)
    finally:
        if collecting:
            gc.enable()


def _parse_safely(source: SourceFile, data: bytes) -> ModuleFacts | FileProblem:
    try:
        return _parse(source, data)
    except RecursionError:
        return FileProblem(source.relpath, "nesting too deep to analyze")
    except MemoryError:
        return FileProblem(source.relpath, "too large to analyze (out of memory)")
    except Exception as exc:  # noqa: BLE001 - parse_source must never raise
        return FileProblem(source.relpath, f"could not be analyzed: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return _shorten(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _parse(source: SourceFile, data: bytes) -> ModuleFacts | FileProblem:
    relpath = source.relpath
    nul = data.find(b"\x00")
    if nul >= 0:
        hint = " (UTF-16 encoded?)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        return FileProblem(relpath, f"contains NUL bytes{hint}", data.count(b"\n", 0, nul) + 1)
    text = _decode(source, data)
    if isinstance(text, FileProblem):
        return text
    problem = _check_complexity(text)
    if problem is not None:
        reason, line = problem
        return FileProblem(relpath, reason, line)
    total_lines, code_lines = count_lines(text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        problem = _syntax_problem(relpath, text, exc)
        if problem.reason.startswith(PYTHON_2_SYNTAX):
            # Python 2: read imports and definitions from its tokens instead.
            legacy = legacy_facts(source, text, problem.reason)
            if legacy is not None:
                return replace(legacy, content_hash=hashlib.sha256(data).hexdigest())
        return problem

    collector = _Collector()
    old_limit = sys.getrecursionlimit()
    if old_limit < _VISIT_RECURSION_LIMIT:
        sys.setrecursionlimit(_VISIT_RECURSION_LIMIT)
    try:
        _walk(collector, module)
    finally:
        if old_limit < _VISIT_RECURSION_LIMIT:
            sys.setrecursionlimit(old_limit)

    return ModuleFacts(
        module=source.module,
        relpath=relpath,
        is_package=source.is_package,
        content_hash=hashlib.sha256(data).hexdigest(),
        total_lines=total_lines,
        code_lines=code_lines,
        imports=tuple(collector.imports),
        definitions=tuple(d.freeze() for d in collector.definitions),
        module_names=tuple(dict.fromkeys(collector.module_names)),
        all_names=collector.all_names.names(),
        flow=collector.flow.facts(),
        terms=module_terms(collector.identifiers, collector.prose),
        sql_tables=tuple(sorted({t for text in collector.sql for t in sql_tables(text)})),
    )


# --- decoding -------------------------------------------------------------------------------


def _decode(source: SourceFile, data: bytes) -> str | FileProblem:
    """Decode like the interpreter does: BOM, then a coding cookie, else UTF-8."""
    try:
        encoding, cookie_lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        declared = any(b"coding" in line for line in cookie_lines)
    except SyntaxError as exc:
        message = str(exc)
        if message.startswith("unknown encoding"):
            name = message.rsplit(":", 1)[-1].strip()
            return FileProblem(source.relpath, _shorten(f"unknown encoding declared: {name}"))
        if message.startswith("encoding problem"):
            return FileProblem(source.relpath, "UTF-8 BOM but another encoding declared")
        if not message.startswith("invalid or missing encoding declaration"):
            return FileProblem(source.relpath, _shorten(f"bad encoding declaration: {message}"))
        encoding, declared = "utf-8", False  # an undecodable first line: reported below
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if declared:
            reason = f"not valid {encoding} (its declared encoding)"
        else:
            reason = "not valid UTF-8 (and no encoding declared)"
        return FileProblem(source.relpath, reason, line)
    except LookupError:
        return FileProblem(source.relpath, f"unknown encoding declared: {encoding}")


# --- guards against pathological input ---------------------------------------------------------

#: A string literal, with its prefix (`rb`, `f`, ...).
_STRING_PATTERN = r"""(?:[rRbBuUfFtT]{1,2})?
        (?:\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
          |'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
          |"[^"\\\n]*(?:\\.[^"\\\n]*)*"
          |'[^'\\\n]*(?:\\.[^'\\\n]*)*')"""
#: A plain token: a word, or one character of an operator.
_PLAIN_PATTERN = r"""(?:\w+|[^\s\w(\[{)\]},;\\#"'])"""
_TOKEN_RE = re.compile(
    r"""
    (?P<s>"""
    + _STRING_PATTERN
    + r""")
    |(?P<c>\#[^\n]*)
    |(?P<o>[(\[{])
    |(?P<x>[)\]}])
    |(?P<r>[,;])
    |(?P<n>\n)
    |(?P<b>\\\r?\n)
    |(?P<t>"""
    + _PLAIN_PATTERN
    + r""")
    """,
    re.VERBOSE | re.DOTALL,
)
#: The tokens of `_TOKEN_RE` in fewer, larger matches, for the quick first scan: the spaces
#: before a token are part of its match (the regex engine no longer starts a match at each
#: of them, which halves its time), a run of plain tokens on one line is one match (group
#: `u`, which weighs its length, at least its number of tokens), a line end with the blank
#: and comment lines after it is one, and anything else the exact scan skips is one
#: character (group `z`, ignored). A run stops before anything the exact scan would take
#: for a string, so both see the same strings.
_RUN_RE = re.compile(
    r"""
    [ \t\f\v\r]*+
    (?:(?P<s>(?=[rRbBuUfFtT"'])"""
    + _STRING_PATTERN
    + r""")
    |(?P<n>(?:\#[^\n]*)?\n(?:[ \t\f\v\r]*+(?:\#[^\n]*)?\n)*)
    |(?P<c>\#[^\n]*)
    |(?P<o>[(\[{])
    |(?P<x>[)\]}])
    |(?P<r>[,;])
    |(?P<b>\\\r?\n)
    |(?P<u>"""
    + _PLAIN_PATTERN
    + r"""(?:[ \t\f\v\r]*(?!(?:[rRbBuUfFtT]{1,2})?["'])"""
    + _PLAIN_PATTERN
    + r""")*)
    |(?P<z>.|\Z))
    """,
    re.VERBOSE | re.DOTALL,
)
_ELIF_RE = re.compile(r"^([ \t]*)(if|elif)\b", re.MULTILINE)


def _check_complexity(text: str) -> tuple[str, int] | None:
    """Reject input that would crash or stall libcst; (reason, line) or None.

    A token-level scan that skips strings and comments: bracket depth, and the number of
    tokens in one unbroken chain (`a + b + ...`, `f()()...`, `a.b.c...`) summed over the open
    brackets, which bounds how deep the parser must recurse. Commas, semicolons and line ends
    outside brackets break a chain. The replacement fields of f-strings (and t-strings) are
    code too, parsed by the same recursive parser: they are scanned as if they were brackets
    inside the string.

    A quick scan comes first, which counts each run of plain tokens on a line as its length
    in characters: it sees the same brackets, commas, line ends and strings, and never
    fewer tokens, so a file it passes passes the exact scan (and most files pass it: the
    exact scan, one Python step per token, costs about three times as much).
    """
    elif_problem = _check_elif_chains(text)
    if elif_problem is not None:
        return elif_problem
    try:
        _Scanner(text, _RUN_RE).scan(text, 1)
    except _TooComplex:
        pass  # maybe only the quick count's overestimate: the exact scan tells
    else:
        return None
    try:
        _Scanner(text, _TOKEN_RE).scan(text, 1)
    except _TooComplex as problem:
        return problem.reason, problem.line
    return None


class _TooComplex(Exception):
    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


_FSTRING_PREFIX_RE = re.compile(r"[rRbBuU]?[fFtT][rR]?")


class _Scanner:
    """The state of `_check_complexity`'s scan: term counts per open bracket, their sum, and
    where the outermost bracket opened."""

    def __init__(self, text: str, tokens: re.Pattern[str]) -> None:
        self.text = text
        self.tokens = tokens  # _TOKEN_RE, or _RUN_RE for the quick scan
        self.counts = [0]
        self.total = 0
        self.outer_open = (0, 0)  # (line, offset) of the outermost open bracket

    def scan(self, text: str, line: int, nested: bool = False) -> None:
        """Scan `text` (the file, or the replacement fields of an f-string, then `nested`)
        starting at `line`; raises _TooComplex."""
        counts = self.counts
        for match in self.tokens.finditer(text):
            kind = match.lastgroup
            if kind == "u":
                weight = match.end() - match.start()
                counts[-1] += weight
                self.total += weight
                if self.total > MAX_EXPRESSION_CHAIN:
                    raise self._chain(line, match.end(), nested)
            elif kind == "t" or kind == "s":
                counts[-1] += 1
                self.total += 1
                if self.total > MAX_EXPRESSION_CHAIN:
                    raise self._chain(line, match.end(), nested)
                if kind == "s":
                    token = match.group(kind)
                    self._scan_fstring(token, line)
                    line += token.count("\n")
            elif kind == "n":
                line += 1
                if len(counts) == 1:
                    counts[0] = 0
                    self.total = 0
            elif kind == "o":
                counts[-1] += 1
                self.total += 1
                if len(counts) == 1 and not nested:
                    self.outer_open = (line, match.start())
                self._open(line)
                if self.total > MAX_EXPRESSION_CHAIN:
                    raise self._chain(line, match.end(), nested)
            elif kind == "x":
                if len(counts) > 1:
                    self.total -= counts.pop()
            elif kind == "r":
                self.total -= counts[-1]
                counts[-1] = 0
            elif kind == "b":
                line += 1

    def _open(self, line: int) -> None:
        self.counts.append(0)
        if len(self.counts) > MAX_BRACKET_DEPTH + 1:
            raise _TooComplex(
                f"brackets nested deeper than Python allows (more than {MAX_BRACKET_DEPTH} levels)",
                line,
            )

    def _chain(self, line: int, offset: int, nested: bool) -> _TooComplex:
        outer = self.outer_open if len(self.counts) > 1 and not nested else None
        return _TooComplex(*_chain_problem(self.text, line, offset, outer))

    def _scan_fstring(self, token: str, line: int) -> None:
        """Scan the replacement fields of an f-string token as one more open bracket."""
        prefix = _FSTRING_PREFIX_RE.match(token)
        if prefix is None or "{" not in token:
            return
        fields = _fstring_fields(token[prefix.end() :])
        if not fields.strip():
            return
        depth = len(self.counts)
        self._open(line)
        self.scan(fields, line, nested=True)
        while len(self.counts) > depth:  # unbalanced text inside the string
            self.total -= self.counts.pop()


def _fstring_fields(body: str) -> str:
    """The code inside an f-string's replacement fields, its literal text blanked out (line
    breaks kept) and `{{`/`}}` escapes dropped; the fields keep their braces."""
    out: list[str] = []
    depth = 0
    index = 0
    length = len(body)
    while index < length:
        char = body[index]
        if depth == 0:
            if char == "{":
                if index + 1 < length and body[index + 1] == "{":
                    index += 2
                    continue
                depth = 1
                out.append(char)
            else:
                out.append("\n" if char == "\n" else " ")
        else:
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
            out.append(char)
        index += 1
    return "".join(out)


_STATEMENT_START_RE = re.compile(
    r"^[ \t]*(?:(?:def|class|import|return|raise|with)\b|try[ \t]*:)", re.MULTILINE
)


def _chain_problem(
    text: str, line: int, offset: int, outer_open: tuple[int, int] | None
) -> tuple[str, int]:
    if outer_open is not None:
        # Statements inside the brackets: more likely a bracket that is never closed.
        open_line, open_offset = outer_open
        after = text.find("\n", open_offset) + 1
        if after > 0 and _STATEMENT_START_RE.search(text, after, offset):
            return (f"syntax error at line {open_line}: bracket is never closed", open_line)
    return (
        f"expression too long or deeply nested to analyze safely "
        f"(more than {MAX_EXPRESSION_CHAIN} chained terms)",
        line,
    )


def _check_elif_chains(text: str) -> tuple[str, int] | None:
    if text.count("elif") <= MAX_ELIF_CHAIN:
        return None
    chains: dict[str, int] = {}
    for match in _ELIF_RE.finditer(text):
        indent = match.group(1)
        if match.group(2) == "if":
            chains[indent] = 0
            continue
        chains[indent] = chains.get(indent, 0) + 1
        if chains[indent] > MAX_ELIF_CHAIN:
            line = text.count("\n", 0, match.start()) + 1
            return (f"elif chain too long to analyze safely (more than {MAX_ELIF_CHAIN})", line)
    return None


# --- syntax errors ------------------------------------------------------------------------------

#: How the reason for a file refused as Python 2 starts (analyzer.legacy_parse reads those).
PYTHON_2_SYNTAX = "Python 2 syntax"

_PY2_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), label)
    for pattern, label in (
        (
            r"(?:^|[:;])\s*print\b\s*(?:>>|(?!(?:if|else|in|is|and|or|not|for|as)\b)[\w\"'`])",
            "print statement",
        ),
        (
            r"(?:^|[:;])\s*exec\b\s*(?!(?:if|else|in|is|and|or|not|for|as)\b)[\w\"']",
            "exec statement",
        ),
        (r"`", "backtick repr"),
        (r"\bexcept\b[^:#]*,\s*[A-Za-z_]\w*\s*:", "except X, e"),
        (r"\braise\s+[\w.]+(?:\[[^\]]*\])?\s*,", "raise E, msg"),
        (r"(?<![\w.])0[0-7]*[1-7][0-7]*[lL]?(?![\w.])", "old octal literal"),
        (r"(?<![\w.])(?:0[xX][0-9a-fA-F]+|\d+)[lL](?!\w)", "long integer literal"),
        (r"<>", "<> operator"),
        (r"(?i)(?<![\w])ur[\"']", "ur'' string prefix"),
    )
)


def _syntax_problem(relpath: str, text: str, exc: cst.ParserSyntaxError) -> FileProblem:
    line = exc.raw_line
    if exc.message.startswith("tokenizer error"):
        line = _tokenizer_error_line(text, exc.message) or line
    lines = _LINE_BREAK_RE.split(text)
    # A statement over several lines (`raise E, \`, `exec """...""" in ns`) fails where it
    # ends: look back to where it starts.
    start = statement_start(text, max(line - 1, 1))
    lowest = max(min(start, line - 1), line - _MAX_CONTINUED_LINES)
    for candidate in range(line, lowest - 1, -1):
        if 1 <= candidate <= len(lines):
            code = lines[candidate - 1].split("#", 1)[0]
            for pattern, label in _PY2_PATTERNS:
                if pattern.search(code):
                    return FileProblem(
                        relpath, f"{PYTHON_2_SYNTAX} at line {candidate} ({label})", candidate
                    )
    message = exc.message.strip().splitlines()[0] if exc.message.strip() else "invalid syntax"
    return FileProblem(relpath, _shorten(f"syntax error at line {line}: {message}"), line)


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_MAX_CONTINUED_LINES = 20  # lines looked back to the start of a statement for Python 2 syntax
_MAX_INDENT_LEVELS = 100  # CPython's tokenizer limit, which libcst's follows


def _tokenizer_error_line(text: str, message: str) -> int | None:
    """Where a libcst tokenizer error is (libcst reports every one at line 1), found with the
    standard library's tokenizer; None when it cannot tell."""
    if "indentation levels" in message:
        return _too_deep_indentation_line(text)
    if "leading zeros" in message:
        return old_octal_line(text)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.ERRORTOKEN and not token.string.isspace():
                return token.start[0]
    except (tokenize.TokenError, SyntaxError) as exc:
        position = exc.args[1] if len(exc.args) > 1 else None
        if isinstance(exc, SyntaxError) and exc.lineno:
            return exc.lineno
        if isinstance(position, tuple) and position and isinstance(position[0], int):
            return position[0]
    except Exception:  # noqa: BLE001 - only a better line number is at stake
        return None
    return None


def _too_deep_indentation_line(text: str) -> int | None:
    stack = [0]
    for number, line in enumerate(_LINE_BREAK_RE.split(text), start=1):
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line.expandtabs(8)) - len(stripped.expandtabs(8))
        while width < stack[-1]:
            stack.pop()
        if width > stack[-1]:
            stack.append(width)
            if len(stack) > _MAX_INDENT_LEVELS:
                return number
    return None


# --- the visitor --------------------------------------------------------------------------------


@dataclass
class _Scope:
    qualname: str
    is_class: bool
    saved_fallback: int
    definition: OpenDefinition


# Block marks: what entering a marked IndentedBlock / SimpleStatementSuite means.
_MARK_TYPE_CHECKING = 1
_MARK_FALLBACK = 2


def _newlines(value: str) -> int:
    count = value.count("\n")
    if "\r" in value:
        count += value.count("\r") - value.count("\r\n")
    return count


def _dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _reference(node: cst.BaseExpression) -> str | None:
    """Dotted text of a base or decorator without call arguments or subscripts."""
    while True:
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Subscript):
            node = node.value
        else:
            return _dotted(node)


def _is_type_checking(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


def _catches_import_errors(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
    caught = handler.type
    if caught is None:
        return True
    candidates = (
        [element.value for element in caught.elements]
        if isinstance(caught, cst.Tuple)
        else [caught]
    )
    for candidate in candidates:
        name = _dotted(candidate)
        if name is not None and name.rsplit(".", 1)[-1] in _FALLBACK_EXCEPTIONS:
            return True
    return False


def _target_names(target: cst.BaseExpression, out: list[str]) -> None:
    if isinstance(target, cst.Name):
        out.append(target.value)
    elif isinstance(target, cst.Tuple | cst.List):
        for element in target.elements:
            _target_names(element.value, out)
    elif isinstance(target, cst.StarredElement):
        _target_names(target.value, out)


def _param_names(params: cst.Parameters, out: set[str]) -> None:
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        out.add(param.name.value)
    star = params.star_arg
    if isinstance(star, cst.Param):
        out.add(star.name.value)
    if params.star_kwarg is not None:
        out.add(params.star_kwarg.name.value)


def _literal_strings(node: cst.BaseExpression | None) -> list[str] | None:
    if not isinstance(node, cst.List | cst.Tuple):
        return None
    values: list[str] = []
    for element in node.elements:
        value = element.value
        if isinstance(element, cst.StarredElement) or not isinstance(
            value, cst.SimpleString | cst.ConcatenatedString
        ):
            return None
        try:
            evaluated = value.evaluated_value
        except Exception:  # noqa: BLE001 - odd literal: treat as not literal
            return None
        if not isinstance(evaluated, str):
            return None
        values.append(evaluated)
    return values


_Handler = Callable[["_Collector", cst.CSTNode], object]
_VISIT: dict[type, _Handler | None] = {}
_LEAVE: dict[type, _Handler | None] = {}
#: node class -> (its visit_ handler, its leave_ handler, its child attributes when every
#: node of the class has the same ones, else None)
_Plan = tuple[_Handler | None, _Handler | None, tuple[str, ...] | None]
_PLANS: dict[type, _Plan] = {}
_SIMPLE_WHITESPACE = cst.SimpleWhitespace
_NEWLINE = cst.Newline
_TRAILING_WHITESPACE = cst.TrailingWhitespace
_NAME = cst.Name
_MAYBE_SENTINEL = cst.MaybeSentinel
#: node classes without handlers whose children are all whitespace (`Dot`, `Comma`, an
#: operator) -> those attributes: their children are handled in the grandparent's loop
_SPACERS: dict[type, tuple[str, ...]] = {}


def _handler(prefix: str, cls: type) -> _Handler | None:
    """The collector's `visit_`/`leave_` method for a node class; None when it has none of
    its own (libcst's typed visitor base defines a no-op for every class)."""
    name = prefix + cls.__name__
    handler = getattr(_Collector, name, None)
    return None if handler is getattr(cst.CSTVisitor, name, None) else handler


def _plan(node: cst.CSTNode) -> _Plan:
    cls = type(node)
    if not is_node(node):
        plan: _Plan = (_not_a_node, None, ())
    else:
        plan = (_handler("visit_", cls), _handler("leave_", cls), fixed_child_attributes(node))
        visit, leave, order = plan
        if (
            visit is None
            and leave is None
            and order
            and all(name.startswith("whitespace") for name in order)
        ):
            _SPACERS[cls] = order
    _PLANS[cls] = plan
    return plan


def _not_a_node(collector: _Collector, node: object) -> bool:
    return False


def _walk(collector: _Collector, node: cst.CSTNode) -> None:  # noqa: C901, PLR0912 - hot loop
    """Walk `node` as `cst_walk.walk(node, collector)` would, with less work per node: the
    handlers come from a table per class instead of `on_visit`/`on_leave`, and the most
    common nodes (whitespace, line breaks, names without parentheses, commas and dots:
    over three quarters of all nodes) are handled in their parent's loop, without a call."""
    plan = _PLANS.get(node.__class__)
    if plan is None:
        plan = _plan(node)
    visit, leave, order = plan
    if visit is None or visit(collector, node) is not False:
        for attribute in child_attributes(node) if order is None else order:
            value = getattr(node, attribute)
            kind = value.__class__
            if kind is _SIMPLE_WHITESPACE:
                if "\\" in value.value:
                    collector.line += _newlines(value.value)
            elif kind is tuple or kind is list:
                for item in value:
                    _walk(collector, item)
            elif kind is _NAME and not value.lpar:
                _visit_name(collector, value)
            elif kind is _NEWLINE:
                collector.line += 1
            elif kind is _TRAILING_WHITESPACE:
                space = value.whitespace
                if "\\" in space.value:
                    collector.line += _newlines(space.value)
                if value.comment is not None:
                    collector.prose.append(value.comment.value)
                collector.line += 1
            elif kind in _SPACERS:
                for name in _SPACERS[kind]:
                    space = getattr(value, name)
                    if space.__class__ is _SIMPLE_WHITESPACE:
                        if "\\" in space.value:
                            collector.line += _newlines(space.value)
                    else:
                        _walk(collector, space)
            elif value is not None and kind is not _MAYBE_SENTINEL:
                _walk(collector, value)  # a node; `_plan` tells if it is something else
    if leave is not None:
        leave(collector, node)


class _Collector(cst.CSTVisitor):
    """Collects imports, definitions, calls and module names, tracking lines and scopes."""

    def __init__(self) -> None:
        self.line = 1
        self.last_end = 1
        self.imports: list[ImportFact] = []
        self.definitions: list[OpenDefinition] = []
        self.module_names: list[str] = []
        self.all_names = DunderAll()
        self._scopes: list[_Scope] = []
        # Names bound in the innermost scope when it is a function's, else None.
        self._local: set[str] | None = None
        self._function_depth = 0
        self._type_checking = 0
        self._fallback = 0
        # A def/class between its `visit_` and its body: (node, its OpenDefinition, is_class).
        self._pending: list[tuple[cst.FunctionDef | cst.ClassDef, OpenDefinition, bool]] = []
        self._open: list[OpenDefinition] = []  # definitions whose end is not reached yet
        self._marks: dict[int, int] = {}
        self._entered: list[tuple[cst.CSTNode, int]] = []
        self.flow = FlowRecorder()
        self._flow_pending: dict[int, object] = {}
        # Text facts (analyzer.vocabulary): identifiers outside import statements, docstrings
        # and comments, and the strings that hold SQL.
        self.identifiers: list[str] = []
        self.prose: list[str] = []
        self.sql: list[str] = []
        self._importing = 0

    # Fast dispatch: libcst's default looks methods up by formatted name for every node and
    # every attribute of every node.
    def on_visit(self, node: cst.CSTNode) -> bool:
        cls = type(node)
        try:
            handler = _VISIT[cls]
        except KeyError:
            handler = _VISIT[cls] = getattr(_Collector, "visit_" + cls.__name__, None)
        if handler is None:
            return True
        return handler(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        cls = type(original_node)
        try:
            handler = _LEAVE[cls]
        except KeyError:
            handler = _LEAVE[cls] = getattr(_Collector, "leave_" + cls.__name__, None)
        if handler is not None:
            handler(self, original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    # -- line tracking

    def visit_Newline(self, node: cst.Newline) -> bool:
        self.line += 1
        return False

    def visit_SimpleWhitespace(self, node: cst.SimpleWhitespace) -> bool:
        if "\\" in node.value:
            self.line += _newlines(node.value)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        value = node.value
        self.line += _newlines(value)
        if len(value) > 16 and looks_like_sql(value):
            self.sql.append(value)
        return True  # its parentheses may hold line breaks

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        text = _string_text(node)  # `"SELECT ... " "JOIN ..."`: one statement in parts
        if len(text) > 16 and looks_like_sql(text):
            self.sql.append(text)
        return True

    def visit_Comment(self, node: cst.Comment) -> bool:
        self.prose.append(node.value)
        return False

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> bool:
        self.line += _newlines(node.value)
        return False

    def visit_TemplatedStringText(self, node: cst.CSTNode) -> bool:
        self.line += _newlines(node.value)  # type: ignore[attr-defined]
        return False

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.last_end = self.line - 1

    def leave_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.last_end = self.line - 1
        self.flow.leave_block()
        self._leave_block(node)

    # -- scopes

    def _qualname(self, name: str) -> str:
        return f"{self._scopes[-1].qualname}.{name}" if self._scopes else name

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        kind = (
            DefinitionKind.METHOD
            if self._scopes and self._scopes[-1].is_class
            else DefinitionKind.FUNCTION
        )
        decorators = tuple(
            ref for d in node.decorators if (ref := _reference(d.decorator)) is not None
        )
        name = node.name.value
        local_names: set[str] = set()
        _param_names(node.params, local_names)
        definition = OpenDefinition(self._qualname(name), kind, 0, 0, (), decorators, local_names)
        if self._local is not None:
            self._local.add(name)
        self._flow_pending[id(node)] = self.flow.define(node, self.line)
        self.definitions.append(definition)
        self._open.append(definition)
        self._pending.append((node, definition, False))
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        bases = tuple(
            ref for arg in node.bases if not arg.star and (ref := _reference(arg.value)) is not None
        )
        decorators = tuple(
            ref for d in node.decorators if (ref := _reference(d.decorator)) is not None
        )
        name = node.name.value
        definition = OpenDefinition(
            self._qualname(name), DefinitionKind.CLASS, 0, 0, bases, decorators
        )
        if self._local is not None:
            self._local.add(name)
        self._flow_pending[id(node)] = self.flow.define(node, self.line)
        self.definitions.append(definition)
        self._open.append(definition)
        self._pending.append((node, definition, True))
        return True

    def visit_Name(self, node: cst.Name) -> bool:
        if not self._importing:
            self.identifiers.append(node.value)
        if self._pending and node is self._pending[-1][0].name:
            owner = self._pending[-1][0]
            keyword_ws = (
                owner.whitespace_after_def
                if isinstance(owner, cst.FunctionDef)
                else owner.whitespace_after_class
            )
            self._pending[-1][1].line = self.line - _newlines(keyword_ws.value)
        return True  # its parentheses may hold line breaks

    def _enter_block(self, node: cst.IndentedBlock | cst.SimpleStatementSuite) -> None:
        if self._pending and node is self._pending[-1][0].body:
            owner, definition, is_class = self._pending.pop()
            flow_scope = self._flow_pending.pop(id(owner))
            self.flow.enter(flow_scope, definition.line)  # type: ignore[arg-type]
            self._scopes.append(_Scope(definition.qualname, is_class, self._fallback, definition))
            self._local = definition.local_names
            if not is_class:
                self._function_depth += 1
                self._fallback = 0  # a try around a def does not guard its body
            self._entered.append((node, 0))
            return
        mark = self._marks.pop(id(node), 0) if self._marks else 0
        if mark:
            if mark == _MARK_TYPE_CHECKING:
                self._type_checking += 1
            else:
                self._fallback += 1
            self._entered.append((node, mark))

    def _leave_block(self, node: cst.IndentedBlock | cst.SimpleStatementSuite) -> None:
        if not self._entered or self._entered[-1][0] is not node:
            return
        _, mark = self._entered.pop()
        if mark == _MARK_TYPE_CHECKING:
            self._type_checking -= 1
        elif mark == _MARK_FALLBACK:
            self._fallback -= 1
        else:
            scope = self._scopes.pop()
            if not scope.is_class:
                self._function_depth -= 1
                self.flow.leave(scope.definition.local_names, scope.definition.declared)
            else:
                self.flow.leave()
            self._fallback = scope.saved_fallback
            self._local = self._scopes[-1].definition.local_names if self._scopes else None

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        self._enter_block(node)
        self.flow.enter_block(node)
        return True

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.flow.leave_block()
        self._leave_block(node)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        self._enter_block(node)
        self.flow.enter_block(node)
        return True

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        definition = self._open.pop()
        definition.end_line = max(self.last_end, definition.line)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        definition = self._open.pop()
        definition.end_line = max(self.last_end, definition.line)

    # -- import kinds

    def visit_If(self, node: cst.If) -> bool:
        if _is_type_checking(node.test):
            self._marks[id(node.body)] = _MARK_TYPE_CHECKING
        else:
            self.flow.branch(node, self.line)
        return True

    def leave_If(self, node: cst.If) -> None:
        self.flow.after_branch(node)

    def visit_Try(self, node: cst.Try) -> bool:
        self._mark_fallback(node)
        return True

    def visit_TryStar(self, node: cst.TryStar) -> bool:
        self._mark_fallback(node)
        return True

    def _mark_fallback(self, node: cst.Try | cst.TryStar) -> None:
        if any(_catches_import_errors(handler) for handler in node.handlers):
            self._marks[id(node.body)] = _MARK_FALLBACK
            for handler in node.handlers:
                self._marks[id(handler.body)] = _MARK_FALLBACK

    def _import_kind(self) -> ImportKind:
        if self._type_checking:
            return ImportKind.TYPE_CHECKING
        if self._fallback:
            return ImportKind.FALLBACK
        if self._function_depth:
            return ImportKind.FUNCTION
        return ImportKind.TOP_LEVEL

    def visit_Import(self, node: cst.Import) -> bool:
        self._importing += 1
        kind = self._import_kind()
        scope = self.flow.scope.qualname  # as the flow facts name it (`f#2` if redefined)
        for alias in node.names:
            module = _dotted(alias.name) or ""
            fact = ImportFact(module, None, _alias(alias), 0, kind, self.line, scope)
            self.imports.append(fact)
            if self._local is not None:
                self._local.add(fact.bound_name)
        return True

    def leave_Import(self, node: cst.Import) -> None:
        self._importing -= 1

    def leave_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._importing -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._importing += 1
        kind = self._import_kind()
        scope = self.flow.scope.qualname  # as the flow facts name it (`f#2` if redefined)
        module = _dotted(node.module) if node.module is not None else ""
        level = len(node.relative)
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(ImportFact(module or "", "*", None, level, kind, self.line, scope))
            return True
        for alias in node.names:
            name = _dotted(alias.name) or ""
            fact = ImportFact(module or "", name, _alias(alias), level, kind, self.line, scope)
            self.imports.append(fact)
            if self._local is not None:
                self._local.add(fact.bound_name)
        return True

    # -- calls

    def visit_Call(self, node: cst.Call) -> bool:
        line = self.line
        for paren in node.lpar:
            space = paren.whitespace_after
            if isinstance(space, cst.ParenthesizedWhitespace):
                line += 1 + len(space.empty_lines)
        self.flow.call(node, line)
        return True

    # -- names bound in a function's scope (lambdas and comprehensions count as part of it)

    def _bind_local(self, target: cst.BaseExpression) -> None:
        local = self._local
        if local is None:
            return
        if isinstance(target, cst.Name):
            local.add(target.value)
        else:
            names: list[str] = []
            _target_names(target, names)
            local.update(names)

    def visit_For(self, node: cst.For) -> bool:
        self._bind_local(node.target)
        self.flow.assign(node.target, ("it", self.flow.expr(node.iter)), self.line)
        return True

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        self._bind_local(node.target)
        self.flow.assign(node.target, ("it", self.flow.expr(node.iter)), self.line)
        return True

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        entered = ("ent", self.flow.expr(node.item))
        if node.asname is not None:
            self._bind_local(node.asname.name)
            self.flow.assign(node.asname.name, entered, self.line)
        else:
            self.flow.effect_expr(entered, self.line)
        return True

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        self._except_handler(node)
        return True

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> bool:
        self._except_handler(node)
        return True

    def _except_handler(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> None:
        if node.name is None:
            if node.type is not None:
                self.flow.effect(node.type, self.line)
            return
        self._bind_local(node.name.name)
        caught = node.type
        if caught is None:
            return
        types = (
            [element.value for element in caught.elements]
            if isinstance(caught, cst.Tuple)
            else [caught]
        )
        value = ("o", tuple(("exc", self.flow.expr(t)) for t in types))
        self.flow.assign(node.name.name, value, self.line)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        self._bind_local(node.target)
        self.flow.assign(node.target, self.flow.expr(node.value), self.line)
        return True

    # -- statements that move values or call things implicitly

    def visit_Return(self, node: cst.Return) -> bool:
        self.flow.returned(node.value, self.line)
        return True

    def visit_Yield(self, node: cst.Yield) -> bool:
        self.flow.yielded(node, self.line)
        return True

    def visit_Expr(self, node: cst.Expr) -> bool:
        value = node.value
        if isinstance(value, cst.SimpleString | cst.ConcatenatedString):
            self.prose.append(_string_text(value))  # a docstring, or a string used as one
        elif not isinstance(value, cst.Call | cst.Yield | cst.Await):
            self.flow.effect(value, self.line)
        return True

    def visit_Raise(self, node: cst.Raise) -> bool:
        if node.exc is not None:
            self.flow.effect_expr(("raise", self.flow.expr(node.exc)), self.line)
        return True

    def visit_Assert(self, node: cst.Assert) -> bool:
        self.flow.effect(node.test, self.line)
        return True

    def visit_While(self, node: cst.While) -> bool:
        self.flow.effect(node.test, self.line)
        return True

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.flow.leave()

    def visit_Del(self, node: cst.Del) -> bool:
        self._bind_local(node.target)
        return True

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        if self._local is not None:
            _param_names(node.params, self._local)
        self.flow.enter_lambda(node, self.line)
        return True

    def visit_MatchAs(self, node: cst.MatchAs) -> bool:
        if node.name is not None:
            self._bind_local(node.name)
        return True

    def visit_MatchStar(self, node: cst.MatchStar) -> bool:
        if node.name is not None:
            self._bind_local(node.name)
        return True

    def visit_MatchMapping(self, node: cst.MatchMapping) -> bool:
        if node.rest is not None:
            self._bind_local(node.rest)
        return True

    def visit_Global(self, node: cst.Global) -> bool:
        self._declare(node.names)
        self.flow.declare_global([item.name.value for item in node.names])
        return True

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        self._declare(node.names)
        return True

    def _declare(self, names: Sequence[cst.NameItem]) -> None:
        if self._local is None:
            return
        self._scopes[-1].definition.declared.update(item.name.value for item in names)

    # -- module-level names and __all__ (and assignments in functions)

    def visit_Assign(self, node: cst.Assign) -> bool:
        value = self.flow.expr(node.value)
        for target in node.targets:
            self.flow.assign(target.target, value, self.line)
        if not self._scopes:
            for target in node.targets:
                self._bind(target.target, node.value, "=")
        elif self._local is not None:
            for target in node.targets:
                self._bind_local(target.target)
        return True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        value = (
            self.flow.expr(node.value)
            if node.value is not None
            else ("hint", self.flow.hint(node.annotation.annotation))
        )
        self.flow.assign(node.target, value, self.line)
        if not self._scopes:
            if node.value is not None:
                self._bind(node.target, node.value, "=")
        else:
            self._bind_local(node.target)  # `x: int` alone makes `x` local too
        return True

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        self.flow.augmented(node, self.line)
        if not self._scopes:
            operator = "+=" if isinstance(node.operator, cst.AddAssign) else "other"
            self._bind(node.target, node.value, operator)
        else:
            self._bind_local(node.target)
        return True

    def visit_TypeAlias(self, node: cst.TypeAlias) -> bool:
        if not self._scopes:
            self.module_names.append(node.name.value)
        else:
            self._bind_local(node.name)
        return True

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression, operator: str) -> None:
        names: list[str] = []
        _target_names(target, names)
        self.module_names.extend(names)
        if "__all__" not in names:
            return
        plain = isinstance(target, cst.Name)
        self.all_names.bind(_literal_strings(value) if plain else None, operator)


_visit_name = _Collector.visit_Name


def _string_text(node: cst.SimpleString | cst.ConcatenatedString) -> str:
    if isinstance(node, cst.SimpleString):
        return node.value
    parts: list[str] = []
    for part in (node.left, node.right):
        if isinstance(part, cst.SimpleString | cst.ConcatenatedString):
            parts.append(_string_text(part))
    return " ".join(parts)


def _alias(alias: cst.ImportAlias) -> str | None:
    if alias.asname is None:
        return None
    name = alias.asname.name
    return name.value if isinstance(name, cst.Name) else None
