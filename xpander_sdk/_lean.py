"""The SDK's own httpx clients: `LeanClient` and `AsyncLeanClient`.

The generated endpoint functions call ``client.request(method, url, ...)``
with a path relative to the base URL, the SDK's headers and a JSON body. For
that shape httpx's general machinery does work the SDK never needs, and it is
most of what a call costs on a fast network (about 100 µs of a 150 µs
look-up, measured against a transport that answers at once): the path is
parsed as a URL and merged into the base by parsing again, the request goes
through the auth flow and the redirect loop, and every answer is offered to a
cookie jar through ``urllib``'s request and response adapters.

These subclasses take that shape straight to the transport: one URL parse of
the joined text, one `httpx.Request` with its headers and body already made
(the same bytes httpx would send), ``transport.handle_request``. Whatever
else comes (a query string, form data, per-request auth, cookies, a timeout
or an absolute URL) goes through httpx unchanged, as do ``send`` and
``stream`` (the event streams). The answer is the same `httpx.Response`: its
``request`` and ``elapsed`` are set and a ``Set-Cookie`` still reaches the
jar. The transport inside is the SDK's `RetryTransport`, so retries, keys,
logging and hooks are untouched; the one difference a caller can see is that
httpx's own ``HTTP Request: ...`` INFO line is not logged for these calls
(``XPANDER_LOG=info`` logs each of them, with its request id).
"""

from __future__ import annotations

import json as _json
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import httpx

#: The keyword arguments of ``Client.request`` the lean path handles; any other
#: one given a value sends the call through httpx's general path.
_LEAN = frozenset({"json", "params", "headers", "extensions"})
#: Methods httpx gives ``Content-Length: 0`` when they have no body.
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class _Lean:
    """What the sync and async clients share: building the request."""

    base_url: httpx.URL
    headers: httpx.Headers
    timeout: httpx.Timeout
    cookies: httpx.Cookies

    def _lean_setup(self) -> None:
        # The joined text is parsed once per request, where httpx parses the
        # path, then the base URL with the path merged in.
        self._lean_base = str(self.base_url).rstrip("/")
        self._lean_timeout = self.timeout.as_dict()
        self._lean_host = (b"Host", self.base_url.netloc)

    def _lean_request(
        self, method: str, url: Any, kwargs: Mapping[str, Any]
    ) -> httpx.Request | None:
        """The request for a call of the lean shape, or None for httpx's general path.

        The same request ``build_request`` makes (a test holds the two
        together): the client's headers with the call's over them, ``Host``,
        and for a body its JSON as httpx encodes it, with its length and type.
        """
        if not isinstance(url, str) or url[:1] != "/" or self.cookies:
            return None
        if not all(value is None or key in _LEAN for key, value in kwargs.items()):
            return None
        method = method.upper()
        headers = [self._lean_host, *self.headers.raw]
        given = kwargs.get("headers")
        names: set[bytes] = set()
        if given:
            extra = httpx.Headers(given).raw
            names = {key.lower() for key, _ in extra}
            headers = [h for h in headers if h[0].lower() not in names]
            headers += extra
        body = kwargs.get("json")
        content = b""
        if body is not None:
            content = _json.dumps(
                body, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode("utf-8")
            if b"content-type" not in names:
                headers.append((b"Content-Type", b"application/json"))
        if (body is not None or method in _BODY_METHODS) and b"content-length" not in names:
            headers.append((b"Content-Length", str(len(content)).encode()))
        extensions = kwargs.get("extensions")
        ext = dict(extensions) if extensions else {}
        ext.setdefault("timeout", self._lean_timeout)
        params = kwargs.get("params")
        target = (
            httpx.URL(self._lean_base + url, params=params)
            if params
            else httpx.URL(self._lean_base + url)
        )
        # Given its stream, httpx.Request adds no headers of its own: they are all above.
        request = httpx.Request(
            method, target, headers=headers, stream=httpx.ByteStream(content), extensions=ext
        )
        request.read()  # as httpx does for a body in memory: request.content is there to read
        return request

    def _took(self, response: httpx.Response, request: httpx.Request, start: float) -> None:
        response.request = request
        response.elapsed = timedelta(seconds=time.perf_counter() - start)
        if "set-cookie" in response.headers:
            self.cookies.extract_cookies(response)


def _raise_for(request: httpx.Request, exc: httpx.RequestError) -> None:
    # What httpx's client does: an error says which request it is about.
    exc.request = request


class LeanClient(_Lean, httpx.Client):
    """An ``httpx.Client`` whose plain relative-path requests go straight to its transport."""

    def __init__(self, *, transport: httpx.BaseTransport, **settings: Any) -> None:
        super().__init__(transport=transport, **settings)
        self._lean_transport = transport
        self._lean_setup()

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        request = self._lean_request(method, url, kwargs)
        if request is None:
            return super().request(method, url, **kwargs)
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        start = time.perf_counter()
        try:
            response = self._lean_transport.handle_request(request)
            try:
                response.read()  # a no-op behind the SDK's transport, which reads every answer
            except BaseException:
                response.close()
                raise
        except httpx.RequestError as exc:
            _raise_for(request, exc)
            raise
        self._took(response, request, start)
        return response


class AsyncLeanClient(_Lean, httpx.AsyncClient):
    """The async twin of `LeanClient`."""

    def __init__(self, *, transport: httpx.AsyncBaseTransport, **settings: Any) -> None:
        super().__init__(transport=transport, **settings)
        self._lean_transport = transport
        self._lean_setup()

    async def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        request = self._lean_request(method, url, kwargs)
        if request is None:
            return await super().request(method, url, **kwargs)
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        start = time.perf_counter()
        try:
            response = await self._lean_transport.handle_async_request(request)
            try:
                await response.aread()
            except BaseException:
                await response.aclose()
                raise
        except httpx.RequestError as exc:
            _raise_for(request, exc)
            raise
        self._took(response, request, start)
        return response
