"""The aiohttp backend: async requests sent through aiohttp's connection pool.

``Configuration(http_backend="aiohttp")`` (or ``XPANDER_HTTP_BACKEND=aiohttp``)
puts httpx-aiohttp's ``AiohttpTransport`` (what openai-python offers as its
faster async option) under the SDK's retrying transport, in place of httpx's
own pool. The generated client, retries, idempotency keys, per-call timeouts,
resumable event streams, logging and redaction are the same; only the sockets
are aiohttp's. aiohttp's pool keeps serving many waiters at full speed where
httpcore's slows down, and a request costs less CPU.

aiohttp is imported only here, and only when such a transport is made: ``import
xpander_sdk`` does not load it. Without the ``aiohttp`` extra, making one raises
`ConfigurationError` naming ``pip install 'xpander-sdk[aiohttp]'``.

httpx-aiohttp maps aiohttp's errors to httpx's coarsely (a server that hangs up
mid-answer becomes ``ConnectTimeout``, which says the request never left and
so may be resent, a non-HTTP answer passes through unmapped). This module maps
them again, by what they tell the retry logic: whether the request can have
reached the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from ._tls import ssl_context
from .errors import ConfigurationError

#: aiohttp's error classes, most specific first, and the httpx error each becomes.
ErrorMap = Sequence[tuple[type[BaseException], type[httpx.TransportError]]]

EXTRA_HINT = "pip install 'xpander-sdk[aiohttp]'"


def _error_map(aiohttp: Any) -> ErrorMap:
    return (
        # Connecting, or waiting for aiohttp's pool: the request never left.
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
        # A hang-up mid-answer, or a body cut short of its length: what httpcore says.
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # an answer that is not HTTP
        (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
        # Anything else from aiohttp happened after the request may have left.
        (aiohttp.ClientError, httpx.ReadError),
        (asyncio.TimeoutError, httpx.ReadTimeout),
    )


def _translate(error: Exception, errors: ErrorMap, request: httpx.Request) -> Exception:
    """The httpx error that says what ``error`` (raised by httpx-aiohttp) means for a retry."""
    cause = error.__cause__ if isinstance(error, httpx.TransportError) else error
    if cause is None:
        return error
    for kind, ours in errors:
        if isinstance(cause, kind):
            return ours(str(cause) or type(cause).__name__, request=request)
    return error


class _Body(httpx.AsyncByteStream):
    """An answer's body, read from aiohttp, its errors mapped as the request's are."""

    def __init__(
        self, stream: httpx.AsyncByteStream, errors: ErrorMap, request: httpx.Request
    ) -> None:
        self._stream = stream
        self._errors = errors
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except Exception as error:
            raise _translate(error, self._errors, self._request) from error

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        except Exception as error:
            raise _translate(error, self._errors, self._request) from error


class AiohttpBackend(httpx.AsyncBaseTransport):
    """httpx-aiohttp's transport, with aiohttp's errors mapped by what they mean for a retry."""

    def __init__(self, inner: httpx.AsyncBaseTransport, errors: ErrorMap) -> None:
        self._inner = inner
        self._errors = errors

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout")
        if timeout:
            # httpx-aiohttp gives the pool timeout to aiohttp's ``connect``, which
            # also counts the time spent connecting; the pool never waits (the
            # SDK's queue does), so that limit is the connect timeout.
            request.extensions["timeout"] = {**timeout, "pool": timeout.get("connect")}
        try:
            response = await self._inner.handle_async_request(request)
        except Exception as error:
            raise _translate(error, self._errors, request) from error
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Body(response.stream, self._errors, request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def aiohttp_transport(
    verify: Any, keepalive_expiry: float | None, proxy: str | None = None
) -> AiohttpBackend:
    """An async transport over one aiohttp session, made on its first request.

    aiohttp's pool is left unbounded: the SDK's queue (`QueueTransport`) keeps
    the requests in flight within ``max_connections``, and event streams hold
    connections of their own. Cookies are not kept, as with the httpx backend's
    pool-level transport; ``proxy`` is the session's proxy for every request.
    Raises `ConfigurationError` without the aiohttp extra.
    """
    try:
        import aiohttp
        from httpx_aiohttp import AiohttpTransport
    except ImportError as error:
        raise ConfigurationError(
            f"http_backend='aiohttp' needs the aiohttp extra: {EXTRA_HINT}"
        ) from error
    context = ssl_context(verify)

    def session() -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=keepalive_expiry, ssl=context)
        settings: dict[str, Any] = {} if proxy is None else {"proxy": proxy}
        return aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), **settings
        )

    return AiohttpBackend(AiohttpTransport(client=session, verify=context), _error_map(aiohttp))
