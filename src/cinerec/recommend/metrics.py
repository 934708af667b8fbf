"""Ranking metrics as small pure functions (after Microsoft Recommenders' evaluation module).

Each takes a ranked list of recommended item ids and the set of relevant ones (or, for the
list-level metrics, all lists), and returns a float in [0, 1]. `METRICS` maps names to them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence


def hit_rate_at_k(recommended: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """1 if any of the top k is relevant, else 0. min=0, max=1."""
    return 1.0 if any(item in relevant for item in recommended[:k]) else 0.0


def precision_at_k(
    recommended: Sequence[Hashable], relevant: Collection[Hashable], k: int
) -> float:
    """Relevant items among the top k, divided by k. min=0, max=1."""
    if k <= 0:
        return 0.0
    return sum(1 for item in recommended[:k] if item in relevant) / k


def ndcg_at_k(recommended: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Binary-relevance nDCG: DCG of the top k over the DCG of an ideal ranking. min=0, max=1."""
    dcg = sum(
        1.0 / math.log2(rank + 2) for rank, item in enumerate(recommended[:k]) if item in relevant
    )
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return dcg / ideal if ideal > 0 else 0.0


def judged_precision_at_k(
    recommended: Sequence[Hashable], judged: Collection[Hashable], k: int
) -> float:
    """Share of the top k that a film fan judged clearly similar to the query movie (the
    judged set, `recommend/data/judged_similar.json`); a short list still divides by k.
    min=0, max=1."""
    return precision_at_k(recommended, judged, k)


def members_represented(
    recommended: Sequence[Hashable], members: Sequence[Collection[Hashable]], k: int
) -> float:
    """Share of a taste profile's movies that have at least one of their own judged films in
    the top k: whether the list reads like each film liked, not only like what they share
    (a profile of an animated, a Japanese and a French film should show all three).
    min=0, max=1; 0 without members."""
    if not members:
        return 0.0
    top = set(recommended[:k])
    return sum(1 for judged in members if top & set(judged)) / len(members)


def popularity_percentile(
    recommended: Sequence[Hashable], percentile: Mapping[Hashable, float], k: int
) -> float:
    """Mean vote-count percentile (in [0, 1]) of the top k: how far a list leans to what
    everyone has seen (1 = only the most voted movies). 0 for an empty list."""
    top = recommended[:k]
    return sum(percentile.get(item, 0.0) for item in top) / len(top) if top else 0.0


def hub_share(lists: Iterable[Sequence[Hashable]], hubs: int, k: int) -> float:
    """Share of all the lists' top-k places held by the `hubs` items that fill the most of
    them: how much the lists are the same few films whatever the query (1 for one list
    repeated, when hubs >= k). The distinct count misses this: a handful of famous films in
    every list leave the other places free to differ. min=0, max=1; 0 without places."""
    counts = Counter(item for items in lists for item in items[:k])
    places = sum(counts.values())
    if places == 0 or hubs <= 0:
        return 0.0
    return sum(count for _, count in counts.most_common(hubs)) / places


def catalog_coverage(lists: Iterable[Sequence[Hashable]], catalog_size: int) -> float:
    """Distinct items recommended across all lists over the catalogue size. min=0, max=1."""
    if catalog_size <= 0:
        return 0.0
    distinct: set[Hashable] = set()
    for items in lists:
        distinct.update(items)
    return min(1.0, len(distinct) / catalog_size)


def intra_list_diversity(
    items: Sequence[Hashable], genres: Mapping[Hashable, frozenset[Hashable]]
) -> float:
    """Mean pairwise genre distance (1 - Jaccard) inside one list. min=0, max=1."""
    pairs = 0
    total = 0.0
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            a = genres.get(items[i], frozenset())
            b = genres.get(items[j], frozenset())
            union = len(a | b)
            total += 1.0 - (len(a & b) / union if union else 1.0)
            pairs += 1
    return total / pairs if pairs else 0.0


RankingMetric = Callable[[Sequence[Hashable], Collection[Hashable], int], float]

METRICS: dict[str, RankingMetric] = {
    "hit_rate": hit_rate_at_k,
    "precision": precision_at_k,
    "ndcg": ndcg_at_k,
}
