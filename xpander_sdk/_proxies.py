"""Which proxy a request goes through: `Configuration(proxy=...)`, else the environment's.

httpx reads ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` and ``NO_PROXY``
only for a client it builds its own transport for; the SDK gives its clients
transports (the retrying one, the queue, the pools), so it reads them here,
with the standard library's rules (``urllib.request``: lower-case names win,
``NO_PROXY`` lists hosts or domain suffixes, ``*`` for all). The choice is
made per host, because the event streams of the hosted platform come from
another host than its API.

`ProxyRoutes` / `AsyncProxyRoutes` hold one pool per proxy (or none) and send
each request through the one its host asks for. Without any proxy, configured
or in the environment, the pools are used directly and this module costs
nothing per request.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


class Proxies:
    """The proxy for each host: ``proxy`` for all, else the environment's (when trusted)."""

    def __init__(self, proxy: str | None, trust_env: bool) -> None:
        self._proxy = proxy
        found = urllib.request.getproxies_environment() if trust_env and proxy is None else {}
        # ``no`` is NO_PROXY; the rest map a scheme (or ``all``) to a proxy URL.
        self._env = {k: v for k, v in found.items() if v}
        self._hosts: dict[tuple[str, str], str | None] = {}

    @property
    def any(self) -> bool:
        """Whether any request may go through a proxy."""
        return bool(self._proxy) or any(k != "no" for k in self._env)

    def for_url(self, url: httpx.URL) -> str | None:
        """The proxy URL for a request to ``url``, or None to connect directly."""
        if self._proxy is not None:
            return self._proxy
        key = (url.scheme, url.host)
        if key not in self._hosts:
            self._hosts[key] = self._lookup(url.scheme, url.host)
        return self._hosts[key]

    def _lookup(self, scheme: str, host: str) -> str | None:
        proxy = self._env.get(scheme) or self._env.get("all")
        # NO_PROXY as the standard library reads it (typeshed omits this function).
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        if proxy is None or bypass(host, self._env):
            return None
        return proxy


class _Routes(Generic[T]):
    """One transport per proxy (None: direct), made when first needed."""

    def __init__(self, proxies: Proxies, make: Callable[[str | None], T]) -> None:
        self._proxies = proxies
        self._make = make
        self._routes: dict[str | None, T] = {}
        # A sync client may be shared by threads: two first requests through one
        # proxy must not make two pools (the one dropped would never be closed).
        self._lock = threading.Lock()

    def route(self, request: httpx.Request) -> T:
        proxy = self._proxies.for_url(request.url)
        transport = self._routes.get(proxy)
        if transport is None:
            with self._lock:
                transport = self._routes.get(proxy)
                if transport is None:
                    transport = self._routes[proxy] = self._make(proxy)
        return transport

    def made(self) -> list[T]:
        return list(self._routes.values())


class ProxyRoutes(httpx.BaseTransport):
    """A sync transport that sends each request through its host's proxy, or directly."""

    def __init__(self, proxies: Proxies, make: Callable[[str | None], httpx.BaseTransport]):
        self._routes = _Routes(proxies, make)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._routes.route(request).handle_request(request)

    def close(self) -> None:
        for transport in self._routes.made():
            transport.close()


class AsyncProxyRoutes(httpx.AsyncBaseTransport):
    """The async twin of `ProxyRoutes`."""

    def __init__(
        self, proxies: Proxies, make: Callable[[str | None], httpx.AsyncBaseTransport]
    ) -> None:
        self._routes = _Routes(proxies, make)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._routes.route(request).handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self._routes.made():
            await transport.aclose()
