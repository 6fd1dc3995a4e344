"""Request bodies, for the API and the control API alike: read as they arrive, never past a
limit (413 as soon as it is passed, without reading the rest), and parsed as strict JSON
(400 for anything else).
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request

from .errors import ApiError, FieldError


async def read_body(request: Request, limit: int) -> bytes:
    """The body of ``request``; ``ApiError`` 413 when it is over ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before anything is read; a body
    without one (chunked) is refused at the first chunk that takes it over.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise too_large(limit)
    return bytes(raw)


async def read_json(request: Request, limit: int) -> Any:
    """The body of ``request`` parsed as JSON (``None`` when empty): 413 over ``limit``,
    400 naming ``body`` when it is not JSON."""
    return json_of(await read_body(request, limit))


def json_of(raw: bytes) -> Any:
    """``raw`` parsed as JSON (``None`` when empty); ``ApiError`` 400 when it is not JSON."""
    if not raw:
        return None
    try:
        return parse_json(raw)
    except ValueError as exc:
        raise ApiError(400, "The body is not valid JSON", [FieldError("body", str(exc))]) from None


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        f"The body is larger than {limit} bytes",
        [FieldError("body", f"larger than {limit} bytes")],
    )


def parse_json(raw: bytes) -> Any:
    """``json.loads(raw)`` refusing NaN, Infinity and numbers beyond a float; ``ValueError``.

    One decoder for every body: ``json.loads`` with options builds a new one per call.
    """
    return _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 parses as inf, which no JSON answer could carry
        raise ValueError(f"{text} is out of range")
    return value


_DECODER = json.JSONDecoder(parse_constant=_no_constants, parse_float=_finite)
