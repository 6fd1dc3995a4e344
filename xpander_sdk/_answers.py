"""Reading answers: the parsed model the caller wants, or the SDK error that says why not.

Every answer the facade reads goes through here: `Answer` and its readers
(`Answer.expect`, `Answer.expect_list`, `Answer.expect_success`) for the
generated calls' answers, `status_error` for an error status,
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


def describe(kind: type) -> str:
    """What an answer of ``kind`` is, for a malformed answer's message."""
    return f"a {kind.__name__} (JSON object)"


class Answer:
    """One answer to a generated call: its status, body and headers, and what was parsed.

    Made by `ApiClient.run` / `arun` from the generated call's ``Response``, or
    from the httpx answer the generated code could not parse (``parsed`` is
    then None and ``failure`` says why). Its readers (`expect`,
    `expect_list`, `expect_success`) are all an operation's answer handling:
    both twins call the same one.
    """

    __slots__ = ("content", "failure", "headers", "http", "parsed", "status")

    def __init__(
        self,
        status: int,
        content: bytes,
        headers: Mapping[str, str],
        parsed: Any,
        http: httpx.Response | None,
        failure: str | None = None,
    ) -> None:
        self.status = status
        self.content = content
        self.headers = headers
        self.parsed = parsed
        #: The httpx answer (for the request's method and URL in errors), when there was one.
        self.http = http
        #: Why the body could not be parsed, or None when it was.
        self.failure = failure

    @classmethod
    def of(cls, response: Response[Any], http: httpx.Response | None) -> Answer:
        """The answer the generated code parsed."""
        return cls(int(response.status_code), response.content, response.headers,
                   response.parsed, http)  # fmt: skip

    @classmethod
    def unreadable(cls, exc: UnreadableResponse) -> Answer:
        """The answer the generated code could not parse."""
        http = exc.response
        why = _describe_parse_error(exc.error)
        return cls(http.status_code, http.content, http.headers, None, http, why)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (its ``x-request-id`` answer header), if it gave one."""
        return request_id(self.headers)

    def error(self) -> ModuleException:
        """The SDK error for this answer's error status."""
        return status_error(self.status, self.content, self.headers, self.http)

    def _malformed(self, expected: str) -> MalformedResponseError:
        why = self.failure or "it could not be read"
        return malformed(self.status, self.content, self.headers, why, expected, self.http)

    def expect(self, kind: type[T]) -> T:
        """The parsed answer when it is a ``kind``; else the matching SDK error."""
        if not self.ok:
            raise self.error()
        if isinstance(self.parsed, kind):
            return self.parsed
        raise self._malformed(describe(kind))

    def expect_list(self, item: type[T]) -> list[T]:
        """The parsed answer when it is an array of ``item``; else the matching SDK error."""
        if not self.ok:
            raise self.error()
        parsed = self.parsed
        if isinstance(parsed, list) and all(isinstance(p, item) for p in parsed):
            return parsed
        raise self._malformed(f"an array of {item.__name__}")

    def expect_success(self) -> None:
        """Nothing when the status is 2xx, whatever the body; else the matching SDK error."""
        if not self.ok:
            raise self.error()
