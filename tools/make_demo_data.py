#!/usr/bin/env python3
"""Generate cinerec's bundled demo dataset.

Writes ``src/cinerec/demo_data/{movies_dataset,credits,keywords,ratings,links}.csv``
in the raw layout of Kaggle's "The Movies Dataset" (nested columns are Python
``repr()`` strings).  The movie facts live in ``tools/demo_facts/`` and were
written by hand from general knowledge; overviews are our own one-sentence
summaries; ratings are synthetic (seeded, deterministic).

The output deliberately contains a few quirks of the real data (a
column-shifted row, a repeated id, missing values, a budget of 1, an
unparseable popularity, credits without person ids, ...) so that the ETL can
be tested against them.  See ``src/cinerec/demo_data/README.md``.

Usage::

    python tools/make_demo_data.py            # generate + self-check
    python tools/make_demo_data.py --check    # only re-check existing files

Standard library only; the output is byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import math
import random
import re
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = ROOT / "src" / "cinerec" / "demo_data"

sys.path.insert(0, str(HERE))

from demo_facts import (  # noqa: E402
    movies_a,
    movies_b,
    movies_c,
    movies_d,
    registry,
)

MOVIE_HEADER = [
    "adult",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "production_countries",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
]
NESTED_MOVIE_COLUMNS = (
    "belongs_to_collection",
    "genres",
    "production_companies",
    "production_countries",
    "spoken_languages",
)
AUTO_PERSON_ID_START = 3_000_001
AUTO_COMPANY_ID_START = 200_001
MOVIES_WITHOUT_POSTER = {65057}  # Le Havre: poster_path left empty
N_USERS = 300
# Titles named in the project brief: always given some ratings so they can be
# used in recommender demos.  (~15% of the other, less-voted films get none.)
ALWAYS_RATED = {
    862,
    863,
    10193,
    10681,
    8392,
    16859,
    128,
    129,
    4935,
    77,
    1124,
    272,
    155,
    49026,
    27205,
    157336,
    218,
    679,
    280,
    36955,
    597,
    19995,
    578,
    601,
    85,
    329,
    424,
    857,
    180,
    99,
    64,
    219,
    63311,
    646,
    658,
    710,
    36557,
    37724,
    206647,
    194,
    406,
    77338,
    1417,
    1391,
    598,
    496243,
    146,
    582,
    11216,
    637,
    807,
    101,
    931,
    954,
    161,
    4689,
    244,
    254,
    105,
    165,
    196,
    238,
    240,
    348,
    87,
    89,
}
TS_MIN, TS_MAX = 946_684_800, 1_514_764_799  # 2000-01-01 .. 2017-12-31 (UTC)

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


# --------------------------------------------------------------------------
# small deterministic helpers
# --------------------------------------------------------------------------


def _digest(seed: str) -> bytes:
    return hashlib.sha256(seed.encode("utf-8")).digest()


def _frac(seed: str) -> float:
    """A stable pseudo-random number in [0, 1) derived from ``seed``."""
    return int.from_bytes(_digest(seed)[:6], "big") / float(1 << 48)


def image_path(seed: str) -> str:
    """A TMDB-looking image path such as '/rhIRbceoE9lR4veEXuwCC2wARtG.jpg'."""
    n = int.from_bytes(_digest("img:" + seed), "big")
    chars = []
    for _ in range(27):
        n, r = divmod(n, 62)
        chars.append(_B62[r])
    return "/" + "".join(chars) + ".jpg"


def credit_id(seed: str) -> str:
    return hashlib.md5(seed.encode("utf-8")).hexdigest()[:24]


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()] if value else []


def norm_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def parse_person(token: str) -> tuple[str, int | None, bool]:
    """Strip the facts prefixes: returns (name, gender_flag, id_missing)."""
    gender = None
    missing = False
    while token and token[0] in "*~?":
        if token[0] == "*":
            gender = 1
        elif token[0] == "~":
            gender = 0
        else:
            missing = True
        token = token[1:]
    return token.strip(), gender, missing


# --------------------------------------------------------------------------
# registries resolved over all movies
# --------------------------------------------------------------------------


class People:
    def __init__(self) -> None:
        self.ids: dict[str, int] = dict(registry.PEOPLE)
        self.gender: dict[str, int] = {}
        self._next = AUTO_PERSON_ID_START
        seen: dict[int, str] = {}
        for name, pid in self.ids.items():
            if pid in seen:
                raise SystemExit(f"person id {pid} used for {seen[pid]!r} and {name!r}")
            seen[pid] = name

    def note(self, name: str, gender: int | None) -> None:
        if name not in self.ids:
            self.ids[name] = self._next
            self._next += 1
        if gender is not None:
            self.gender[name] = gender

    def gender_of(self, name: str) -> int:
        return self.gender.get(name, 2)

    def check_spellings(self) -> None:
        by_norm: dict[str, set[str]] = {}
        for name in self.ids:
            by_norm.setdefault(norm_name(name), set()).add(name)
        clashes = {k: v for k, v in by_norm.items() if len(v) > 1}
        if clashes:
            raise SystemExit(f"inconsistent person spellings: {clashes}")


class Companies:
    def __init__(self) -> None:
        self.ids: dict[str, int] = dict(registry.COMPANIES)
        self._next = AUTO_COMPANY_ID_START
        if len(set(self.ids.values())) != len(self.ids):
            raise SystemExit("duplicate company id in registry.COMPANIES")

    def get(self, name: str) -> int:
        if name not in self.ids:
            self.ids[name] = self._next
            self._next += 1
        return self.ids[name]


def keyword_ids(all_names: set[str]) -> dict[str, int]:
    """Stable keyword ids derived from the name (collisions bumped, sorted order)."""
    ids: dict[str, int] = {}
    used: set[int] = set()
    for name in sorted(all_names):
        kid = 1000 + zlib.crc32(name.encode("utf-8")) % 300_000
        while kid in used:
            kid += 1
        used.add(kid)
        ids[name] = kid
    return ids


# --------------------------------------------------------------------------
# building rows
# --------------------------------------------------------------------------


def all_movies() -> list[dict]:
    movies = movies_a.MOVIES + movies_b.MOVIES + movies_c.MOVIES + movies_d.MOVIES
    seen: dict[int, str] = {}
    for m in movies:
        if m.get("broken"):
            continue
        if m["id"] in seen:
            raise SystemExit(f"movie id {m['id']} used twice: {seen[m['id']]!r} / {m['title']!r}")
        seen[m["id"]] = m["title"]
        unknown = [g for g in split(m["genres"]) if g not in registry.GENRES]
        unknown += [c for c in split(m["countries"]) if c not in registry.COUNTRIES]
        unknown += [s for s in split(m["spoken"]) if s not in registry.LANGUAGES]
        if m["coll"] and m["coll"] not in registry.COLLECTIONS:
            unknown.append(m["coll"])
        if unknown:
            raise SystemExit(f"{m['title']}: unknown codes {unknown}")
        if not re.fullmatch(r"tt\d{7}", m["imdb"]):
            raise SystemExit(f"{m['title']}: bad imdb id {m['imdb']!r}")
    return movies


def popularity_text(m: dict, salt: str = "") -> str:
    if "pop" in m and not salt:
        return m["pop"]
    f = _frac(f"pop:{m['id']}{salt}")
    value = m["vc"] / 380.0 * (0.55 + 0.9 * f) + 0.4 + 3.0 * f
    return f"{value:.6f}"


def collection_cell(key: str) -> str:
    if not key:
        return ""
    cid, name = registry.COLLECTIONS[key]
    return repr(
        {
            "id": cid,
            "name": name,
            "poster_path": image_path(f"coll-poster:{cid}"),
            "backdrop_path": image_path(f"coll-backdrop:{cid}"),
        }
    )


def movie_row(m: dict, companies: Companies) -> list[str]:
    genres = [{"id": registry.GENRES[g], "name": g} for g in split(m["genres"])]
    comps = [{"name": c, "id": companies.get(c)} for c in split(m["companies"])]
    countries = [{"iso_3166_1": c, "name": registry.COUNTRIES[c]} for c in split(m["countries"])]
    spoken = [{"iso_639_1": s, "name": registry.LANGUAGES[s]} for s in split(m["spoken"])]
    poster = "" if m["id"] in MOVIES_WITHOUT_POSTER else image_path(f"poster:{m['id']}")
    revenue = "" if m["revenue"] is None else str(int(m["revenue"]))
    runtime = "" if m["runtime"] is None else repr(float(m["runtime"]))
    return [
        "False",
        collection_cell(m["coll"]),
        str(int(m["budget"])),
        repr(genres),
        m.get("home", ""),
        str(m["id"]),
        m["imdb"],
        m["lang"],
        m["orig"] or m["title"],
        m["overview"],
        popularity_text(m),
        poster,
        repr(comps),
        repr(countries),
        m["date"],
        revenue,
        runtime,
        repr(spoken),
        "Released",
        m["tagline"],
        m["title"],
        "False",
        repr(float(m["va"])),
        str(int(m["vc"])),
    ]


def broken_row(m: dict, companies: Companies) -> list[str]:
    """Imitate the real file's mangled rows: the tail of a multi-line overview
    lands in ``adult`` and every later field is shifted left, so ``id`` holds
    the release date.  Still 24 fields."""
    full = movie_row(m, companies)
    row = [m["junk"], *full[10:]]
    return row + [""] * (len(MOVIE_HEADER) - len(row))


def credits_cells(m: dict, people: People) -> tuple[str, str]:
    mid = m["id"]
    cast = []
    base = mid % 13
    for order, token in enumerate(split(m["cast"])):
        who, _, character = token.partition("=")
        name, _, missing = parse_person(who)
        cast.append(
            {
                "cast_id": base + order + (2 if order > 3 else 0),
                "character": character.strip(),
                "credit_id": credit_id(f"cast|{mid}|{order}|{name}|{character}"),
                "gender": people.gender_of(name),
                "id": None if missing else people.ids[name],
                "name": name,
                "order": order,
                "profile_path": person_profile(name),
            }
        )
    crew = []
    for idx, token in enumerate(split(m["crew"])):
        code, _, who = token.partition(":")
        department, job = registry.CREW_CODES[code]
        name, _, missing = parse_person(who)
        crew.append(
            {
                "credit_id": credit_id(f"crew|{mid}|{idx}|{name}|{job}"),
                "department": department,
                "gender": people.gender_of(name),
                "id": None if missing else people.ids[name],
                "job": job,
                "name": name,
                "profile_path": person_profile(name),
            }
        )
    return repr(cast), repr(crew)


def person_profile(name: str) -> str | None:
    return None if _frac("profile:" + name) < 0.18 else image_path("profile:" + name)


def keywords_cell(m: dict, kw_ids: dict[str, int]) -> str:
    names = sorted(split(m["kw"]), key=lambda k: kw_ids[k])
    return repr([{"id": kw_ids[k], "name": k} for k in names])


def register_people(movies: list[dict], people: People) -> None:
    for m in movies:
        if m.get("broken"):
            continue
        for token in split(m["cast"]):
            name, gender, _ = parse_person(token.partition("=")[0])
            people.note(name, gender)
        for token in split(m["crew"]):
            name, gender, _ = parse_person(token.partition(":")[2])
            people.note(name, gender)
    people.check_spellings()


# --------------------------------------------------------------------------
# synthetic ratings
# --------------------------------------------------------------------------


def make_ratings(valid: list[dict]) -> tuple[list[tuple], set[int]]:
    """Seeded synthetic ratings from simple latent tastes.

    Every user has a few favourite "groups" (a collection or a director with
    at least three rated films) and favourite genres, plus a small random
    affinity for every other group and genre.  Ratings combine the movie's
    vote_average, those affinities, a personal bias and noise, so films of the
    same franchise / director / genre end up co-liked.  Users mostly pick
    films from their favourite groups and genres (and popular ones).
    """
    rng = random.Random(42)
    n = len(valid)
    n_unrated = round(n * 0.15)
    low = sorted(valid, key=lambda m: (m["vc"], m["id"]))[: int(n * 0.5)]
    low = [m for m in low if m["id"] not in ALWAYS_RATED]
    unrated = {m["id"] for m in rng.sample(low, n_unrated)}
    pool = [m for m in valid if m["id"] not in unrated]

    groups: dict[str, list[int]] = {}
    for m in pool:
        tags = set()
        if m["coll"]:
            tags.add("coll:" + m["coll"])
        for d in m["directors"]:
            tags.add("dir:" + d)
        m["_tags"] = tags
        m["_genres"] = set(split(m["genres"]))
        for t in tags:
            groups.setdefault(t, []).append(m["id"])
    group_names = sorted(g for g, ids in groups.items() if len(ids) >= 3)
    genre_names = sorted({g for m in pool for g in m["_genres"]})

    rows = []
    for uid in range(1, N_USERS + 1):
        favs = set(rng.sample(group_names, rng.choice([1, 2, 2, 3])))
        fav_genres = set(rng.sample(genre_names, rng.choice([2, 3])))
        others = [g for g in genre_names if g not in fav_genres]
        disliked = rng.choice(others) if rng.random() < 0.6 else None
        g_aff = {g: (1.5 if g in favs else rng.gauss(0.0, 0.5)) for g in group_names}
        k_aff = {}
        for g in genre_names:
            if g in fav_genres:
                k_aff[g] = 0.6
            elif g == disliked:
                k_aff[g] = -1.3
            else:
                k_aff[g] = rng.gauss(0.0, 0.3)
        bias = rng.gauss(0.0, 0.3)
        count = rng.randint(15, 60)
        keyed = []
        for m in pool:
            fav = bool(m["_tags"] & favs)
            gm = len(fav_genres & m["_genres"])
            dis = disliked in m["_genres"]
            w = 0.3 + 6.0 * fav + 1.0 * gm + 0.5 * math.log10(m["vc"] + 10) - 0.7 * dis
            keyed.append((rng.random() ** (1.0 / max(w, 0.05)), m))
        keyed.sort(key=lambda t: (-t[0], t[1]["id"]))
        start = rng.randint(TS_MIN, 1_483_228_800)
        span = rng.randint(3_600, 2 * 365 * 86_400)
        for _, m in keyed[:count]:
            mine = [t for t in m["_tags"] if t in g_aff]
            group_term = max((g_aff[t] for t in mine), key=abs) if mine else 0.0
            genre_term = (
                (sum(k_aff[g] for g in m["_genres"]) / len(m["_genres"])) if m["_genres"] else 0.0
            )
            score = (
                3.1 + 0.6 * (m["va"] - 7.0) + group_term + genre_term + bias + rng.gauss(0.0, 0.45)
            )
            rating = min(5.0, max(0.5, round(score * 2) / 2))
            ts = min(start + rng.randint(0, span), TS_MAX)
            rows.append((uid, m["ml"], rating, ts))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows, unrated


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate() -> None:
    movies = all_movies()
    people = People()
    register_people(movies, people)
    companies = Companies()
    kw_ids = keyword_ids({k for m in movies if not m.get("broken") for k in split(m["kw"])})

    valid = [m for m in movies if not m.get("broken")]
    broken = [m for m in movies if m.get("broken")]

    movie_rows = [movie_row(m, companies) for m in valid]
    credit_rows = [[*credits_cells(m, people), str(m["id"])] for m in valid]
    keyword_rows = [[str(m["id"]), keywords_cell(m, kw_ids)] for m in valid]

    # quirk: a repeated id (second copy later in the file, popularity differs)
    for pos, m in enumerate(valid):
        if m.get("duplicate"):
            dup = list(movie_rows[pos])
            dup[MOVIE_HEADER.index("popularity")] = popularity_text(m, salt=":dup")
            at = len(movie_rows) - 12
            movie_rows.insert(at, dup)
            credit_rows.insert(at, list(credit_rows[pos]))
            keyword_rows.insert(at, list(keyword_rows[pos]))

    # quirk: a column-shifted broken row in the middle of the movies file
    for i, m in enumerate(broken):
        movie_rows.insert(len(movie_rows) // 2 + 7 * i, broken_row(m, companies))

    for i, m in enumerate(valid, start=1):
        m["ml"] = i
        m["directors"] = [
            parse_person(t.partition(":")[2])[0] for t in split(m["crew"]) if t.startswith("D:")
        ]
    links = [[m["ml"], m["imdb"][2:], m["id"]] for m in valid]
    ratings, _ = make_ratings(valid)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_csv(OUT_DIR / "movies_dataset.csv", MOVIE_HEADER, movie_rows)
    write_csv(OUT_DIR / "credits.csv", ["cast", "crew", "id"], credit_rows)
    write_csv(OUT_DIR / "keywords.csv", ["id", "keywords"], keyword_rows)
    write_csv(OUT_DIR / "links.csv", ["movieId", "imdbId", "tmdbId"], links)
    write_csv(
        OUT_DIR / "ratings.csv",
        ["userId", "movieId", "rating", "timestamp"],
        [[u, mid, repr(r), ts] for u, mid, r, ts in ratings],
    )
    print(
        f"wrote {OUT_DIR.relative_to(ROOT)}/ ({len(valid)} movies, {len(people.ids)} people, "
        f"{len(companies.ids)} companies, {len(kw_ids)} keywords)"
    )


# --------------------------------------------------------------------------
# self-check (re-reads the files written above)
# --------------------------------------------------------------------------


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (OUT_DIR / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _roundtrip(cell: str, where: str) -> Any:
    value = ast.literal_eval(cell)
    assert repr(value) == cell, f"{where}: repr round-trip changed the cell"
    return value


def self_check() -> None:
    header, rows = _read("movies_dataset.csv")
    assert header == MOVIE_HEADER, header
    valid_ids: list[int] = []
    broken = 0
    for n, row in enumerate(rows, start=2):
        assert len(row) == 24, f"movies_dataset.csv line {n}: {len(row)} fields"
        rec = dict(zip(header, row, strict=False))
        if not rec["id"].isdigit():
            broken += 1
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec["id"]), rec["id"]
            continue
        valid_ids.append(int(rec["id"]))
        for col in NESTED_MOVIE_COLUMNS:
            if rec[col]:
                _roundtrip(rec[col], f"movies line {n} {col}")
    unique_ids = set(valid_ids)
    dup_ids = sorted(i for i in unique_ids if valid_ids.count(i) > 1)

    c_header, c_rows = _read("credits.csv")
    assert c_header == ["cast", "crew", "id"], c_header
    credit_ids = set()
    none_ids = set()
    for n, (cast, crew, mid) in enumerate(c_rows, start=2):
        for person in _roundtrip(cast, f"credits line {n} cast"):
            assert list(person) == [
                "cast_id",
                "character",
                "credit_id",
                "gender",
                "id",
                "name",
                "order",
                "profile_path",
            ], person
            assert re.fullmatch(r"[0-9a-f]{24}", person["credit_id"])
            if person["id"] is None:
                none_ids.add(person["name"])
        for person in _roundtrip(crew, f"credits line {n} crew"):
            assert list(person) == [
                "credit_id",
                "department",
                "gender",
                "id",
                "job",
                "name",
                "profile_path",
            ], person
        credit_ids.add(int(mid))
    missing = unique_ids - credit_ids
    assert not missing, f"movies without a credits row: {sorted(missing)}"

    k_header, k_rows = _read("keywords.csv")
    assert k_header == ["id", "keywords"], k_header
    empty_kw = 0
    for n, (mid, kws) in enumerate(k_rows, start=2):
        value = _roundtrip(kws, f"keywords line {n}")
        empty_kw += not value
        assert int(mid) in unique_ids

    l_header, l_rows = _read("links.csv")
    assert l_header == ["movieId", "imdbId", "tmdbId"], l_header
    ml_to_tmdb = {int(a): int(c) for a, b, c in l_rows}
    assert all(re.fullmatch(r"\d{7}", b) for _, b, _ in l_rows)
    assert set(ml_to_tmdb.values()) == unique_ids

    r_header, r_rows = _read("ratings.csv")
    assert r_header == ["userId", "movieId", "rating", "timestamp"], r_header
    rated = set()
    users = set()
    for u, mid, rating, ts in r_rows:
        r = float(rating)
        assert 0.5 <= r <= 5.0 and (r * 2).is_integer(), rating
        assert TS_MIN <= int(ts) <= TS_MAX, ts
        rated.add(ml_to_tmdb[int(mid)])
        users.add(int(u))
    unrated = len(unique_ids - rated)

    print("self-check OK:")
    print(
        f"  movies_dataset.csv: {len(rows)} rows, {len(unique_ids)} unique movie ids, "
        f"{broken} broken row(s), repeated ids {dup_ids}"
    )
    print(f"  credits.csv: {len(c_rows)} rows; cast entries with id None: {sorted(none_ids)}")
    print(f"  keywords.csv: {len(k_rows)} rows ({empty_kw} with [])")
    print(f"  links.csv: {len(l_rows)} rows")
    print(
        f"  ratings.csv: {len(r_rows)} ratings by {len(users)} users; "
        f"{unrated} movies ({unrated / len(unique_ids):.0%}) without ratings"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only run the self-check")
    args = parser.parse_args(argv)
    if not args.check:
        generate()
    self_check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
