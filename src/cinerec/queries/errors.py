"""Errors a query raises; the API maps them to 404 / 422 JSON."""

from __future__ import annotations


class NotFoundError(Exception):
    """Nothing matches: carries close matches to suggest."""

    def __init__(self, detail: str, suggestions: list[str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.suggestions = suggestions or []


class InvalidQueryError(Exception):
    """A parameter is well-formed for HTTP but makes no sense (e.g. an empty title); for a
    closed vocabulary (months, weekdays) it carries the values that are valid."""

    def __init__(self, detail: str, valid: list[str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.valid = valid
