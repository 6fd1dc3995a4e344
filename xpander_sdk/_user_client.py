"""An httpx client the caller gives `Tasks`, as the innermost transport of the SDK's own.

``Tasks(http_client=httpx.Client(...), async_http_client=httpx.AsyncClient(...))``
sends every request through the caller's client, so its transport, proxies
(``proxy=``, ``mounts=``, the environment's when ``trust_env``), certificates
(``verify=``, ``cert=``), ``auth``, cookies, default headers and httpx event
hooks all apply. The SDK still builds each request (base URL, ``x-api-key``,
``Idempotency-Key``, timeout) on an httpx client of its own, whose transport
is the retry transport, whose inner transport is `ClientTransport`:

    SDK httpx.Client -> RetryTransport -> ClientTransport -> your client.send()

Why this way: httpx has no public way to put a transport around a client's
own (``client._transport`` is private, and a client with a proxy picks one of
several transports per URL), but ``client.send`` is public and does all of
the above. So the SDK's retries, idempotency keys, timeouts, logging, request
ids and hooks run around the caller's client without changing its settings:
the base URL and key are the SDK's, per request, and the client is never
closed by the SDK (it is the caller's). Where the caller's client and the SDK
set the same header (``x-api-key``, ``User-Agent``, ``Accept``,
``Content-Type``, ``Idempotency-Key``, ``Last-Event-ID``) the SDK's wins; the
timeout is the SDK's (``Configuration.timeout`` or the call's). Redirects are
not followed, whatever the client's ``follow_redirects``: httpx would carry the
``x-api-key`` header to whatever host a redirect names.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import httpx


def check_clients(http_client: Any, async_http_client: Any) -> None:
    """Raise TypeError / ValueError naming an argument that is not an open httpx client."""
    for value, name, kind in (
        (http_client, "http_client", httpx.Client),
        (async_http_client, "async_http_client", httpx.AsyncClient),
    ):
        if value is None:
            continue
        if not isinstance(value, kind):
            raise TypeError(f"{name} must be an httpx.{kind.__name__}, not {type(value).__name__}")
        if value.is_closed:
            raise ValueError(f"{name} is closed: give Tasks an open client")


def _add_client_defaults(request: httpx.Request, client: httpx.Client | httpx.AsyncClient) -> None:
    """What ``client.build_request`` would add: its headers and cookies (the request's win)."""
    for name, value in client.headers.multi_items():
        if name not in request.headers:
            request.headers[name] = value
    if "cookie" not in request.headers:
        client.cookies.set_cookie_header(request)


class ClientTransport(httpx.BaseTransport):
    """Sends each request through the caller's ``httpx.Client``; never closes it."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _add_client_defaults(request, self._client)
        return self._client.send(request, stream=True, follow_redirects=False)

    def close(self) -> None:
        pass  # the caller's client: the caller closes it


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """Sends each request through the caller's ``httpx.AsyncClient``; never closes it.

    An ``httpx.AsyncClient`` belongs to the event loop it is first used in (its
    pooled connections do); a request from another loop raises RuntimeError
    rather than fail deep inside the connection pool.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = weakref.ref(loop)
        elif self._loop() is not loop:
            raise RuntimeError(
                "the async_http_client given to Tasks was first used in another event loop; "
                "an httpx.AsyncClient belongs to one loop: give each loop its own Tasks and client"
            )
        _add_client_defaults(request, self._client)
        return await self._client.send(request, stream=True, follow_redirects=False)

    async def aclose(self) -> None:
        pass  # the caller's client: the caller closes it
