"""Every error is JSON: 404 with suggestions, 422 for bad parameters, never a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from cinerec.queries.errors import InvalidQueryError, NotFoundError

log = logging.getLogger("cinerec.api")


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str | None


class InvalidInput(BaseModel):
    """422: a parameter is malformed (a list of issues) or makes no sense (one sentence);
    for a closed vocabulary (months, weekdays) the values that are valid."""

    detail: str | list[ValidationIssue]
    valid_values: list[str] | None = None
    valores_validos: list[str] | None = None


class NotFoundEs(BaseModel):
    """404 of the course endpoints: what was not found and close matches."""

    detail: str
    sugerencias: list[str]


class NotFound(BaseModel):
    """404 of `/api/v1`: what was not found and close matches."""

    detail: str
    suggestions: list[str]


# the error answers routes document in the OpenAPI schema (so it says what they really return)
COURSE_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": NotFoundEs, "description": "Nothing matches; close matches suggested"},
    422: {"model": InvalidInput, "description": "Invalid parameter"},
}
# a body that is not JSON, or not the JSON the route takes, is a 422 like any invalid input
# (FastAPI's own answer, kept: the schema says what the server really does)
BAD_BODY: dict[int | str, dict[str, Any]] = {
    422: {
        "model": InvalidInput,
        "description": "The body is not valid JSON, or not a valid request (a list of issues)",
    },
}
V1_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": NotFound, "description": "Nothing matches; close matches suggested"},
    422: {"model": InvalidInput, "description": "Invalid parameter"},
}


# what FastAPI says when it cannot decode a request body at all
_UNPARSEABLE_BODY = "There was an error parsing the body"


def _is_v1(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        key = "suggestions" if _is_v1(request) else "sugerencias"
        return JSONResponse(status_code=404, content={"detail": exc.detail, key: exc.suggestions})

    @app.exception_handler(InvalidQueryError)
    async def invalid(request: Request, exc: InvalidQueryError) -> JSONResponse:
        content: dict[str, Any] = {"detail": exc.detail}
        if exc.valid is not None:
            content["valid_values" if _is_v1(request) else "valores_validos"] = exc.valid
        return JSONResponse(status_code=422, content=content)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == _UNPARSEABLE_BODY:
            # FastAPI answers 400 for a body it cannot even decode (not UTF-8) and 422 for one
            # that is not JSON: both are the same mistake, answered (and documented) as 422
            issue = {"loc": ["body"], "msg": "the body is not valid JSON", "type": "json_invalid"}
            return JSONResponse(status_code=422, content={"detail": [issue]})
        content: dict[str, Any] = {"detail": exc.detail}
        if exc.status_code == 404:
            # every 404 has the same shape, also when no route matched (e.g. a name with a
            # line break, which `{name:path}` does not match)
            content["suggestions" if _is_v1(request) else "sugerencias"] = []
        return JSONResponse(status_code=exc.status_code, content=content, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error"})
