"""The semantic signal: modules written in the same words are about the same things.

Each module is a document of its terms (identifiers split on snake_case and CamelCase,
docstrings and comments; analyzer.vocabulary), weighted by TF-IDF with sub-linear term
frequency (Salton & Buckley 1988; scikit-learn's TfidfVectorizer) and compared by cosine
similarity. English stop words and terms used by fewer than two modules or by more than
half of them are dropped: they cannot tell domains apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

MAX_DOCUMENT_SHARE = 0.5
MIN_DOCUMENTS = 2


def semantic_features(
    modules: Sequence[str],
    terms: Mapping[str, Sequence[tuple[str, int]]],
    extra_terms: Mapping[str, Sequence[str]] | None = None,
) -> sp.csr_matrix:
    """One L2-normalized TF-IDF row per module (in `modules` order); a module without
    usable terms gets an empty row. `extra_terms` adds words (for example the module's own
    path, when the layout is not ignored)."""
    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    documents: list[dict[str, int]] = []
    for module in modules:
        counts = {t: c for t, c in terms.get(module, ()) if t not in ENGLISH_STOP_WORDS}
        for term in (extra_terms or {}).get(module, ()):
            counts[term] = counts.get(term, 0) + 1
        documents.append(counts)
    if len(modules) < 2 or not any(documents):
        return sp.csr_matrix((len(modules), 0))
    vectorizer = TfidfVectorizer(
        analyzer=_as_counts,
        sublinear_tf=True,
        min_df=MIN_DOCUMENTS if len(modules) > 4 else 1,
        max_df=MAX_DOCUMENT_SHARE if len(modules) > 4 else 1.0,
        dtype=np.float64,
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no term survives the document-frequency bounds
        return sp.csr_matrix((len(modules), 0))
    return sp.csr_matrix(matrix)


def _as_counts(document: dict[str, int]) -> list[str]:
    """The analyzer TfidfVectorizer calls: a document's terms, each repeated `count` times,
    in sorted order (the vocabulary, hence the output, is then independent of hash seeds)."""
    return [term for term in sorted(document) for _ in range(document[term])]
