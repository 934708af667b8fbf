"""The usual course API ("PI MLOps"), as the comparison point for `benchmarks/bench_load.py`.

    python -m benchmarks.baseline.prepare --raw RAW_DIR --out DIR    # the ETL, once
    python -m benchmarks.baseline.app --data DIR [--port 8001]

What students typically write, kept faithful but not sabotaged: at start-up the prepared table
is read into one pandas DataFrame and a `TfidfVectorizer(stop_words="english")` is fitted over
the overviews; every request filters that DataFrame with pandas
(`df[df["title"].str.lower() == titulo.lower()]`, `.apply` over the cast lists, ...) and every
recommendation computes `cosine_similarity` of the query row against the whole TF-IDF matrix,
takes the 30 most similar, re-sorts them by vote average and returns 5 titles. Unknown input
answers 200 with an error string, as the course versions do. Handlers are plain `def` (FastAPI
runs them in its thread pool), as the course templates write them.

The version that precomputes `cosine_similarity(tfidf, tfidf)` (an N x N dense matrix) cannot
hold the full catalogue (45k movies -> ~16 GB of float64), so one row is computed per request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from benchmarks.baseline.prepare import OUTPUT
from benchmarks.stack import parser, serve
from fastapi import FastAPI
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

MESES = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
DIAS = {
    "lunes": 0,
    "martes": 1,
    "miercoles": 2,
    "miércoles": 2,
    "jueves": 3,
    "viernes": 4,
    "sabado": 5,
    "sábado": 5,
    "domingo": 6,
}
MIN_VOTOS = 2000


def create_app(data: Path) -> FastAPI:
    """Load the prepared table and fit TF-IDF (the start-up), then declare the routes."""
    df = pd.read_parquet(data / OUTPUT)
    df["overview"] = df["overview"].fillna("")
    tfidf = TfidfVectorizer(stop_words="english")
    matriz = tfidf.fit_transform(df["overview"])

    app = FastAPI(title="PI MLOps (baseline)")

    @app.get("/")
    def inicio() -> dict[str, Any]:
        return {"mensaje": "API de películas - PI MLOps", "peliculas": len(df)}

    @app.get("/cantidad_filmaciones_mes/{mes}")
    def cantidad_filmaciones_mes(mes: str) -> Any:
        mes = mes.lower()
        if mes not in MESES:
            return f"El mes {mes} no es válido"
        cantidad = len(df[df["release_date"].dt.month == MESES[mes]])
        return {
            "mes": mes,
            "cantidad": cantidad,
            "mensaje": f"{cantidad} cantidad de películas fueron estrenadas en el mes de {mes}",
        }

    @app.get("/cantidad_filmaciones_dia/{dia}")
    def cantidad_filmaciones_dia(dia: str) -> Any:
        dia = dia.lower()
        if dia not in DIAS:
            return f"El día {dia} no es válido"
        cantidad = len(df[df["release_date"].dt.day_of_week == DIAS[dia]])
        return {
            "dia": dia,
            "cantidad": cantidad,
            "mensaje": f"{cantidad} cantidad de películas fueron estrenadas en los días {dia}",
        }

    @app.get("/score_titulo/{titulo}")
    def score_titulo(titulo: str) -> Any:
        pelicula = df[df["title"].str.lower() == titulo.lower()]
        if pelicula.empty:
            return f"No se encontró la película {titulo}"
        fila = pelicula.iloc[0]
        anio = int(fila["release_year"])
        popularidad = float(fila["popularity"])
        return {
            "titulo": fila["title"],
            "anio": anio,
            "popularidad": popularidad,
            "mensaje": (
                f"La película {fila['title']} fue estrenada en el año {anio} "
                f"con un score/popularidad de {popularidad}"
            ),
        }

    @app.get("/votos_titulo/{titulo}")
    def votos_titulo(titulo: str) -> Any:
        pelicula = df[df["title"].str.lower() == titulo.lower()]
        if pelicula.empty:
            return f"No se encontró la película {titulo}"
        fila = pelicula.iloc[0]
        votos = int(fila["vote_count"])
        if votos < MIN_VOTOS:
            return (
                f"La película {fila['title']} no cumple la condición de tener al menos "
                f"{MIN_VOTOS} valoraciones"
            )
        anio = int(fila["release_year"])
        promedio = float(fila["vote_average"])
        return {
            "titulo": fila["title"],
            "anio": anio,
            "voto_total": votos,
            "voto_promedio": promedio,
            "mensaje": (
                f"La película {fila['title']} fue estrenada en el año {anio}. La misma cuenta "
                f"con un total de {votos} valoraciones, con un promedio de {promedio}"
            ),
        }

    @app.get("/get_actor/{nombre_actor}")
    def get_actor(nombre_actor: str) -> Any:
        nombre = nombre_actor.lower()
        peliculas = df[df["actores"].apply(lambda actores: nombre in [a.lower() for a in actores])]
        if peliculas.empty:
            return f"No se encontró el actor {nombre_actor}"
        cantidad = len(peliculas)
        retorno_total = float(peliculas["return"].sum())
        retorno_promedio = retorno_total / cantidad
        return {
            "actor": nombre_actor,
            "cantidad_filmaciones": cantidad,
            "retorno_total": retorno_total,
            "retorno_promedio": retorno_promedio,
            "mensaje": (
                f"El actor {nombre_actor} ha participado de {cantidad} cantidad de filmaciones, "
                f"el mismo ha conseguido un retorno de {retorno_total:.2f} con un promedio de "
                f"{retorno_promedio:.2f} por filmación"
            ),
        }

    @app.get("/get_director/{nombre_director}")
    def get_director(nombre_director: str) -> Any:
        nombre = nombre_director.lower()
        peliculas = df[df["directores"].apply(lambda ds: nombre in [d.lower() for d in ds])]
        if peliculas.empty:
            return f"No se encontró el director {nombre_director}"
        retorno_total = float(peliculas["return"].sum())
        return {
            "director": nombre_director,
            "retorno_total_director": retorno_total,
            "peliculas": [
                {
                    "titulo": fila["title"],
                    "fecha_estreno": fila["release_date"].strftime("%Y-%m-%d"),
                    "retorno_pelicula": float(fila["return"]),
                    "budget_pelicula": float(fila["budget"]),
                    "revenue_pelicula": float(fila["revenue"]),
                }
                for _, fila in peliculas.iterrows()
            ],
        }

    @app.get("/recomendacion/{titulo}")
    def recomendacion(titulo: str) -> Any:
        indices = df.index[df["title"].str.lower() == titulo.lower()]
        if len(indices) == 0:
            return f"No se encontró la película {titulo}"
        idx = int(indices[0])
        similitud = cosine_similarity(matriz[idx], matriz).flatten()
        orden = np.argsort(-similitud)
        orden = orden[orden != idx][:30]
        candidatas = df.iloc[orden].sort_values("vote_average", ascending=False)
        return {
            "titulo": df.loc[idx, "title"],
            "lista recomendada": candidatas["title"].head(5).tolist(),
        }

    return app


def main() -> None:
    cli = parser(__doc__, 8001)
    cli.add_argument("--data", type=Path, required=True, help="the directory `prepare` wrote")
    args = cli.parse_args()
    serve(create_app(args.data), args)


if __name__ == "__main__":
    main()
