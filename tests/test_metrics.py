"""Each metric on a case small enough to check by hand."""

import math

import pytest

from cinerec.recommend.metrics import (
    METRICS,
    catalog_coverage,
    hit_rate_at_k,
    hub_share,
    intra_list_diversity,
    judged_precision_at_k,
    members_represented,
    ndcg_at_k,
    popularity_percentile,
    precision_at_k,
)


def test_judged_precision() -> None:
    # 3 of the top 4 are in the judged set; the fifth is not looked at
    assert judged_precision_at_k([1, 2, 3, 4, 5], {1, 3, 4, 5}, 4) == 0.75
    assert judged_precision_at_k([1, 2], {1, 2}, 10) == 0.2  # a short list counts its gaps
    assert judged_precision_at_k([], {1}, 10) == 0.0


def test_members_represented() -> None:
    # a profile of three movies: the first two have one of their judged films in the top 3
    members = [{1, 2}, {3}, {8, 9}]
    assert members_represented([1, 3, 4, 8], members, 3) == pytest.approx(2 / 3)
    assert members_represented([1, 3, 4, 8], members, 4) == 1.0
    assert members_represented([5, 6], members, 10) == 0.0
    assert members_represented([1], [], 10) == 0.0


def test_popularity_percentile() -> None:
    percentile = {1: 1.0, 2: 0.5, 3: 0.0}
    assert popularity_percentile([1, 2, 3, 9], percentile, 3) == pytest.approx(0.5)
    assert popularity_percentile([9], percentile, 3) == 0.0  # unknown counts as 0
    assert popularity_percentile([], percentile, 3) == 0.0


def test_hub_share() -> None:
    # 9 places; film 1 holds 3 of them, film 2 two, every other film one
    lists = [[1, 2, 3], [1, 2, 4], [1, 5, 6, 99]]  # 99 is past k
    assert hub_share(lists, 1, 3) == pytest.approx(3 / 9)
    assert hub_share(lists, 2, 3) == pytest.approx(5 / 9)
    assert hub_share(lists, 50, 3) == 1.0
    assert hub_share([[7, 8]] * 4, 2, 10) == 1.0  # the same list whatever the query
    assert hub_share([], 5, 3) == 0.0 and hub_share([[]], 5, 3) == 0.0
    assert hub_share(lists, 0, 3) == 0.0


def test_hit_rate() -> None:
    assert hit_rate_at_k([1, 2, 3], {3}, 3) == 1.0
    assert hit_rate_at_k([1, 2, 3], {3}, 2) == 0.0
    assert hit_rate_at_k([], {1}, 5) == 0.0


def test_precision() -> None:
    assert precision_at_k([1, 2, 3, 4], {2, 4, 9}, 4) == 0.5
    assert precision_at_k([1, 2], {1, 2}, 4) == 0.5  # short list still divides by k
    assert precision_at_k([1], {1}, 0) == 0.0


def test_ndcg_by_hand() -> None:
    # relevant at ranks 1 and 3 of 3; two relevant items in total
    dcg = 1 / math.log2(2) + 1 / math.log2(4)
    ideal = 1 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at_k([7, 8, 9], {7, 9}, 3) == pytest.approx(dcg / ideal)
    assert ndcg_at_k([7, 9], {7, 9}, 3) == pytest.approx(1.0)
    assert ndcg_at_k([1, 2], set(), 2) == 0.0


def test_coverage() -> None:
    assert catalog_coverage([[1, 2], [2, 3]], 10) == pytest.approx(0.3)
    assert catalog_coverage([], 10) == 0.0


def test_intra_list_diversity() -> None:
    genres = {1: frozenset({"a"}), 2: frozenset({"a"}), 3: frozenset({"b"})}
    assert intra_list_diversity([1, 2], genres) == 0.0
    assert intra_list_diversity([1, 3], genres) == 1.0
    assert intra_list_diversity([1, 2, 3], genres) == pytest.approx(2 / 3)


def test_metric_table_names() -> None:
    assert set(METRICS) == {"hit_rate", "precision", "ndcg"}
