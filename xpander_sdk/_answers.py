"""Reading answers: the parsed model the caller wants, or the SDK error that says why not.

Every answer the facade reads goes through here: `expect` / `expect_list` for
the generated calls' answers, `status_error` for an error status,
`malformed` for an answer that is not what the API promises, and
`transport_error` for no answer at all.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from xpander_api_client.errors import UnreadableResponse
from xpander_api_client.types import Response

from ._logging import request_id
from .errors import (
    APIConnectionError,
    APITimeoutError,
    MalformedResponseError,
    ModuleException,
    RateLimitError,
    error_for_status,
)
from .transport import parse_retry_after

T = TypeVar("T")


def _where(http: httpx.Response | None) -> tuple[str | None, str | None]:
    if http is None:
        return None, None
    with contextlib.suppress(RuntimeError):  # an answer built without a request
        return http.request.method, str(http.request.url)
    return None, None


def parse_body(content: bytes) -> Any:
    """An answer's body: its JSON when it is JSON, else its text (None when empty)."""
    try:
        return json.loads(content) if content else None
    except ValueError:
        return content.decode("utf-8", "replace")


def transport_error(exc: httpx.HTTPError) -> ModuleException:
    """The SDK error for a request that got no answer."""
    method: str | None = None
    url: str | None = None
    with contextlib.suppress(RuntimeError):  # raised before its request was built
        method, url = exc.request.method, str(exc.request.url)
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if kind is APITimeoutError else "failed"
    return kind(None, f"request {what}: {type(exc).__name__}: {exc}", method=method, url=url)


def malformed(
    status: int,
    content: bytes,
    headers: Mapping[str, str],
    why: str,
    expected: str = "",
    http: httpx.Response | None = None,
) -> MalformedResponseError:
    """A `MalformedResponseError` that says what was expected and what came instead."""
    method, url = _where(http)
    kind = headers.get("content-type", "no content type")
    shape = "an empty body" if not content else f"{len(content)} bytes of {kind}"
    wanted = f"expected {expected}; " if expected else ""
    return MalformedResponseError(
        status,
        f"malformed answer: {wanted}{why} (got {shape})",
        body=parse_body(content),
        method=method,
        url=url,
        request_id=request_id(headers),
    )


def status_error(
    status: int, content: bytes, headers: Mapping[str, str], http: httpx.Response | None = None
) -> ModuleException:
    """The SDK error for an error answer: its class by status, its body parsed."""
    method, url = _where(http)
    body = parse_body(content)
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        description = body["detail"]
    elif isinstance(body, dict) and isinstance(body.get("message"), str):
        description = body["message"]
    elif isinstance(body, str) and body.strip():
        description = body.strip()[:300]
    else:
        description = f"HTTP {status}"
    error = error_for_status(status)(
        status, description, body=body, method=method, url=url, request_id=request_id(headers)
    )
    if isinstance(error, RateLimitError):
        error.retry_after = parse_retry_after(headers.get("retry-after"))
    return error


def _describe_parse_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"the body is not valid JSON ({exc.msg} at character {exc.pos})"
    if isinstance(exc, KeyError):
        return f"required field {exc.args[0]!r} is missing"
    return f"{type(exc).__name__}: {exc}"


def unreadable(exc: UnreadableResponse, expected: str) -> ModuleException:
    """The generated code could not parse an answer: an error status, or a malformed answer."""
    http = exc.response
    if http.status_code >= 400:
        return status_error(http.status_code, http.content, http.headers, http)
    why = _describe_parse_error(exc.error)
    return malformed(http.status_code, http.content, http.headers, why, expected, http)


def describe(kind: type) -> str:
    """What an answer of ``kind`` is, for a malformed answer's message."""
    return f"a {kind.__name__} (JSON object)"


def expect(response: Response[Any], kind: type[T], http: httpx.Response | None = None) -> T:
    """The parsed answer when it is a ``kind``; else the matching SDK error."""
    status = int(response.status_code)
    if 200 <= status < 300:
        if isinstance(response.parsed, kind):
            return response.parsed
        why = "it could not be read"
        raise malformed(status, response.content, response.headers, why, describe(kind), http)
    raise status_error(status, response.content, response.headers, http)


def expect_list(
    response: Response[Any], item: type[T], http: httpx.Response | None = None
) -> list[T]:
    """Like `expect`, for an answer that is an array of ``item``."""
    status = int(response.status_code)
    if 200 <= status < 300:
        parsed = response.parsed
        if isinstance(parsed, list) and all(isinstance(p, item) for p in parsed):
            return parsed
        what = f"an array of {item.__name__}"
        raise malformed(
            status, response.content, response.headers, "it could not be read", what, http
        )
    raise status_error(status, response.content, response.headers, http)
