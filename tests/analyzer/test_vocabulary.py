"""Vocabulary: identifier splitting, module terms (from the parse pass too), SQL table names."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from analyzer.facts import ModuleFacts, SourceFile
from analyzer.parse import parse_source
from analyzer.vocabulary import (
    MIN_TERM_LENGTH,
    PYTHON_WORDS,
    looks_like_sql,
    module_terms,
    split_identifier,
    sql_tables,
)


def parsed(code: str, module: str = "shop.billing.invoices") -> ModuleFacts:
    relpath = module.replace(".", "/") + ".py"
    data = textwrap.dedent(code).lstrip("\n").encode()
    result = parse_source(SourceFile(Path("/nowhere") / relpath, relpath, module, False), data)
    assert isinstance(result, ModuleFacts), result
    return result


# -- split_identifier


@pytest.mark.parametrize(
    ("identifier", "terms"),
    [
        ("OrderLineTotal", ("order", "line", "total")),
        ("order_line_total", ("order", "line", "total")),
        ("ORDER_LINE_TOTAL", ("order", "line", "total")),
        ("OrderLineItem", ("order", "line")),  # `item` is a word every module uses
        ("_private_order", ("private", "order")),
        ("__tablename__", ("tablename",)),
        ("orderLineTotal", ("order", "line", "total")),
        # acronyms stay one word, the capitalized word after them is split off
        ("HTTPServer", ("http", "server")),
        ("XMLHttpRequest", ("xml", "http", "request")),
        ("parseJSONResponse", ("parse", "json", "response")),
        ("getHTTPSUrl", ("https", "url")),
        # digits split words and are dropped
        ("Order2Line", ("order", "line")),
        ("invoice_v2_total", ("invoice", "total")),
        ("base64decoder", ("base", "decoder")),
        ("product3d", ("product",)),
    ],
)
def test_split_identifier(identifier: str, terms: tuple[str, ...]) -> None:
    assert split_identifier(identifier) == terms


@pytest.mark.parametrize(
    "identifier",
    [
        "self",
        "cls",
        "__init__",
        "kwargs",
        "get_value",
        "items",
        "isinstance",
        "ID",  # shorter than MIN_TERM_LENGTH
        "x",
        "db",
        "to_str",
        "_",
        "",
    ],
)
def test_split_identifier_drops_python_words_and_short_parts(identifier: str) -> None:
    assert split_identifier(identifier) == ()


def test_split_identifier_keeps_domain_words_between_dropped_ones() -> None:
    assert split_identifier("get_invoice_by_id") == ("invoice",)
    assert split_identifier("self_invoice_kwargs") == ("invoice",)
    assert all(len(term) >= MIN_TERM_LENGTH for term in split_identifier("aBcDeFgHiJ"))


def test_split_identifier_is_stable_across_calls() -> None:
    assert split_identifier("ShipmentTracker") == split_identifier("ShipmentTracker")
    assert split_identifier("ShipmentTracker") == ("shipment", "tracker")


def test_python_words_cover_keywords_and_builtins() -> None:
    assert {"self", "def", "return", "isinstance", "kwargs"} <= PYTHON_WORDS
    assert not {"order", "invoice", "product", "customer"} & PYTHON_WORDS


# -- module_terms


def test_module_terms_counts_identifiers_and_prose_sorted() -> None:
    terms = module_terms(
        ["Invoice", "invoice", "InvoiceLine", "invoice", "self", "total_amount"],
        ["# Refund the invoice total", '"""Invoices are sent monthly."""'],
    )
    assert terms == tuple(sorted(terms))
    counts = dict(terms)
    assert counts["invoice"] == 5  # four identifiers hold it, and the comment
    assert counts["line"] == 1
    assert counts["total"] == 2
    assert counts["amount"] == 1
    assert counts["refund"] == 1
    assert counts["invoices"] == 1  # no stemming
    assert counts["monthly"] == 1
    assert "self" not in counts
    assert "are" in counts  # English stop words are dropped later, by the TF-IDF vectorizer


def test_module_terms_empty() -> None:
    assert module_terms([], []) == ()
    assert module_terms(["self", "x"], ["# a b"]) == ()


def test_parsed_terms_leave_out_import_paths() -> None:
    facts = parsed(
        '''
        from oscar.apps.catalogue import abstract_models
        import warehouse.shipping.carriers as carriers
        from payments.gateway import (
            StripeGateway,
        )
        from . import ledger_tools


        def refund_invoice(invoice):
            """Return the customer's money."""
            # ledger entry for the accountant
            thing = abstract_models.AbstractThing
            return carriers, thing
        '''
    )
    terms = dict(facts.terms)
    for path_word in ("oscar", "apps", "catalogue", "warehouse", "shipping", "payments"):
        assert path_word not in terms, path_word
    # a bound name counts only where it is used again, outside the import statement
    assert "stripe" not in terms
    assert "gateway" not in terms
    assert "tools" not in terms
    assert terms["carriers"] == 1  # used in the return
    assert terms["abstract"] == 2  # `abstract_models` used, and `AbstractThing`
    assert terms["models"] == 1
    # identifiers, the docstring and the comment all contribute
    assert terms["refund"] == 1
    assert terms["invoice"] == 2  # the function name and the parameter
    assert terms["customer"] == 1
    assert terms["money"] == 1
    assert terms["ledger"] == 1
    assert terms["accountant"] == 1
    # the module's own dotted name is no term either
    assert "billing" not in terms
    assert "invoices" not in terms


def test_parsed_terms_from_class_bodies_and_attributes() -> None:
    facts = parsed(
        """
        class ShipmentTracker:
            carrier_code = "DHL"

            def track(self, parcel):
                return parcel.tracking_number
        """
    )
    terms = dict(facts.terms)
    assert terms["shipment"] == 1
    assert terms["tracker"] == 1
    assert terms["carrier"] == 1
    assert terms["parcel"] == 2
    assert terms["tracking"] == 1
    assert "dhl" not in terms  # a string literal is neither identifier nor prose


def test_parsed_sql_tables() -> None:
    facts = parsed(
        '''
        def sales(cursor):
            cursor.execute("SELECT total FROM billing_invoice WHERE id = %s", [1])
            cursor.execute("""
                UPDATE billing_invoice SET paid = 1
                WHERE customer_id IN (SELECT id FROM crm_customer)
            """)
            return "select a product from the list"
        '''
    )
    assert facts.sql_tables == (
        ("billing_invoice", "read"),
        ("billing_invoice", "write"),
        (
            "crm_customer",
            "read",
        ),
    )


def test_parsed_sql_tables_of_concatenated_strings() -> None:
    facts = parsed(
        """
        QUERY = (
            "SELECT p.title FROM catalogue_product p "
            "JOIN catalogue_category c ON c.id = p.category_id"
        )
        """
    )
    assert facts.sql_tables == (("catalogue_category", "read"), ("catalogue_product", "read"))


# -- sql_tables


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("SELECT * FROM orders", [("orders", "read")]),
        (
            "select id from orders o join order_lines l on l.order_id = o.id",
            [
                ("order_lines", "read"),
                ("orders", "read"),
            ],
        ),
        (
            "SELECT a FROM x LEFT OUTER JOIN y ON 1 INNER JOIN z ON 1",
            [
                ("x", "read"),
                ("y", "read"),
                ("z", "read"),
            ],
        ),
        # writes: the first table of the statement is written, the others read
        ("INSERT INTO orders (number) VALUES (%s)", [("orders", "write")]),
        ("INSERT INTO orders (a) SELECT b FROM carts", [("carts", "read"), ("orders", "write")]),
        (
            "UPDATE inventory SET qty = 0 WHERE id IN (SELECT id FROM products)",
            [
                ("inventory", "write"),
                ("products", "read"),
            ],
        ),
        ("DELETE FROM sessions WHERE expired", [("sessions", "write")]),
        ("CREATE TABLE IF NOT EXISTS audit (id int)", [("audit", "write")]),
        ("CREATE TABLE audit (id int)", [("audit", "write")]),
        ("DROP TABLE old_orders", [("old_orders", "write")]),
        ("ALTER TABLE orders ADD COLUMN note text", [("orders", "write")]),
        ("TRUNCATE sessions", [("sessions", "write")]),
        ("TRUNCATE TABLE sessions", [("sessions", "write")]),
        ("TRUNCATE TABLE public.sessions", [("sessions", "write")]),
        # a table named twice keeps the write
        ("UPDATE stock SET n = (SELECT n FROM stock WHERE id = 1)", [("stock", "write")]),
        # schema prefixes are dropped, quoting of every dialect removed, names lower-cased
        ("SELECT * FROM public.orders", [("orders", "read")]),
        ('SELECT * FROM "public"."Orders"', [("orders", "read")]),
        ('INSERT INTO "Order_Lines" VALUES (1)', [("order_lines", "write")]),
        ("SELECT * FROM `shop`.`orders`", [("orders", "read")]),
        ("select * from [dbo].[Orders]", [("orders", "read")]),
        ("SELECT * FROM orders\n  JOIN\n  lines ON 1", [("lines", "read"), ("orders", "read")]),
        ("update orders set paid = true", [("orders", "write")]),
    ],
)
def test_sql_tables(sql: str, tables: list[tuple[str, str]]) -> None:
    assert looks_like_sql(sql)
    assert sql_tables(sql) == tuple(tables)


@pytest.mark.parametrize(
    "text",
    [
        "Hello, world",
        "orders",
        "Select",
        "from here to there",
        "shop.orders.models.Order",
        "",
    ],
)
def test_not_sql(text: str) -> None:
    assert not looks_like_sql(text)
    assert sql_tables(text) == ()


@pytest.mark.parametrize(
    "prose",
    [
        "Please select a product from the list",
        "update the order from the cart",
        "Select the right one",
    ],
)
def test_prose_that_reads_like_sql_names_no_table(prose: str) -> None:
    assert sql_tables(prose) == ()
