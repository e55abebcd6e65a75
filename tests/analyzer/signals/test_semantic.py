"""The semantic signal: TF-IDF of the words modules are written in."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from analyzer.pipeline import Analysis
from analyzer.signals.semantic import semantic_features

DOCUMENTS = {
    "shop.orders.basket": {"order": 3, "basket": 2, "checkout": 1, "the": 9, "service": 1},
    "shop.orders.checkout": {"order": 2, "checkout": 3, "basket": 1, "the": 4, "service": 1},
    "shop.catalogue.products": {"product": 4, "category": 1, "price": 2, "the": 7, "service": 1},
    "shop.catalogue.prices": {"price": 3, "product": 1, "category": 2, "service": 1},
    "shop.mail.smtp": {"smtp": 2, "mail": 3, "the": 2, "service": 1, "unique": 5},
    "shop.mail.templates": {"mail": 2, "template": 2, "service": 1},
}


def terms_of(documents: dict[str, dict[str, int]]) -> dict[str, tuple[tuple[str, int], ...]]:
    return {module: tuple(sorted(counts.items())) for module, counts in documents.items()}


def similarity(matrix: sp.csr_matrix, modules: list[str], a: str, b: str) -> float:
    i, j = modules.index(a), modules.index(b)
    return float((matrix[i] @ matrix[j].T).toarray()[0, 0])


@pytest.fixture
def modules() -> list[str]:
    return sorted(DOCUMENTS)


def test_shared_domain_words_make_modules_similar(modules: list[str]) -> None:
    matrix = semantic_features(modules, terms_of(DOCUMENTS))
    assert matrix.shape[0] == len(modules)
    same = similarity(matrix, modules, "shop.orders.basket", "shop.orders.checkout")
    other = similarity(matrix, modules, "shop.orders.basket", "shop.catalogue.products")
    assert same > 0.5
    assert other == pytest.approx(0.0)  # only "the" and "service" in common: both dropped
    assert similarity(matrix, modules, "shop.catalogue.prices", "shop.catalogue.products") > 0.5
    assert similarity(matrix, modules, "shop.mail.smtp", "shop.mail.templates") > 0.1


def test_rows_are_l2_normalized(modules: list[str]) -> None:
    matrix = semantic_features(modules, terms_of(DOCUMENTS))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert norms == pytest.approx(np.ones(len(modules)))


def test_stop_words_common_and_rare_terms_are_dropped(modules: list[str]) -> None:
    matrix = semantic_features(modules, terms_of(DOCUMENTS))
    # kept: order, basket, checkout, product, category, price, mail (each in 2 or 3 modules);
    # dropped: "the" (a stop word), "service" (in every module), "smtp", "template" and
    # "unique" (in one module only)
    assert matrix.shape[1] == 7


def test_a_module_without_usable_terms_gets_an_empty_row(modules: list[str]) -> None:
    documents = {**DOCUMENTS, "shop.empty": {"the": 3, "and": 1}}
    names = sorted(documents)
    matrix = semantic_features(names, terms_of(documents))
    assert matrix[names.index("shop.empty")].nnz == 0
    missing = semantic_features([*modules, "shop.unknown"], terms_of(DOCUMENTS))
    assert missing[len(modules)].nnz == 0


def test_extra_terms_add_words(modules: list[str]) -> None:
    plain = semantic_features(modules, terms_of(DOCUMENTS))
    # e.g. the words of the modules' paths (combine adds them unless the layout is ignored)
    extra = {"shop.orders.basket": ["sale"], "shop.catalogue.products": ["sale", "sale"]}
    with_extra = semantic_features(modules, terms_of(DOCUMENTS), extra)
    assert with_extra.shape[1] == plain.shape[1] + 1
    pair = ("shop.orders.basket", "shop.catalogue.products")
    assert similarity(plain, modules, *pair) == pytest.approx(0.0)
    assert similarity(with_extra, modules, *pair) > 0.1


def test_deterministic_whatever_the_input_order(modules: list[str]) -> None:
    first = semantic_features(modules, terms_of(DOCUMENTS))
    shuffled = {m: tuple(reversed(terms_of(DOCUMENTS)[m])) for m in reversed(modules)}
    second = semantic_features(modules, shuffled)
    assert (first != second).nnz == 0
    assert np.array_equal(
        first.toarray(), semantic_features(modules, terms_of(DOCUMENTS)).toarray()
    )


@pytest.mark.parametrize(
    "documents",
    [
        {},
        {"only.one": {"order": 2}},
        {"a": {"the": 1}, "b": {"and": 2}},  # nothing but stop words
    ],
)
def test_degenerate_inputs_give_no_columns(documents: dict[str, dict[str, int]]) -> None:
    names = sorted(documents)
    matrix = semantic_features(names, terms_of(documents))
    assert matrix.shape == (len(names), 0)


def test_no_term_survives_the_bounds() -> None:
    documents = {f"m{i}": {f"word{i}": 1} for i in range(6)}  # each in one module only
    matrix = semantic_features(sorted(documents), terms_of(documents))
    assert matrix.shape == (6, 0)


def test_on_the_words_of_an_analyzed_shop(django_shop: Analysis) -> None:
    modules = [f.module for f in django_shop.facts]
    matrix = semantic_features(modules, {f.module: f.terms for f in django_shop.facts})

    def sim(a: str, b: str) -> float:
        return similarity(matrix, modules, a, b)

    # `order` words tie the order code together, `product`/`title` words the catalogue's
    assert sim("shop.orders.services", "shop.orders.views") > sim(
        "shop.orders.services", "shop.catalogue.search"
    )
    assert sim("shop.catalogue.search", "shop.catalogue.models") > sim(
        "shop.catalogue.search", "shop.orders.services"
    )
