"""The ``x-api-key`` rule, shared by the API and the control API."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from .errors import ApiError, FieldError


def authorize(request: Request, expected: str | None) -> None:
    """401 unless ``x-api-key`` is present and, when ``expected`` is set, equal to it.

    Compared in constant time; the key is never repeated in the answer.
    """
    key = request.headers.get("x-api-key")
    if not key:
        raise ApiError(
            401,
            "The x-api-key header is missing",
            [FieldError("header.x-api-key", "is required")],
        )
    if expected is not None and not hmac.compare_digest(
        key.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape")
    ):
        raise ApiError(
            401, "The API key is not valid", [FieldError("header.x-api-key", "is not valid")]
        )
