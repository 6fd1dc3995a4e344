"""The connection pools under the retrying transports, as the configuration asks.

Sync calls go through httpx's pool, of ``max_connections`` connections. Async
calls go through httpx's pool or aiohttp's (``http_backend``), behind the
SDK's queue (`QueueTransport`), which keeps at most ``max_connections``
requests in flight; the pool itself is left unbounded so that event streams,
which do not queue, never wait for it.
"""

from __future__ import annotations

import httpx

from ._aiohttp import aiohttp_transport
from ._queue import QueueTransport
from .configuration import Configuration

#: Idle connections stay open this long (seconds) for the next request.
KEEPALIVE_EXPIRY = 30.0


def sync_pool(configuration: Configuration) -> httpx.HTTPTransport:
    """httpx's sync pool, sized by the configuration."""
    limits = httpx.Limits(
        max_connections=configuration.max_connections,
        max_keepalive_connections=configuration.max_keepalive_connections,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )
    return httpx.HTTPTransport(verify=configuration.verify, limits=limits)


def async_pool(configuration: Configuration) -> httpx.AsyncBaseTransport:
    """The configured backend's async pool, behind a queue of ``max_connections`` places.

    Raises `ConfigurationError` when the aiohttp backend is chosen without its extra.
    """
    inner: httpx.AsyncBaseTransport
    if configuration.http_backend == "aiohttp":
        inner = aiohttp_transport(configuration.verify, KEEPALIVE_EXPIRY)
    else:
        limits = httpx.Limits(
            max_connections=None,
            max_keepalive_connections=configuration.max_keepalive_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY,
        )
        inner = httpx.AsyncHTTPTransport(verify=configuration.verify, limits=limits)
    return QueueTransport(inner, configuration.max_connections)
