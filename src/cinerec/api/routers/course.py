"""The course's endpoints (June and July 2023 assignments), paths and keys as assigned."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from cinerec.api.errors import COURSE_ERRORS
from cinerec.api.fast import json_response, parse_query, query_openapi
from cinerec.api.state import get_catalog, get_state
from cinerec.queries import course
from cinerec.queries.recommendations import similar_titles

router = APIRouter(tags=["course (Spanish)"], responses=COURSE_ERRORS)

Titulo = Annotated[str, Path(description="Título (sin distinguir mayúsculas, tildes ni signos)")]


class AnioQuery(BaseModel):
    """The query of the title routes (parsed by `parse_query`, see `cinerec.api.fast`)."""

    model_config = ConfigDict(frozen=True)  # parse_query shares instances

    anio: int | None = Field(
        default=None,
        ge=1800,
        le=2200,
        description="Año de estreno, para elegir entre películas homónimas",
    )


ANIO = query_openapi(AnioQuery)


def _anio(request: Request) -> int | None:
    return parse_query(request, AnioQuery).anio


def _num(x: float) -> str:
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


class Otra(BaseModel):
    id: int
    titulo: str
    anio: int


def _otras(refs: list[course.MovieRef]) -> list[dict[str, Any]]:
    return [{"id": r.id, "titulo": r.title, "anio": r.year} for r in refs]


class CantidadMes(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "mes": "enero",
                    "cantidad": 5909,
                    "mensaje": "5909 cantidad de películas fueron estrenadas en el mes de enero",
                }
            ]
        }
    )
    mes: str
    cantidad: int
    mensaje: str


class CantidadDia(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dia": "lunes",
                    "cantidad": 3500,
                    "mensaje": "3500 cantidad de películas fueron estrenadas en los días lunes",
                }
            ]
        }
    )
    dia: str
    cantidad: int
    mensaje: str


class ScoreTitulo(BaseModel):
    id: int
    titulo: str
    anio: int
    popularidad: float | None
    mensaje: str
    otras: list[Otra] = []


class VotosTitulo(BaseModel):
    id: int
    titulo: str
    anio: int
    voto_total: int | None
    voto_promedio: float | None
    mensaje: str
    otras: list[Otra] = []


class Actor(BaseModel):
    actor: str
    cantidad_filmaciones: int
    retorno_total: float
    retorno_promedio: float
    peliculas_con_retorno: int
    mensaje: str


class PeliculaDirector(BaseModel):
    id: int
    titulo: str
    fecha_estreno: str
    anio: int
    retorno_pelicula: float
    budget_pelicula: float
    revenue_pelicula: float


class Director(BaseModel):
    director: str
    retorno_total_director: float
    peliculas: list[PeliculaDirector]
    mensaje: str


class Recomendacion(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    titulo: str
    lista_recomendada: list[str] = Field(alias="lista recomendada")


class Idioma(BaseModel):
    """`idioma` is the Spanish name (CLDR), as in `mensaje`; `codigo` the dataset's code."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "idioma": "francés",
                    "codigo": "fr",
                    "cantidad": 2435,
                    "mensaje": "2435 cantidad de películas fueron estrenadas en idioma francés",
                }
            ]
        }
    )
    idioma: str
    codigo: str
    cantidad: int
    mensaje: str


class Duracion(BaseModel):
    titulo: str
    duracion: float | None
    anio: int
    mensaje: str
    otras: list[Otra] = []


class Franquicia(BaseModel):
    franquicia: str
    cantidad: int
    ganancia_total: float
    ganancia_promedio: float
    mensaje: str


class Pais(BaseModel):
    """`pais` is the Spanish name (CLDR), as in `mensaje`; `codigo` the ISO 3166 code and
    `pais_dataset` the name the dataset gives it (English)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pais": "Reino Unido",
                    "codigo": "GB",
                    "pais_dataset": "United Kingdom",
                    "cantidad": 4094,
                    "mensaje": "Se produjeron 4094 películas en el país Reino Unido",
                }
            ]
        }
    )
    pais: str
    codigo: str
    pais_dataset: str
    cantidad: int
    mensaje: str


class Productora(BaseModel):
    productora: str
    revenue_total: float
    cantidad: int
    mensaje: str


@router.get("/cantidad_filmaciones_mes/{mes}", response_model=CantidadMes)
async def cantidad_filmaciones_mes(mes: str, request: Request) -> Response:
    """Películas estrenadas en un mes (de cualquier año). `mes`: enero … diciembre."""
    r = course.releases_in_month(await get_catalog(request), mes)
    return json_response(
        {
            "mes": r.name,
            "cantidad": r.count,
            "mensaje": f"{r.count} cantidad de películas fueron estrenadas en el mes de {r.name}",
        }
    )


@router.get("/cantidad_filmaciones_dia/{dia}", response_model=CantidadDia)
async def cantidad_filmaciones_dia(dia: str, request: Request) -> Response:
    """Películas estrenadas en un día de la semana. `dia`: lunes … domingo."""
    r = course.releases_on_weekday(await get_catalog(request), dia)
    return json_response(
        {
            "dia": r.name,
            "cantidad": r.count,
            "mensaje": f"{r.count} cantidad de películas fueron estrenadas en los días {r.name}",
        }
    )


@router.get("/score_titulo/{titulo:path}", response_model=ScoreTitulo, openapi_extra=ANIO)
async def score_titulo(titulo: Titulo, request: Request) -> Response:
    """Título, año de estreno y popularidad (score) de una filmación."""
    r = course.title_popularity(await get_catalog(request), titulo, _anio(request))
    pop = "desconocida" if r.popularity is None else f"{r.popularity}"
    return json_response(
        {
            "id": r.movie.id,
            "titulo": r.movie.title,
            "anio": r.movie.year,
            "popularidad": r.popularity,
            "mensaje": (
                f"La película {r.movie.title} fue estrenada en el año {r.movie.year} "
                f"con un score/popularidad de {pop}"
            ),
            "otras": _otras(r.others),
        }
    )


@router.get("/votos_titulo/{titulo:path}", response_model=VotosTitulo, openapi_extra=ANIO)
async def votos_titulo(titulo: Titulo, request: Request) -> Response:
    """Cantidad y promedio de votos, si la película tiene al menos 2000 valoraciones."""
    r = course.title_votes(await get_catalog(request), titulo, _anio(request))
    if r.meets_threshold:
        mensaje = (
            f"La película {r.movie.title} fue estrenada en el año {r.movie.year}. "
            f"La misma cuenta con un total de {r.vote_count} valoraciones, "
            f"con un promedio de {r.vote_average}"
        )
    else:
        mensaje = (
            f"La película {r.movie.title} no cumple la condición de tener al menos "
            f"{r.threshold} valoraciones (tiene {r.vote_count}), por eso no se devuelven sus votos"
        )
    return json_response(
        {
            "id": r.movie.id,
            "titulo": r.movie.title,
            "anio": r.movie.year,
            "voto_total": r.vote_count if r.meets_threshold else None,
            "voto_promedio": r.vote_average if r.meets_threshold else None,
            "mensaje": mensaje,
            "otras": _otras(r.others),
        }
    )


@router.get("/get_actor/{nombre_actor:path}", response_model=Actor)
async def get_actor(nombre_actor: str, request: Request) -> Response:
    """Éxito de un actor medido por el retorno de sus películas (solo como parte del reparto)."""
    r = course.actor_success(await get_catalog(request), nombre_actor)
    return json_response(
        {
            "actor": r.person.name,
            "cantidad_filmaciones": r.films,
            "retorno_total": r.return_total,
            "retorno_promedio": r.return_mean,
            "peliculas_con_retorno": r.films_with_return,
            "mensaje": (
                f"El actor {r.person.name} ha participado de {r.films} cantidad de filmaciones, "
                f"el mismo ha conseguido un retorno de {_num(r.return_total)} con un promedio de "
                f"{_num(r.return_mean)} por filmación"
            ),
        }
    )


@router.get("/get_director/{nombre_director:path}", response_model=Director)
async def get_director(nombre_director: str, request: Request) -> Response:
    """Éxito de un director (retorno) y cada película con fecha, retorno, costo y ganancia."""
    r = course.director_success(await get_catalog(request), nombre_director)
    return json_response(
        {
            "director": r.person.name,
            "retorno_total_director": r.return_total,
            "peliculas": [
                {
                    "id": f.movie.id,
                    "titulo": f.movie.title,
                    "fecha_estreno": f.release_date,
                    "anio": f.movie.year,
                    "retorno_pelicula": f.return_,
                    "budget_pelicula": f.budget,
                    "revenue_pelicula": f.revenue,
                }
                for f in r.films
            ],
            "mensaje": (
                f"El director {r.person.name} ha dirigido {len(r.films)} películas con un "
                f"retorno total de {_num(r.return_total)}"
            ),
        }
    )


@router.get(
    "/recomendacion/{titulo:path}",
    response_model=Recomendacion,
    response_model_by_alias=True,
    openapi_extra=ANIO,
)
async def recomendacion(titulo: Titulo, request: Request) -> Response:
    """Cinco películas similares (por contenido y autores: el modelo aprendido sin los gustos
    de los espectadores), una por título, la mejor primero."""
    state = await get_state(request)
    r = similar_titles(state.catalog, state.recommender, titulo, _anio(request), limit=5)
    assert r.movie is not None
    return json_response(
        {"titulo": r.movie.title, "lista recomendada": [m.movie.title for m in r.items]}
    )


@router.get("/peliculas_idioma/{idioma}", response_model=Idioma)
async def peliculas_idioma(idioma: str, request: Request) -> Response:
    """Películas por idioma original: código (`en`), nombre en inglés, español o el propio
    (`inglés`, `castellano`, `日本語`)."""
    r = course.language_count(await get_catalog(request), idioma)
    label = r.name_es or r.name_en or r.code
    return json_response(
        {
            "idioma": label,
            "codigo": r.code,
            "cantidad": r.count,
            "mensaje": f"{r.count} cantidad de películas fueron estrenadas en idioma {label}",
        }
    )


@router.get("/peliculas_duracion/{pelicula:path}", response_model=Duracion, openapi_extra=ANIO)
async def peliculas_duracion(pelicula: str, request: Request) -> Response:
    """Duración en minutos y año de estreno de una película."""
    r = course.movie_runtime(await get_catalog(request), pelicula, _anio(request))
    minutes = "desconocida" if r.runtime is None else f"{r.runtime:g} minutos"
    return json_response(
        {
            "titulo": r.movie.title,
            "duracion": r.runtime,
            "anio": r.movie.year,
            "mensaje": f"{r.movie.title}. Duración: {minutes}. Año: {r.movie.year}",
            "otras": _otras(r.others),
        }
    )


@router.get("/franquicia/{franquicia:path}", response_model=Franquicia)
async def franquicia(franquicia: str, request: Request) -> Response:
    """Cantidad de películas, ganancia total y promedio de una franquicia (colección)."""
    r = course.collection_revenue(await get_catalog(request), franquicia)
    return json_response(
        {
            "franquicia": r.name,
            "cantidad": r.count,
            "ganancia_total": r.revenue_total,
            "ganancia_promedio": r.revenue_mean,
            "mensaje": (
                f"La franquicia {r.name} posee {r.count} películas, una ganancia total de "
                f"{_num(r.revenue_total)} y una ganancia promedio de {_num(r.revenue_mean)}"
            ),
        }
    )


@router.get("/peliculas_pais/{pais:path}", response_model=Pais)
async def peliculas_pais(pais: str, request: Request) -> Response:
    """Películas producidas en un país: nombre del dataset, en español o inglés, código ISO
    (`GB`, `GBR`) o forma usual (`UK`, `EEUU`)."""
    r = course.country_count(await get_catalog(request), pais)
    return json_response(
        {
            "pais": r.name_es,
            "codigo": r.iso,
            "pais_dataset": r.name,
            "cantidad": r.count,
            "mensaje": f"Se produjeron {r.count} películas en el país {r.name_es}",
        }
    )


@router.get("/productoras_exitosas/{productora:path}", response_model=Productora)
async def productoras_exitosas(productora: str, request: Request) -> Response:
    """Revenue total y cantidad de películas de una productora."""
    r = course.company_revenue(await get_catalog(request), productora)
    return json_response(
        {
            "productora": r.name,
            "revenue_total": r.revenue_total,
            "cantidad": r.count,
            "mensaje": (
                f"La productora {r.name} ha tenido un revenue de {_num(r.revenue_total)} "
                f"con {r.count} películas"
            ),
        }
    )
