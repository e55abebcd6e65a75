"""Plain-text / CSV / JSON output for reports."""
import csv
import io
from decimal import Decimal

try:
    import simplejson as json  # finance's box has it; it keeps Decimal exact
except ImportError:
    import json

from ..core.money import Money


def cell(value):
    if isinstance(value, Money):
        return value.format()
    if isinstance(value, Decimal):
        return f"{value}"
    if value is None:
        return "-"
    return str(value)


def table(headers, rows, align=None):
    """Fixed-width text table. align: string of 'l'/'r' per column."""
    text_rows = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    align = align or "l" + "r" * (len(headers) - 1)

    def fmt(values):
        parts = []
        for i, value in enumerate(values):
            parts.append(value.rjust(widths[i]) if align[i] == "r" else value.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    lines = [fmt(headers), fmt(["-" * w for w in widths])]
    lines.extend(fmt(row) for row in text_rows)
    return "\n".join(lines)


def key_values(pairs, indent=2):
    width = max((len(k) for k, _ in pairs), default=0)
    return "\n".join(f"{' ' * indent}{k.ljust(width)}  {cell(v)}" for k, v in pairs)


def to_csv(headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([str(v.amount) if isinstance(v, Money) else v for v in row])
    return buffer.getvalue()


def _default(value):
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data):
    return json.dumps(data, default=_default, sort_keys=True, indent=2)
