"""The connection pools under the retrying transports, as the configuration asks.

Sync calls go through httpx's pool, of ``max_connections`` connections. Async
calls go through httpx's pool or aiohttp's (``http_backend``), behind the
SDK's queue (`QueueTransport`), which keeps at most ``max_connections``
requests in flight; the pool itself is left unbounded so that event streams,
which do not queue, never wait for it. With a proxy (configured, or in the
environment) there is one pool per proxy, chosen per host (`_proxies`).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import httpx

from ._aiohttp import aiohttp_transport
from ._proxies import AsyncProxyRoutes, Proxies, ProxyRoutes
from ._queue import QueueTransport
from ._tls import ssl_context
from .configuration import Configuration

#: Idle connections stay open this long (seconds) for the next request.
KEEPALIVE_EXPIRY = 30.0
#: The most connections one of httpx's async pools holds (see `ShardedPool`).
SHARD_SIZE = 4


class ShardedPool(httpx.AsyncBaseTransport):
    """httpx's async pool, split into pools of at most ``SHARD_SIZE`` connections.

    On every request and every answer, httpcore's pool walks its connections
    once per idle connection (its clean-up of surplus idle ones) and once per
    waiting request: work that grows with the square of its size. At 100
    connections that is most of a request's cost under fan-out (1,000
    concurrent look-ups here: ~50 a second in one pool of 100, ~550 in pools
    of 16, ~800 of 8, ~1,000 of 4). Requests go round the small
    pools in turn; the SDK's queue in front keeps the total within
    ``max_connections``, so no pool needs a limit of its own.
    """

    def __init__(
        self, verify: Any, size: int, max_keepalive: int, proxy: str | None = None
    ) -> None:
        count = max(1, math.ceil(size / SHARD_SIZE))
        limits = httpx.Limits(
            max_connections=None,
            max_keepalive_connections=math.ceil(max_keepalive / count),
            keepalive_expiry=KEEPALIVE_EXPIRY,
        )
        context = ssl_context(verify)  # one, shared by the pools
        self._pools = [
            httpx.AsyncHTTPTransport(verify=context, limits=limits, proxy=proxy)
            for _ in range(count)
        ]
        self._turns = itertools.cycle(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await next(self._turns).handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()


def _proxies(configuration: Configuration) -> Proxies:
    return Proxies(configuration.proxy, configuration.trust_env)


def sync_pool(configuration: Configuration) -> httpx.BaseTransport:
    """httpx's sync pool, sized by the configuration (one per proxy, if any)."""
    limits = httpx.Limits(
        max_connections=configuration.max_connections,
        max_keepalive_connections=configuration.max_keepalive_connections,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )

    def pool(proxy: str | None) -> httpx.BaseTransport:
        return httpx.HTTPTransport(
            verify=ssl_context(configuration.verify), limits=limits, proxy=proxy
        )

    proxies = _proxies(configuration)
    return ProxyRoutes(proxies, pool) if proxies.any else pool(None)


def async_pool(configuration: Configuration) -> httpx.AsyncBaseTransport:
    """The configured backend's async pool, behind a queue of ``max_connections`` places.

    Raises `ConfigurationError` when the aiohttp backend is chosen without its extra.
    """

    def pool(proxy: str | None) -> httpx.AsyncBaseTransport:
        if configuration.http_backend == "aiohttp":
            return aiohttp_transport(configuration.verify, KEEPALIVE_EXPIRY, proxy)
        return ShardedPool(
            configuration.verify,
            configuration.max_connections,
            configuration.max_keepalive_connections,
            proxy,
        )

    proxies = _proxies(configuration)
    inner = AsyncProxyRoutes(proxies, pool) if proxies.any else pool(None)
    return QueueTransport(inner, configuration.max_connections)
