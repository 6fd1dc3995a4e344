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
(the same bytes httpx would send: the JSON as the installed httpx encodes it,
which differs between 0.27 and 0.28), ``transport.handle_request``. The base
URL and the timeout are read per request, as httpx reads them: setting
``client.timeout`` (the generated ``with_timeout`` does) or ``client.base_url``
applies to the next call. Whatever else comes (a query string, form data,
per-request auth, cookies, a timeout or an absolute URL) goes through httpx
unchanged, as do ``send`` and ``stream`` (the event streams). The answer is
the same `httpx.Response`: its ``request`` and ``elapsed`` are set and a
``Set-Cookie`` still reaches the jar. The transport inside is the SDK's
`RetryTransport`, so retries, keys, logging and hooks are untouched; the one
difference a caller can see is that httpx's own ``HTTP Request: ...`` INFO
line is not logged for these calls (``XPANDER_LOG=info`` logs each of them,
with its request id).
"""

from __future__ import annotations

import functools
import json as _json
import math
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import httpx

#: The keyword arguments of ``Client.request`` the lean path handles; any other
#: one given a value sends the call through httpx's general path.
_LEAN = frozenset({"json", "params", "headers", "extensions"})
#: Methods httpx gives ``Content-Length: 0`` when they have no body.
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _compact(value: Any) -> bytes:
    return _json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _plain(value: Any) -> bytes:
    return _json.dumps(value).encode("utf-8")


#: The JSON encodings httpx has used (0.28's, 0.27's), and whether each lets NaN through.
_ENCODINGS = ((_compact, False), (_plain, True))


@functools.cache
def json_encoder() -> Callable[[Any], bytes] | None:
    """The installed httpx's encoding of a JSON body, or None when it is none of the known ones.

    Found by asking httpx once (when the first body is sent): how it encodes
    a sample with a non-ASCII character, and whether it refuses NaN. With an
    encoding this module does not know, bodies go through httpx's own path.
    """
    sample = {"a": ["é", 1.5]}
    made = httpx.Request("POST", "http://x/", json=sample).content
    try:
        lets_nan_through = bool(httpx.Request("POST", "http://x/", json=math.nan).content)
    except ValueError:
        lets_nan_through = False
    for encode, lets_nan in _ENCODINGS:
        if lets_nan is lets_nan_through and encode(sample) == made:
            return encode
    return None


class _Lean:
    """What the sync and async clients share: building the request."""

    base_url: httpx.URL
    headers: httpx.Headers
    timeout: httpx.Timeout
    cookies: httpx.Cookies

    def _lean_setup(self) -> None:
        self._lean_base: tuple[httpx.URL | None, str, tuple[bytes, bytes]] = (None, "", (b"", b""))
        self._lean_timeout: tuple[httpx.Timeout | None, dict[str, float | None]] = (None, {})

    def _lean_settings(self) -> tuple[str, tuple[bytes, bytes], dict[str, float | None]]:
        """The base URL's text, its ``Host`` header, and the timeout, read live.

        As httpx reads them per request; its setters make new objects, so each
        is derived again only after it has been set (``client.timeout = ...``,
        as the generated ``with_timeout`` does, or ``client.base_url = ...``).
        """
        base_url, timeout = self.base_url, self.timeout
        if self._lean_base[0] is not base_url:
            # Joined as text and parsed once per request, where httpx parses the
            # path, then the base URL with the path merged in.
            self._lean_base = (base_url, str(base_url).rstrip("/"), (b"Host", base_url.netloc))
        if self._lean_timeout[0] is not timeout:
            self._lean_timeout = (timeout, timeout.as_dict())
        return self._lean_base[1], self._lean_base[2], self._lean_timeout[1]

    def _lean_request(
        self, method: str, url: Any, kwargs: Mapping[str, Any]
    ) -> httpx.Request | None:
        """The request for a call of the lean shape, or None for httpx's general path.

        The same request ``build_request`` makes (a test holds the two
        together): the client's headers with the call's over them, ``Host``,
        and for a body its JSON as the installed httpx encodes it, with its
        length and type.
        """
        if not isinstance(url, str) or url[:1] != "/" or self.cookies:
            return None
        if not all(value is None or key in _LEAN for key, value in kwargs.items()):
            return None
        body = kwargs.get("json")
        encode = None if body is None else json_encoder()
        if body is not None and encode is None:
            return None
        base, host, timeout = self._lean_settings()
        method = method.upper()
        headers = [host, *self.headers.raw]
        given = kwargs.get("headers")
        names: set[bytes] = set()
        if given:
            extra = httpx.Headers(given).raw
            names = {key.lower() for key, _ in extra}
            headers = [h for h in headers if h[0].lower() not in names]
            headers += extra
        content = b""
        if encode is not None:
            content = encode(body)
            if b"content-type" not in names:
                headers.append((b"Content-Type", b"application/json"))
        if (body is not None or method in _BODY_METHODS) and b"content-length" not in names:
            headers.append((b"Content-Length", str(len(content)).encode()))
        extensions = kwargs.get("extensions")
        ext = dict(extensions) if extensions else {}
        ext.setdefault("timeout", timeout)
        params = kwargs.get("params")
        target = httpx.URL(base + url, params=params) if params else httpx.URL(base + url)
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
