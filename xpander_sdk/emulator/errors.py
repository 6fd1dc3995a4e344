"""Error answers: every non-2xx the emulator sends has the spec's ``Error`` body.

``{"detail": "<one sentence>", "errors": [{"field": "body.input.text", "reason": "..."}]}``
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with a request: where (a dotted path) and why."""

    field: str
    reason: str


class ApiError(Exception):
    """Raised by handlers and the service; turned into an ``Error`` answer by the app."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Iterable[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})


def error_body(detail: str, errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    """The ``Error`` JSON object; ``errors`` is present only when a field is named."""
    body: dict[str, Any] = {"detail": detail}
    listed = [{"field": e.field, "reason": e.reason} for e in errors]
    if listed:
        body["errors"] = listed
    return body


def error_response(
    status: int,
    detail: str,
    errors: Iterable[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON ``Error`` answer with ``status``."""
    return JSONResponse(error_body(detail, errors), status_code=status, headers=headers)


def not_found(what: str, field: str) -> ApiError:
    """404 for an unknown task (or similar), naming the path parameter."""
    return ApiError(404, f"{what} not found", [FieldError(field, "no such id")])
