def fmt_money(value):
    return f"{value:.2f}"


FORMATTERS = {
    "int": lambda v: str(int(v)),
    "money": lambda v: fmt_money(v),
    "upper": lambda v: str(v).upper(),
}


def format_cell(kind, value):
    return FORMATTERS[kind](value)


format_cell("money", 12.5)
format_cell("upper", "eur")
