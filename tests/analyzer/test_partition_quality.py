"""MoJo, MoJoFM, ARI and NMI against hand-worked cases and brute force on tiny partitions."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator

import pytest

from analyzer.partition_quality import (
    adjusted_rand,
    common_modules,
    compare_partitions,
    max_mojo_distance,
    mojo_distance,
    mojofm,
    nmi,
)

Partition = frozenset[frozenset[int]]


def mapping(*clusters: str) -> dict[str, str]:
    """`mapping("ab", "c")` -> {"a": "c0", "b": "c0", "c": "c1"}: one string per cluster."""
    return {module: f"c{i}" for i, cluster in enumerate(clusters) for module in cluster}


def as_mapping(partition: Partition, prefix: str = "c") -> dict[str, str]:
    ordered = sorted(sorted(cluster) for cluster in partition)
    return {f"m{m}": f"{prefix}{i}" for i, cluster in enumerate(ordered) for m in cluster}


def set_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for smaller in set_partitions(rest):
        yield [[first], *smaller]
        for i in range(len(smaller)):
            yield [*smaller[:i], [first, *smaller[i]], *smaller[i + 1 :]]


def all_partitions(n: int) -> list[Partition]:
    return [frozenset(frozenset(c) for c in p) for p in set_partitions(list(range(n)))]


def neighbours(state: Partition) -> Iterator[Partition]:
    """Every partition one Move or one Join away (a move may open a new cluster)."""
    clusters = sorted(state, key=sorted)
    for i, a in enumerate(clusters):
        for b in clusters[i + 1 :]:
            yield (state - {a, b}) | {a | b}
    for source in clusters:
        for item in source:
            left = source - {item}
            base = state - {source}
            if left:
                base = base | {left}
                yield base | {frozenset({item})}
            for target in clusters:
                if target is not source:
                    yield (base - {target}) | {target | {item}}


def bfs_distances(start: Partition) -> dict[Partition, int]:
    distance = {start: 0}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for nxt in neighbours(state):
            if nxt not in distance:
                distance[nxt] = distance[state] + 1
                queue.append(nxt)
    return distance


# ---------------------------------------------------------------------------------------------
# hand-worked cases


def test_identical_partitions_score_perfectly_whatever_the_names() -> None:
    truth = mapping("abc", "de", "f")
    renamed = {m: f"other-{c}" for m, c in truth.items()}
    for found in (truth, renamed):
        assert mojo_distance(found, truth) == 0
        assert mojofm(found, truth) == 100.0
        assert adjusted_rand(found, truth) == pytest.approx(1.0)
        assert nmi(found, truth) == pytest.approx(1.0)


def test_one_move() -> None:
    # A = {a b c}{d e}, B = {a b}{c d e}: move c. n = 5, sizes 2, 3 -> g = 2, max = 3.
    found, truth = mapping("abc", "de"), mapping("ab", "cde")
    assert mojo_distance(found, truth) == 1
    assert max_mojo_distance(truth) == 3
    assert mojofm(found, truth) == pytest.approx(100 * (1 - 1 / 3))


def test_one_join() -> None:
    # A = {a b}{c}{d e}, B = {a b c}{d e}: join {a b} and {c}.
    found, truth = mapping("ab", "c", "de"), mapping("abc", "de")
    assert mojo_distance(found, truth) == 1
    assert mojofm(found, truth) == pytest.approx(100 * (1 - 1 / 3))


def test_all_in_one_cluster_needs_a_move_per_module_outside_the_largest_true_cluster() -> None:
    found = mapping("abcdef")
    truth = mapping("abcd", "e", "f")  # sizes 1, 1, 4 -> g = 2, max = 6 - 2 = 4
    assert mojo_distance(found, truth) == 2
    assert max_mojo_distance(truth) == 4
    assert mojofm(found, truth) == pytest.approx(50.0)
    assert adjusted_rand(found, truth) == pytest.approx(0.0)
    assert nmi(found, truth) == pytest.approx(0.0)


def test_singletons_need_a_join_per_module_beyond_one_per_true_cluster() -> None:
    found = mapping(*"abcdef")
    truth = mapping("abcd", "e", "f")
    assert mojo_distance(found, truth) == 6 - 3
    assert mojofm(found, truth) == pytest.approx(100 * (1 - 3 / 4))


def test_the_worst_partitions_score_zero() -> None:
    truth = mapping("abc", "de", "f")  # sizes 1, 2, 3 -> g = 3, max = 3
    assert max_mojo_distance(truth) == 3
    assert mojo_distance(mapping("abcdef"), truth) == 3
    assert mojo_distance(mapping(*"abcdef"), truth) == 3
    assert mojofm(mapping("abcdef"), truth) == 0.0
    assert mojofm(mapping(*"abcdef"), truth) == 0.0


def test_tied_tags_are_resolved_by_the_matching_not_by_the_first_tag() -> None:
    # A1 = {x1 x2} overlaps B1 and B2 by one module each; A2 = {y1 y2} lies in B1.
    # Tagging A1 with B1 would cost a move and a join; the matching tags it B2: one move (x1).
    found = {"x1": "A1", "x2": "A1", "y1": "A2", "y2": "A2"}
    truth = {"x1": "B1", "x2": "B2", "y1": "B1", "y2": "B1"}
    assert mojo_distance(found, truth) == 1


def test_reference_implementation_example_of_the_maximum() -> None:
    # The comment in MoJoCalculator.maxDistanceTo: sizes 1..8, 10, 10, 10, 15 give g = 11.
    sizes = [1, 2, 3, 4, 5, 6, 7, 8, 10, 10, 10, 15]
    truth = {f"m{c}-{i}": f"c{c}" for c, size in enumerate(sizes) for i in range(size)}
    assert len(truth) == 81
    assert max_mojo_distance(truth) == 81 - 11


def test_mojo_is_not_symmetric() -> None:
    two, one = mapping("ab", "cd"), mapping("abcd")
    assert mojo_distance(two, one) == 1  # one join
    assert mojo_distance(one, two) == 2  # two moves


def test_only_common_modules_count() -> None:
    found = {**mapping("abc", "de"), "extra": "c9"}
    truth = {**mapping("ab", "cde"), "only-in-truth": "c0"}
    assert common_modules(found, truth) == ["a", "b", "c", "d", "e"]
    agreement = compare_partitions(found, truth)
    assert agreement.modules == 5
    assert agreement.mojo == 1
    assert agreement.found_clusters == 2 and agreement.truth_clusters == 2
    with pytest.raises(ValueError):
        mojofm({"a": "x"}, {"b": "y"})


def test_one_common_module_is_a_perfect_match() -> None:
    assert mojofm({"a": "x"}, {"a": "y"}) == 100.0


def test_results_do_not_depend_on_mapping_order() -> None:
    rng = random.Random(7)
    found = {f"m{i}": f"f{rng.randrange(4)}" for i in range(30)}
    truth = {f"m{i}": f"t{rng.randrange(5)}" for i in range(30)}
    items = list(found.items())
    rng.shuffle(items)
    assert compare_partitions(dict(items), truth) == compare_partitions(found, truth)


def test_ari_and_nmi_are_symmetric_and_mojofm_is_bounded() -> None:
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randrange(2, 25)
        a = {f"m{i}": f"a{rng.randrange(1, n + 1)}" for i in range(n)}
        b = {f"m{i}": f"b{rng.randrange(1, 5)}" for i in range(n)}
        assert adjusted_rand(a, b) == pytest.approx(adjusted_rand(b, a))
        assert nmi(a, b) == pytest.approx(nmi(b, a))
        assert 0.0 <= mojofm(a, b) <= 100.0
        assert (mojo_distance(a, b) == 0) == (mojofm(a, b) == 100.0)


# ---------------------------------------------------------------------------------------------
# brute force


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_mojo_equals_breadth_first_search_over_moves_and_joins(n: int) -> None:
    partitions = all_partitions(n)
    for start in partitions:
        distances = bfs_distances(start)
        assert len(distances) == len(partitions)
        for target in partitions:
            assert (
                mojo_distance(as_mapping(start, "a"), as_mapping(target, "b"))
                == (distances[target])
            ), (sorted(map(sorted, start)), sorted(map(sorted, target)))


def test_mojo_equals_breadth_first_search_on_sampled_partitions_of_seven() -> None:
    partitions = all_partitions(7)
    rng = random.Random(11)
    for start in rng.sample(partitions, 4):
        distances = bfs_distances(start)
        for target in rng.sample(partitions, 150):
            assert (
                mojo_distance(as_mapping(start, "a"), as_mapping(target, "b"))
                == (distances[target])
            )


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_closed_form_maximum_equals_the_maximum_over_all_partitions(n: int) -> None:
    partitions = all_partitions(n)
    for target in partitions:
        truth = as_mapping(target, "b")
        worst = max(mojo_distance(as_mapping(p, "a"), truth) for p in partitions)
        assert max_mojo_distance(truth) == worst
