"""The course's questions (June and July 2023 assignments), one function each.

They return plain dataclasses with English names; the Spanish routes and the English API
present the same results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from cinerec.catalog.loaded import Catalog
from cinerec.queries.errors import NotFoundError
from cinerec.queries.resolve import (
    close_labels,
    query_key,
    resolve_alias,
    resolve_closed,
    resolve_dimension,
    resolve_person,
    resolve_title,
)
from cinerec.textnorm import match_key

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MIN_VOTES = 2000

MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december")  # fmt: skip
WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _aliases(spanish: tuple[str, ...], english: tuple[str, ...]) -> dict[str, str]:
    """Spanish and English names and their three-letter abbreviations -> the Spanish name."""
    aliases: dict[str, str] = {}
    for es, en in zip(spanish, english, strict=True):
        for alias in (es, en, es[:3], en[:3]):
            aliases[match_key(alias)] = es
    return aliases


_MONTH_ALIASES = _aliases(MONTHS, MONTHS_EN) | {"setiembre": "septiembre", "sept": "septiembre"}
_MONTH_ALIASES |= {str(i): name for i, name in enumerate(MONTHS, start=1)}
_MONTH_ALIASES |= {f"0{i}": name for i, name in enumerate(MONTHS[:9], start=1)}
_WEEKDAY_ALIASES = _aliases(WEEKDAYS, WEEKDAYS_EN)
VALID_MONTHS = [*MONTHS, *MONTHS_EN, "1-12"]
VALID_WEEKDAYS = [*WEEKDAYS, *WEEKDAYS_EN]


class MovieRef(NamedTuple):
    """A movie named in an answer. The small records built once per listed item are
    NamedTuples (immutable too): a frozen dataclass's __init__ costs ~3× more."""

    id: int
    title: str
    year: int


@dataclass(frozen=True)
class PeriodCount:
    name: str  # canonical Spanish name of the month or weekday
    number: int  # 1-12 or ISO weekday 1-7
    count: int


@dataclass(frozen=True)
class TitlePopularity:
    movie: MovieRef
    popularity: float | None
    others: list[MovieRef]


@dataclass(frozen=True)
class TitleVotes:
    movie: MovieRef
    vote_count: int
    vote_average: float | None
    meets_threshold: bool
    threshold: int
    others: list[MovieRef]


class PersonRef(NamedTuple):
    key: int
    name: str


@dataclass(frozen=True)
class ActorSuccess:
    person: PersonRef
    films: int
    return_total: float
    return_mean: float
    films_with_return: int
    others: list[PersonRef]


class DirectedFilm(NamedTuple):
    movie: MovieRef
    release_date: str
    return_: float
    budget: float
    revenue: float


@dataclass(frozen=True)
class DirectorSuccess:
    person: PersonRef
    return_total: float
    films: list[DirectedFilm]
    others: list[PersonRef]


@dataclass(frozen=True)
class LanguageCount:
    code: str
    name_en: str | None
    name_es: str | None
    count: int


@dataclass(frozen=True)
class MovieRuntime:
    movie: MovieRef
    runtime: float | None
    others: list[MovieRef]


@dataclass(frozen=True)
class CollectionRevenue:
    name: str
    count: int
    revenue_total: float
    revenue_mean: float
    movies: list[MovieRef] = field(default_factory=list)


@dataclass(frozen=True)
class CountryCount:
    iso: str
    name: str
    name_es: str
    count: int


@dataclass(frozen=True)
class CompanyRevenue:
    name: str
    count: int
    revenue_total: float


def movie_ref(catalog: Catalog, row: int) -> MovieRef:
    return MovieRef(catalog.movie_id_at[row], catalog.title.text(row), catalog.release_year_at[row])


_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__


def movie_refs(catalog: Catalog, rows: list[int]) -> list[MovieRef]:
    """`movie_ref` of each row (lists of results: the lookups are bound once)."""
    ids, title, years = catalog.movie_id_at, catalog.title.text, catalog.release_year_at
    return [_new_tuple(MovieRef, (ids[r], title(r), years[r])) for r in rows]


def _finite(value: float) -> float | None:
    return None if value != value else value  # NaN is the only value unequal to itself


def releases_in_month(catalog: Catalog, month: str) -> PeriodCount:
    """Movies released in a month (any year): Spanish or English name, abbreviation, 1-12."""
    name = resolve_closed(_MONTH_ALIASES, month, "month", VALID_MONTHS)
    number = MONTHS.index(name) + 1
    return PeriodCount(name, number, int(catalog.month_counts[number]))


def releases_on_weekday(catalog: Catalog, day: str) -> PeriodCount:
    """Movies released on a weekday: Spanish (accents optional) or English name, abbreviation."""
    name = resolve_closed(_WEEKDAY_ALIASES, day, "day", VALID_WEEKDAYS)
    number = WEEKDAYS.index(name) + 1
    return PeriodCount(name, number, int(catalog.weekday_counts[number]))


def title_popularity(catalog: Catalog, title: str, year: int | None = None) -> TitlePopularity:
    match = resolve_title(catalog, title, year)
    return TitlePopularity(
        movie=movie_ref(catalog, match.row),
        popularity=_finite(catalog.popularity_at[match.row]),
        others=movie_refs(catalog, match.others),
    )


def title_votes(catalog: Catalog, title: str, year: int | None = None) -> TitleVotes:
    """Votes of a title; the course only reports them from MIN_VOTES votes up."""
    match = resolve_title(catalog, title, year)
    count = catalog.vote_count_at[match.row]
    return TitleVotes(
        movie=movie_ref(catalog, match.row),
        vote_count=count,
        vote_average=_finite(catalog.vote_average_at[match.row]),
        meets_threshold=count >= MIN_VOTES,
        threshold=MIN_VOTES,
        others=movie_refs(catalog, match.others),
    )


def _person_ref(catalog: Catalog, row: int) -> PersonRef:
    return PersonRef(catalog.person_key_at[row], catalog.person_name.text(row))


def actor_success(catalog: Catalog, name: str) -> ActorSuccess:
    """An actor's films (cast credits only) and the return they made."""
    match = resolve_person(catalog, name, "cast")
    return actor_success_by_row(catalog, match.row, match.others)


def actor_success_by_row(
    catalog: Catalog, row: int, others: list[int] | None = None
) -> ActorSuccess:
    films = catalog.cast.group(row)
    returns = catalog.return_[films]
    total = float(returns.sum())
    with_return = int(np.count_nonzero((catalog.budget[films] > 0) & (catalog.revenue[films] > 0)))
    return ActorSuccess(
        person=_person_ref(catalog, row),
        films=len(films),
        return_total=total,
        return_mean=total / len(films) if len(films) else 0.0,
        films_with_return=with_return,
        others=[_person_ref(catalog, r) for r in others or []],
    )


def director_success(catalog: Catalog, name: str) -> DirectorSuccess:
    """A director's films (crew job 'Director') with return, budget and revenue of each."""
    match = resolve_person(catalog, name, "director")
    return director_success_by_row(catalog, match.row, match.others)


def director_success_by_row(
    catalog: Catalog, row: int, others: list[int] | None = None
) -> DirectorSuccess:
    days, ids = catalog.release_days_at, catalog.movie_id_at
    films = sorted(catalog.directed.group_list(row), key=lambda r: (days[r], ids[r]))
    date, returns = catalog.release_date, catalog.return_at
    budget, revenue = catalog.budget_at, catalog.revenue_at
    return DirectorSuccess(
        person=_person_ref(catalog, row),
        return_total=float(catalog.return_[films].sum()) if films else 0.0,
        films=[
            DirectedFilm(ref, date(r), returns[r], budget[r], revenue[r])
            for r, ref in zip(films, movie_refs(catalog, films), strict=True)
        ],
        others=[_person_ref(catalog, r) for r in others or []],
    )


def language_count(catalog: Catalog, language: str) -> LanguageCount:
    """Movies by original language: ISO 639 code ('en', 'eng'), English, Spanish or native
    name ('English', 'inglés', 'castellano', '日本語')."""
    code = catalog.language_alias.get(query_key(language, "language"))
    if code is None:  # raises with suggestions among every label
        labels = [
            label
            for code in catalog.language_codes
            for label in (code, *(x for x in catalog.language_labels.get(code, []) if x))
        ]
        code = resolve_alias(catalog.language_alias, language, "language", labels)
    if code not in catalog.language_codes:
        raise NotFoundError(f"no movie has original language '{language}'", [])
    index = catalog.language_codes.index(code)
    en, es = (catalog.language_labels.get(code) or [None, None])[:2]
    return LanguageCount(code, en, es, int(catalog.language_counts[index]))


def movie_runtime(catalog: Catalog, title: str, year: int | None = None) -> MovieRuntime:
    match = resolve_title(catalog, title, year)
    return MovieRuntime(
        movie=movie_ref(catalog, match.row),
        runtime=_finite(catalog.runtime_at[match.row]),
        others=movie_refs(catalog, match.others),
    )


def collection_revenue(catalog: Catalog, collection: str) -> CollectionRevenue:
    """A franchise (belongs_to_collection): its movies and their revenue."""
    row = _resolve_collection(catalog, collection)
    movies = catalog.collections.movies.group(row)
    total = float(catalog.revenue[movies].sum())
    ordered = sorted(movies.tolist(), key=catalog.release_days_at.__getitem__)
    return CollectionRevenue(
        name=catalog.collections.name.text(row),
        count=len(movies),
        revenue_total=total,
        revenue_mean=total / len(movies) if len(movies) else 0.0,
        movies=movie_refs(catalog, ordered),
    )


def _resolve_collection(catalog: Catalog, text: str) -> int:
    """'Toy Story' finds 'Toy Story Collection' too (TMDB names franchises '... Collection')."""
    try:
        return resolve_dimension(catalog.collections, text, "collection")
    except NotFoundError as first:
        for suffix in (" Collection", " Saga", " Trilogy"):
            try:
                return resolve_dimension(catalog.collections, text + suffix, "collection")
            except NotFoundError:
                continue
        raise first from None


def country_count(catalog: Catalog, country: str) -> CountryCount:
    """Movies produced in a country, by ISO code (alpha-2 or -3), the dataset's name, English
    or Spanish name or a usual short form ("UK", "EEUU"); a country the data has no movie
    from counts 0. An unknown name is a 404, never another country (see `catalog.aliases`)."""
    key = query_key(country, "country")
    iso = catalog.country_alias.get(key)
    if iso is None:
        labels = [x for iso in catalog.country_row for x in catalog.country_labels[iso]]
        raise NotFoundError(f"no country called '{country}'", close_labels(key, labels))
    row = catalog.country_row.get(iso)
    name, name_es = catalog.country_labels.get(iso, [iso, iso])
    return CountryCount(
        iso=iso,
        name=name,
        name_es=name_es,
        count=catalog.countries.movies.size(row) if row is not None else 0,
    )


def company_revenue(catalog: Catalog, company: str) -> CompanyRevenue:
    row = resolve_dimension(catalog.companies, company, "production company")
    movies = catalog.companies.movies.group(row)
    return CompanyRevenue(
        name=catalog.companies.name.text(row),
        count=len(movies),
        revenue_total=float(catalog.revenue[movies].sum()),
    )
