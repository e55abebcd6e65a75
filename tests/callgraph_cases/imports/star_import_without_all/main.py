from reporting.formatting import *  # noqa: F403

table = Table(["region", "revenue", "growth"])  # noqa: F405
table.add_row("north", money(1250.5), percent(0.124))  # noqa: F405
table.add_row("south", money(980, currency="USD"), percent(0.03))  # noqa: F405
