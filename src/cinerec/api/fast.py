"""Cheaper request parsing and response writing for the hot routes, same answers and schema.

Two FastAPI costs dominate a route whose query takes a few microseconds:

- each declared query parameter is validated on its own, ~15-25 µs apiece even when absent
  (the recommendation route has seven): routes with query parameters take them as one
  pydantic model instead (`parse_query`, one pydantic-core call), and document them in the
  OpenAPI schema with `query_openapi`, parameter for parameter what FastAPI writes;
- a returned pydantic model is dumped, validated again against `response_model` and
  serialized (~30-60 µs): routes build plain dicts and return `json_response` (orjson,
  ~2 µs), keeping `response_model=` so the schema documents the same shape.
"""

from __future__ import annotations

import inspect
import re
from typing import Any, TypeVar, cast

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.routing import get_route_path
from starlette.types import ASGIApp, Receive, Scope, Send

Q = TypeVar("Q", bound=BaseModel)


def json_response(content: Any) -> Response:
    """A JSON answer serialized once by orjson (same bytes as pydantic's for these values)."""
    return Response(content=orjson.dumps(content), media_type="application/json")


# valid query strings seen lately, per model: the same few shapes ("limit=10") come again and
# again, and parsing + validating one costs ~14 µs, as much as some whole queries
_PARSED: dict[tuple[type[BaseModel], bytes], BaseModel] = {}
_PARSED_MAX = 1024


def parse_query(request: Request, model: type[Q]) -> Q:
    """The query parameters validated as `model` (a frozen model: instances are shared);
    bad ones are a 422 like FastAPI's own."""
    key = (model, request.scope["query_string"])
    parsed = _PARSED.get(key)
    if parsed is not None:
        return cast(Q, parsed)
    params = request.query_params
    try:
        value = model.model_validate(dict(params)) if params else model()
    except ValidationError as exc:
        errors = [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()  # rare; simpler than an LRU and as bounded
    _PARSED[key] = value
    return value


def query_openapi(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` declaring the fields of `model` as query parameters."""
    schema = model.model_json_schema()
    parameters: list[dict[str, Any]] = []
    for name, field in model.model_fields.items():
        property_schema = dict(schema["properties"][name])
        if property_schema.get("default", ...) is None:
            del property_schema["default"]  # FastAPI leaves a None default out
        parameter: dict[str, Any] = {
            "name": field.alias or name,
            "in": "query",
            "required": field.is_required(),
            "schema": property_schema,
        }
        if field.description:
            parameter["description"] = field.description
        parameters.append(parameter)
    return {"parameters": parameters}


class DirectRoutes:
    """ASGI middleware answering the hot GET routes without FastAPI's per-request machinery.

    A route qualifies when its endpoint takes only the `Request` and `str`/`int` path
    parameters and returns a `Response` (the routes above, which parse their own query): then
    FastAPI's dependency solving, parameter validation and response handling do nothing for
    it but cost ~60-100 µs, more than most queries. Such a route is matched here with its own
    compiled path and its endpoint called directly, the same function FastAPI would call.
    Anything else, and any exception (unknown names, bad parameters), goes on to the full
    stack, which answers exactly as if this middleware were absent.
    """

    def __init__(self, app: ASGIApp, routers: list[APIRouter]) -> None:
        self.app = app
        # each with the literal start of its path, a cheaper first test than the regex
        self.routes = [(r[0].path.split("{")[0], r) for router in routers for r in _direct(router)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path = get_route_path(scope)
            for prefix, (route, request_param, int_params) in self.routes:
                if not path.startswith(prefix):
                    continue
                match = route.path_regex.match(path)
                if match is None:
                    continue
                response = await _call(scope, receive, route, match, request_param, int_params)
                if response is not None:
                    await response(scope, receive, send)
                    return
                break
        await self.app(scope, receive, send)


_DIGITS = re.compile(r"[0-9]{1,18}")

DirectRoute = tuple[APIRoute, str, frozenset[str]]


def _direct(router: APIRouter) -> list[DirectRoute]:
    """The routes of `router` that `DirectRoutes` can call: (route, request parameter name,
    names of the int path parameters)."""
    found = []
    for route in router.routes:
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
            continue
        d = route.dependant
        extra = (d.query_params, d.header_params, d.cookie_params, d.body_params, d.dependencies)
        special = (
            d.websocket_param_name,
            d.http_connection_param_name,
            d.response_param_name,
            d.background_tasks_param_name,
            d.security_scopes_param_name,
        )
        types = {f.name: f.field_info.annotation for f in d.path_params}
        if (
            d.request_param_name is None
            or any(extra)
            or any(special)
            or not set(types.values()) <= {str, int}
            or not inspect.iscoroutinefunction(route.endpoint)
        ):
            continue
        ints = frozenset(name for name, t in types.items() if t is int)
        found.append((route, d.request_param_name, ints))
    return found


async def _call(
    scope: Scope,
    receive: Receive,
    route: APIRoute,
    match: re.Match[str],
    request_param: str,
    int_params: frozenset[str],
) -> Response | None:
    """The endpoint's response, or None to leave the request to the full stack."""
    params: dict[str, Any] = {}
    for name, value in match.groupdict().items():
        converted = route.param_convertors[name].convert(value)
        if name in int_params:
            if not isinstance(converted, str) or not _DIGITS.fullmatch(converted):
                return None  # signs, spaces, huge numbers: FastAPI's validation decides
            converted = int(converted)
        params[name] = converted
    child = {**scope, "route": route, "endpoint": route.endpoint, "path_params": params}
    try:
        response = await route.endpoint(**params, **{request_param: Request(child, receive)})
    except Exception:
        return None  # errors are answered by the full stack's handlers
    if not isinstance(response, Response):
        return None
    scope.update(route=route, endpoint=route.endpoint, path_params=params)
    return response
