"""The EDA report: charts (matplotlib, Agg) inlined as PNG data URIs in one HTML file.

Every number in the text is computed from the catalogue; the release counts come from the
same query functions the course endpoints use, so the report and the API agree.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cinerec.catalog.loaded import load_catalog
from cinerec.queries.course import (
    MONTHS,
    WEEKDAYS,
    releases_in_month,
    releases_on_weekday,
)
from cinerec.recommend.model import weighted_rating
from cinerec.store import resolve_build_dir

DPI = 80
SECTIONS = (
    "1. The dataset",
    "2. Distributions and anomalies",
    "3. Releases per year, month and weekday",
    "4. Genres, languages, countries, collections and companies",
    "5. Budget, revenue and return",
    "6. Votes and the weighted rating",
    "7. Text: titles, keywords, overviews and cast",
)
NUMERIC = ["budget", "revenue", "return", "runtime", "vote_average", "vote_count", "popularity"]
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass
class EdaSummary:
    """Headline numbers of the report (the same ones the API serves)."""

    movies: int
    rows_read: int
    rows_kept: int
    file_columns: int
    table_columns: int
    dropped: dict[str, int]
    releases_per_month: dict[str, int]
    releases_per_weekday: dict[str, int]
    releases_per_year: dict[int, int] = field(default_factory=dict)
    vote_count_m: float = 0.0
    mean_vote_c: float = 0.0
    share_with_overview: float = 0.0
    share_with_cast: float = 0.0
    share_with_director: float = 0.0
    share_with_keywords: float = 0.0
    # genres, collections, companies, countries: name -> (distinct movies, their revenue)
    entities: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)
    keyword_movies: dict[str, int] = field(default_factory=dict)  # keyword -> distinct movies
    sections: tuple[str, ...] = SECTIONS


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="chart" src="data:image/png;base64,{data}">'


def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "n/a"


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _table(rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _read(tables: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    path = tables / f"{name}.parquet"
    if not path.exists():
        return pd.DataFrame(columns=columns or [])
    return pd.read_parquet(path, columns=columns)


def _links(tables: Path, name: str) -> pd.DataFrame:
    """A movie's links to genres, countries, companies or keywords, one row per distinct
    (movie, name): counts and sums grouped by name are then over distinct movies."""
    return _read(tables, name, ["movie_id", "name"]).drop_duplicates(ignore_index=True)


def _section_dataset(report: dict[str, Any], movies: pd.DataFrame) -> tuple[str, dict[str, Any]]:
    info = report.get("movies", {})
    rows_read = int(info.get("rows_read", 0))
    rows_kept = int(info.get("rows_kept", len(movies)))
    dropped = {str(k): int(v) for k, v in info.get("dropped", {}).items()}
    file_columns = len(info.get("file_columns", []))
    nulls = {str(k): int(v) for k, v in info.get("nulls_per_column", {}).items()}
    parts = [
        _table(
            [("raw file", rows_read, file_columns), ("movies table", len(movies), movies.shape[1])],
            ("stage", "rows", "columns"),
        ),
        _table([(k, v) for k, v in dropped.items()], ("drop reason", "rows")),
    ]
    if nulls:
        items = sorted(nulls.items(), key=lambda kv: kv[1])
        fig, ax = plt.subplots(figsize=(7, 5))
        ax.barh([k for k, _ in items], [100.0 * v / max(rows_read, 1) for _, v in items])
        ax.set_xlabel("% of raw rows missing")
        ax.set_title("Missing values per raw column")
        parts.append(_png(fig))
    worst = max(nulls.items(), key=lambda kv: kv[1]) if nulls else ("-", 0)
    parts.append(
        _p(
            f"The raw file has {rows_read} rows and {file_columns} columns; the ETL keeps "
            f"{rows_kept} ({_pct(rows_kept, rows_read)}) and publishes {movies.shape[1]} columns. "
            f"Dropped: {', '.join(f'{v} for {k}' for k, v in dropped.items()) or 'none'}. "
            f"The column with most missing values is {worst[0]} ({_pct(worst[1], rows_read)})."
        )
    )
    meta = {
        "rows_read": rows_read,
        "rows_kept": rows_kept,
        "dropped": dropped,
        "file_columns": file_columns,
    }
    return "".join(parts), meta


def _section_distributions(movies: pd.DataFrame) -> str:
    fig, axes = plt.subplots(2, 4, figsize=(12, 5.5))
    for ax, col in zip(axes.flat, NUMERIC, strict=False):
        values = pd.to_numeric(movies[col], errors="coerce").dropna().to_numpy(np.float64)
        positive = values[values > 0]
        if col in ("vote_average", "runtime"):
            ax.hist(values, bins=40)
            ax.set_title(col)
        elif positive.size:
            ax.hist(np.log10(positive), bins=40)
            ax.set_title(f"log10 {col} (> 0)")
        ax.set_yscale("log")
    axes.flat[-1].axis("off")
    fig.tight_layout()
    budget = movies["budget"].fillna(0).to_numpy(np.float64)
    revenue = movies["revenue"].fillna(0).to_numpy(np.float64)
    ret = movies["return"].fillna(0).to_numpy(np.float64)
    runtime = movies["runtime"].to_numpy(np.float64)
    n = len(movies)
    tiny = int(((budget > 0) & (budget <= 2)).sum())
    tiny100 = int(((budget > 0) & (budget < 100)).sum())
    huge_return = int((ret >= 1000).sum())
    rows = [
        (col, int(s.notna().sum()), int((s == 0).sum()), f"{s.median():.2f}", f"{s.max():.2f}")
        for col in NUMERIC
        for s in [pd.to_numeric(movies[col], errors="coerce")]
    ]
    top_ret = movies.loc[movies["return"].fillna(0).nlargest(5).index]
    text = _p(
        f"Of {n} movies, {int((budget == 0).sum())} ({_pct((budget == 0).sum(), n)}) have budget 0 "
        f"and {int((revenue == 0).sum())} ({_pct((revenue == 0).sum(), n)}) revenue 0 — "
        f"mostly unknown values, not free films. {tiny} budgets are 1 or 2 dollars "
        f"({tiny100} under 100 dollars, probably in millions), {huge_return} movies have a return "
        f"≥ 1000 (max {ret.max():.0f}), and {int((runtime == 0).sum())} have runtime 0 "
        f"({int(np.isnan(runtime).sum())} missing). The API computes return = revenue / budget, "
        "0 when budget is 0, and keeps these anomalies exactly as they are in the data."
    )
    top = _table(
        [
            (
                r.title,
                int(r.release_year),
                f"{r.budget:.0f}",
                f"{r.revenue:.0f}",
                f"{r['return']:.0f}",
            )
            for _, r in top_ret.iterrows()
        ],
        ("largest returns", "year", "budget", "revenue", "return"),
    )
    return _png(fig) + _table(rows, ("column", "non-null", "zeros", "median", "max")) + top + text


def _section_releases(catalog: Any, movies: pd.DataFrame) -> tuple[str, dict[str, Any]]:
    per_month = {m: releases_in_month(catalog, m).count for m in MONTHS}
    per_weekday = {d: releases_on_weekday(catalog, d).count for d in WEEKDAYS}
    per_year = movies["release_year"].value_counts().sort_index()
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.5))
    axes[0].plot(per_year.index, per_year.to_numpy())
    axes[0].set_title("Releases per year")
    axes[1].bar(range(1, 13), list(per_month.values()))
    axes[1].set_xticks(range(1, 13), [m[:3] for m in MONTHS])
    axes[1].set_title("Releases per month")
    axes[2].bar(range(1, 8), list(per_weekday.values()))
    axes[2].set_xticks(range(1, 8), [d[:3] for d in WEEKDAYS])
    axes[2].set_title("Releases per weekday")
    fig.tight_layout()
    top_month = max(per_month, key=lambda k: per_month[k])
    top_day = max(per_weekday, key=lambda k: per_weekday[k])
    peak_year = int(per_year.idxmax()) if len(per_year) else 0
    text = _p(
        f"The busiest month is {top_month} ({per_month[top_month]} releases) and the busiest "
        f"weekday is {top_day} ({per_weekday[top_day]}); the peak year is {peak_year} "
        f"({int(per_year.max()) if len(per_year) else 0} releases). These are the numbers "
        "served by /cantidad_filmaciones_mes and /cantidad_filmaciones_dia."
    )
    table = _table(
        [(m, per_month[m]) for m in MONTHS] + [(d, per_weekday[d]) for d in WEEKDAYS],
        ("month / weekday", "releases"),
    )
    meta = {
        "per_month": per_month,
        "per_weekday": per_weekday,
        "per_year": {int(k): int(v) for k, v in per_year.items()},
    }
    return _png(fig) + table + text, meta


def _top_by(df: pd.DataFrame, key: str, movies: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    merged = df[["movie_id", key]].merge(
        movies[["id", "revenue"]], left_on="movie_id", right_on="id", how="left"
    )
    grouped = merged.groupby(key).agg(movies=("movie_id", "nunique"), revenue=("revenue", "sum"))
    return grouped


def _barh(ax: Any, series: pd.Series, title: str) -> None:
    series = series.iloc[::-1]
    ax.barh([str(i)[:28] for i in series.index], series.to_numpy())
    ax.set_title(title)


def _section_categories(
    tables: Path, movies: pd.DataFrame
) -> tuple[str, dict[str, dict[str, tuple[int, float]]]]:
    genres = _links(tables, "genres")
    countries = _links(tables, "countries")
    companies = _links(tables, "companies")
    n = len(movies)
    parts = []
    share = genres.groupby("name")["movie_id"].nunique().sort_values(ascending=False)
    years = movies[["id", "release_year"]].rename(columns={"id": "movie_id"})
    g = genres.merge(years, on="movie_id")
    g["decade"] = (g["release_year"] // 10) * 10
    per_decade = years.assign(decade=(years["release_year"] // 10) * 10).groupby("decade").size()
    trend = g.groupby(["decade", "name"])["movie_id"].nunique().unstack(fill_value=0)
    trend = trend.div(per_decade.reindex(trend.index), axis=0) * 100
    top_genres = list(share.index[:8])
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    _barh(axes[0], share.head(15) / max(n, 1) * 100, "% of movies per genre")
    for name in top_genres:
        if name in trend:
            axes[1].plot(trend.index, trend[name], label=name)
    axes[1].set_title("% of movies of the decade per genre")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    parts.append(_png(fig))
    langs = movies["original_language"].value_counts().head(12)
    country_count = countries.groupby("name")["movie_id"].nunique().sort_values(ascending=False)
    fig, axes = plt.subplots(1, 2, figsize=(13, 4))
    _barh(axes[0], langs, "Original languages")
    _barh(axes[1], country_count.head(12), "Production countries")
    fig.tight_layout()
    parts.append(_png(fig))
    coll = movies.dropna(subset=["collection_name"]).groupby("collection_name")
    coll_stats = coll.agg(movies=("id", "size"), revenue=("revenue", "sum"))
    comp_stats = _top_by(companies, "name", movies)
    country_stats = _top_by(countries, "name", movies)
    fig, axes = plt.subplots(2, 3, figsize=(15, 8))
    for col, (label, stats) in enumerate(
        [("collections", coll_stats), ("companies", comp_stats), ("countries", country_stats)]
    ):
        _barh(axes[0][col], stats["movies"].nlargest(10), f"Top {label} by movies")
        _barh(axes[1][col], stats["revenue"].nlargest(10) / 1e9, f"Top {label} by revenue ($bn)")
    fig.tight_layout()
    parts.append(_png(fig))
    first = share.index[0] if len(share) else "-"
    lang0 = langs.index[0] if len(langs) else "-"
    country0 = country_count.index[0] if len(country_count) else "-"
    rich = coll_stats["revenue"].idxmax() if len(coll_stats) else "-"
    rising = "-"
    if len(trend) >= 2:
        last, prev = trend.index[-1], trend.index[-2]
        rising = str((trend.loc[prev] - trend.loc[last]).idxmin())
    parts.append(
        _p(
            f"The most common genre is {first} ({_pct(share.iloc[0] if len(share) else 0, n)} of "
            f"movies); {len(share)} genres in all. Compared with the previous decade, the genre "
            f"that gained most share in the last one is {rising}. The most common original "
            f"language is {lang0} ({_pct(langs.iloc[0] if len(langs) else 0, n)}), the most common "
            f"production country {country0} "
            f"({_pct(country_count.iloc[0] if len(country_count) else 0, n)}). The collection with "
            f"the highest total revenue is {rich}."
        )
    )
    stats = {
        "genres": _top_by(genres, "name", movies),
        "collections": coll_stats,
        "companies": comp_stats,
        "countries": country_stats,
    }
    return "".join(parts), {
        kind: {str(k): (int(r["movies"]), float(r["revenue"])) for k, r in table.iterrows()}
        for kind, table in stats.items()
    }


def _section_money(tables: Path, movies: pd.DataFrame) -> str:
    both = movies[(movies["budget"] > 0) & (movies["revenue"] > 0)]
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.scatter(both["budget"], both["revenue"], s=3, alpha=0.3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("budget")
    ax.set_ylabel("revenue")
    ax.set_title("Budget vs revenue (both > 0)")
    parts = [_png(fig)]
    genres = _links(tables, "genres")
    g = genres.merge(
        both[["id", "return", "release_year"]], left_on="movie_id", right_on="id", how="inner"
    )
    g["decade"] = (g["release_year"] // 10) * 10
    by_genre = g.groupby("name")["return"].median().sort_values(ascending=False)
    by_decade = both.assign(decade=(both["release_year"] // 10) * 10).groupby("decade")["return"]
    med_decade = by_decade.median()
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    _barh(axes[0], by_genre.head(20), "Median return by genre (budget & revenue > 0)")
    axes[1].bar(med_decade.index.astype(str), med_decade.to_numpy())
    axes[1].set_title("Median return by decade")
    axes[1].tick_params(axis="x", rotation=45)
    fig.tight_layout()
    parts.append(_png(fig))
    num = movies[NUMERIC].apply(pd.to_numeric, errors="coerce")
    corr = num.corr(method="spearman")
    fig, ax = plt.subplots(figsize=(6, 5))
    im = ax.imshow(corr.to_numpy(), vmin=-1, vmax=1, cmap="RdBu_r")
    ax.set_xticks(range(len(NUMERIC)), NUMERIC, rotation=45, ha="right")
    ax.set_yticks(range(len(NUMERIC)), NUMERIC)
    for i in range(len(NUMERIC)):
        for j in range(len(NUMERIC)):
            value = corr.iloc[i, j]
            ax.text(j, i, "" if np.isnan(value) else f"{value:.2f}", ha="center", fontsize=7)
    fig.colorbar(im)
    ax.set_title("Spearman correlation")
    parts.append(_png(fig))
    pearson = np.corrcoef(np.log10(both["budget"]), np.log10(both["revenue"]))[0, 1]
    parts.append(
        _p(
            f"{len(both)} movies have both budget and revenue; on them log budget and log revenue "
            f"correlate with r = {pearson:.2f} and the median return is "
            f"{both['return'].median():.2f}. The genre with the highest median return is "
            f"{by_genre.index[0] if len(by_genre) else '-'}; the strongest Spearman correlation "
            f"between vote count and another column is with "
            f"{corr['vote_count'].drop('vote_count').abs().idxmax()}."
        )
    )
    return "".join(parts)


def _section_votes(movies: pd.DataFrame) -> tuple[str, float, float]:
    r = movies["vote_average"].to_numpy(np.float64)
    v = movies["vote_count"].fillna(0).to_numpy(np.float64)
    m = float(np.quantile(v, 0.9)) if len(v) else 0.0
    wr = weighted_rating(r, v, m)
    voted = np.nan_to_num(v) > 0
    rr = np.nan_to_num(r)
    c = float(np.average(rr[voted], weights=v[voted])) if voted.any() else 0.0
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    axes[0].scatter(v + 1, r, s=3, alpha=0.3)
    axes[0].set_xscale("log")
    axes[0].axvline(m + 1, color="red", label=f"m = {m:.0f} (90th pct)")
    axes[0].set_xlabel("vote count + 1")
    axes[0].set_ylabel("vote average")
    axes[0].legend()
    axes[0].set_title("Vote average vs vote count")
    axes[1].scatter(r, wr, s=3, alpha=0.3, c=np.log10(v + 1))
    axes[1].set_xlabel("vote average R")
    axes[1].set_ylabel("weighted rating")
    axes[1].set_title("v/(v+m)·R + m/(v+m)·C")
    fig.tight_layout()
    few = (v > 0) & (v < 10)
    perfect = int(((rr >= 9) & few).sum())
    top_raw = movies.assign(v=v).loc[(v > 0)].nlargest(5, ["vote_average", "v"])
    top_wr = movies.assign(wr=wr, v=v).nlargest(5, "wr")
    tables = _table(
        [(t.title, f"{t.vote_average:.1f}", int(t.v)) for t in top_raw.itertuples()],
        ("top by raw average", "R", "votes"),
    ) + _table(
        [(t.title, f"{t.vote_average:.1f}", int(t.v), f"{t.wr:.2f}") for t in top_wr.itertuples()],
        ("top by weighted rating", "R", "votes", "WR"),
    )
    text = _p(
        f"{int(few.sum())} movies have fewer than 10 votes and {perfect} of them average 9 or "
        f"more: a raw average ranks them above classics with thousands of votes. The "
        f"recommender therefore uses IMDB's weighted rating v/(v+m)·R + m/(v+m)·C with "
        f"m = {m:.0f} votes (the 90th percentile of vote counts) and C = {c:.2f} (the "
        "vote-weighted mean), which pulls movies with few votes towards C."
    )
    return _png(fig) + tables + text, m, c


def _wordcloud(freqs: Counter[str], title: str) -> str:
    from wordcloud import WordCloud

    fig, ax = plt.subplots(figsize=(7, 3.5))
    if freqs:
        cloud = WordCloud(width=700, height=350, background_color="white", max_words=150)
        cloud.generate_from_frequencies(dict(freqs.most_common(300)))
        ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.axis("off")
    ax.set_title(title)
    return _png(fig)


def _section_text(
    tables: Path, movies: pd.DataFrame
) -> tuple[str, dict[str, float], dict[str, int]]:
    from wordcloud import STOPWORDS

    stop = {w.lower() for w in STOPWORDS}
    title_words: Counter[str] = Counter()
    for title in movies["title"].dropna():
        title_words.update(w for w in _WORD.findall(str(title).lower()) if w not in stop)
    keywords = _links(tables, "keywords")
    kw = Counter({str(k): int(c) for k, c in keywords["name"].value_counts().head(300).items()})
    overview = movies["overview"].fillna("").astype(str).str.strip()
    lengths = overview[overview != ""].str.split().str.len()
    cast = _read(tables, "movie_cast", ["movie_id"])
    crew = _read(tables, "movie_crew", ["movie_id", "job"])
    ids = set(movies["id"].tolist())
    n = max(len(movies), 1)
    shares = {
        "overview": float((overview != "").sum()) / n,
        "cast": len(ids & set(cast["movie_id"].unique().tolist())) / n,
        "director": len(ids & set(crew.loc[crew["job"] == "Director", "movie_id"].tolist())) / n,
        "keywords": len(ids & set(keywords["movie_id"].unique().tolist())) / n,
    }
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
    axes[0].hist(lengths, bins=50)
    axes[0].set_title("Overview length (words)")
    axes[1].bar(list(shares), [100 * s for s in shares.values()])
    axes[1].set_ylim(0, 100)
    axes[1].set_title("% of movies with ...")
    fig.tight_layout()
    text = _p(
        f"{shares['overview']:.1%} of movies have an overview (median length "
        f"{float(lengths.median()) if len(lengths) else 0:.0f} words), {shares['cast']:.1%} at "
        f"least one cast member, {shares['director']:.1%} a director and "
        f"{shares['keywords']:.1%} keywords. The most frequent title word is "
        f"'{title_words.most_common(1)[0][0] if title_words else '-'}' and the most frequent "
        f"keyword '{kw.most_common(1)[0][0] if kw else '-'}'."
    )
    body = _wordcloud(title_words, "Title words") + _wordcloud(kw, "Keywords") + _png(fig) + text
    return body, shares, {str(k): int(v) for k, v in keywords["name"].value_counts().items()}


_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em;color:#222}"
    "img{max-width:100%}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%}"
)


def build_report(data_dir: Path, out_file: Path) -> EdaSummary:
    """Write the EDA report of the catalogue published in `data_dir` to `out_file`."""
    build_dir = resolve_build_dir(Path(data_dir))
    tables = build_dir / "tables"
    report_path = build_dir / "quality_report.json"
    quality: dict[str, Any] = (
        json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    )
    catalog = load_catalog(Path(data_dir))
    movies = pd.read_parquet(tables / "movies.parquet")
    plt.rcParams.update({"font.size": 8})
    bodies: list[str] = []
    body, meta = _section_dataset(quality, movies)
    bodies.append(body)
    bodies.append(_section_distributions(movies))
    body, releases = _section_releases(catalog, movies)
    bodies.append(body)
    body, entities = _section_categories(tables, movies)
    bodies.append(body)
    bodies.append(_section_money(tables, movies))
    body, m, c = _section_votes(movies)
    bodies.append(body)
    body, shares, keyword_movies = _section_text(tables, movies)
    bodies.append(body)
    summary = EdaSummary(
        movies=len(catalog),
        rows_read=meta["rows_read"],
        rows_kept=meta["rows_kept"],
        file_columns=meta["file_columns"],
        table_columns=int(movies.shape[1]),
        dropped=meta["dropped"],
        releases_per_month=releases["per_month"],
        releases_per_weekday=releases["per_weekday"],
        releases_per_year=releases["per_year"],
        vote_count_m=m,
        mean_vote_c=c,
        share_with_overview=shares["overview"],
        share_with_cast=shares["cast"],
        share_with_director=shares["director"],
        share_with_keywords=shares["keywords"],
        entities=entities,
        keyword_movies=keyword_movies,
    )
    sections = "".join(
        f"<section><h2>{html.escape(t)}</h2>{b}</section>"
        for t, b in zip(SECTIONS, bodies, strict=True)
    )
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>cinerec EDA</title><style>{_CSS}</style></head><body>"
        f"<h1>cinerec — exploratory data analysis</h1>"
        f"<p>Catalogue: {html.escape(build_dir.name)}, {summary.movies} movies.</p>"
        f"{sections}</body></html>"
    )
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(page, encoding="utf-8")
    return summary


__all__ = ["SECTIONS", "EdaSummary", "build_report"]
