"""One pooled HTTP client per `Tasks`, and the calls that go through it.

`ApiClient` owns an ``httpx.Client`` and (per event loop) an
``httpx.AsyncClient``, each behind the retrying transport, wrapped in the
generated ``AuthenticatedClient`` that the generated endpoint functions take.
Inside the retrying transport is httpx's own, or one that sends through an
httpx client the caller gave (`_user_client`).
`call` / `acall` run one generated ``sync_detailed`` / ``asyncio_detailed``
function with the call's `CallState` in the request's extensions, and turn a
missing or unreadable answer into the SDK's errors; `Answer.expect` checks
the answer. Both twins share everything but the call itself.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import typing
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, NamedTuple, TypeVar

import httpx
from xpander_api_client import AuthenticatedClient
from xpander_api_client.errors import UnreadableResponse
from xpander_api_client.types import Response

from ._answers import expect, expect_list, status_error, transport_error, unreadable
from ._lean import AsyncLeanClient, LeanClient
from ._logging import request_id
from ._pools import async_pool, sync_pool
from ._queue import QueueTransport
from ._user_client import AsyncClientTransport, ClientTransport, check_clients
from ._validate import check_count
from ._version import __version__
from .configuration import Configuration, as_timeout
from .transport import AsyncRetryTransport, CallOptions, CallState, RetryTransport

logger = logging.getLogger("xpander_sdk")

T = TypeVar("T")
_USER_AGENT = f"xpander-sdk-tasks/{__version__}"


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Answer(NamedTuple):
    """A generated call's answer, and the httpx answer it was read from."""

    response: Response[Any]
    http: httpx.Response | None

    def expect(self, kind: type[T]) -> T:
        """The parsed answer when it is a ``kind``; else the matching SDK error."""
        return expect(self.response, kind, self.http)

    def expect_success(self) -> None:
        """Nothing when the status is 2xx (whatever the body); else the matching SDK error."""
        response = self.response
        if not 200 <= int(response.status_code) < 300:
            raise status_error(
                int(response.status_code), response.content, response.headers, self.http
            )

    def expect_list(self, item: type[T]) -> list[T]:
        """The parsed answer when it is an array of ``item``; else the matching SDK error."""
        return expect_list(self.response, item, self.http)

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (its ``x-request-id`` answer header), if it gave one."""
        return request_id(self.response.headers)


@functools.cache
def _expected(fn: Callable[..., Any]) -> str:
    """What a generated operation answers with, from its return annotation."""
    try:
        answer = typing.get_type_hints(fn).get("return")
    except (NameError, TypeError):  # an annotation that cannot be resolved: say nothing
        return ""
    kinds = [k for k in typing.get_args(typing.get_args(answer)[0] if answer else ())]
    kinds = kinds or list(typing.get_args(answer))
    for kind in kinds:
        if typing.get_origin(kind) is list:
            return f"an array of {typing.get_args(kind)[0].__name__}"
        if isinstance(kind, type) and kind.__name__ != "Error":
            return f"a {kind.__name__} (JSON object)"
    return ""


class ApiClient:
    """The connections and call plumbing shared by a `Tasks` and every `Task` it returns."""

    def __init__(
        self,
        configuration: Configuration,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        check_clients(http_client, async_http_client)
        self.configuration = configuration
        api_key = configuration.require_api_key()
        self._headers = {"x-api-key": api_key, "user-agent": _USER_AGENT}
        self.base_url = configuration.get_full_url()
        self.options = CallOptions(
            max_retries=configuration.max_retries,
            retry_timeout=configuration.retry_timeout,
            base_delay=configuration.retry_base_delay,
            max_delay=configuration.retry_max_delay,
            hooks=configuration.hooks,
        )
        # The caller's clients, as inner transports (the caller closes them, never we).
        self._given = None if http_client is None else ClientTransport(http_client)
        self._given_async = (
            None if async_http_client is None else AsyncClientTransport(async_http_client)
        )
        url = httpx.URL(self.base_url)
        if url.scheme == "http" and not _is_loopback(url.host):
            logger.warning(
                "sending the API key over plain HTTP to %s; use https:// off this machine",
                url.host,
            )
        self._sync: AuthenticatedClient | None = None
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AuthenticatedClient] = (
            weakref.WeakKeyDictionary()
        )
        self.closed = False

    # -- clients -----------------------------------------------------------

    def _generated(self) -> AuthenticatedClient:
        return AuthenticatedClient(
            base_url=self.base_url, token="", prefix="", auth_header_name="x-api-key"
        )

    def _http_settings(self) -> dict[str, Any]:
        """What the sync and async httpx clients share (all but the transport)."""
        self._check_open()
        return {
            "base_url": self.base_url,
            "headers": self._headers,
            "timeout": self.configuration.http_timeout,
        }

    def sync_client(self) -> AuthenticatedClient:
        """The generated client over this SDK's pooled ``httpx.Client``."""
        if self._sync is None:
            settings = self._http_settings()
            inner: httpx.BaseTransport = self._given or sync_pool(self.configuration)
            http = LeanClient(transport=RetryTransport(inner, self.options), **settings)
            self._sync = self._generated().set_httpx_client(http)
        return self._sync

    def async_client(self) -> AuthenticatedClient:
        """The generated client over a pooled ``httpx.AsyncClient`` for the running loop.

        Connections belong to the event loop that opened them, so each loop
        (for example each ``asyncio.run``) gets its own pool.
        """
        loop = asyncio.get_running_loop()
        client = self._async.get(loop)
        if client is None:
            settings = self._http_settings()
            inner: httpx.AsyncBaseTransport
            if self._given_async is not None:
                # A client you gave wins over http_backend; the SDK's queue still keeps
                # fan-out within max_connections, so its pool never stalls either.
                inner = QueueTransport(self._given_async, self.configuration.max_connections)
            else:
                inner = async_pool(self.configuration)
            transport = AsyncRetryTransport(inner, self.options)
            http = AsyncLeanClient(transport=transport, **settings)
            client = self._async[loop] = self._generated().set_async_httpx_client(http)
        return client

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError("this Tasks client is closed")

    def close(self) -> None:
        """Close the sync connections (async ones close with `aclose`)."""
        if self._sync is not None:
            self._sync.get_httpx_client().close()
            self._sync = None
        self.closed = True

    async def aclose(self) -> None:
        """Close every connection this client opened."""
        try:
            loop = asyncio.get_running_loop()
            client = self._async.pop(loop, None)
            if client is not None:
                await client.get_async_httpx_client().aclose()
        finally:
            self.close()

    # -- calls -------------------------------------------------------------

    def options_for(
        self, max_retries: int | None, timeout: float | httpx.Timeout | None
    ) -> CallOptions:
        """The call options with the per-call overrides applied."""
        if max_retries is None and timeout is None:
            return self.options
        if max_retries is not None:
            check_count(max_retries, "max_retries")
        return replace(
            self.options,
            max_retries=self.options.max_retries if max_retries is None else max_retries,
            timeout=None if timeout is None else as_timeout(timeout, "timeout"),
        )

    def call(
        self, fn: Callable[..., Response[Any]], *args: Any, options: CallOptions, **kwargs: Any
    ) -> Answer:
        """Run a generated ``sync_detailed`` function with these options."""
        state = CallState(options)
        try:
            response = fn(*args, client=self.sync_client(), extensions=state.extensions(), **kwargs)
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        except UnreadableResponse as exc:
            raise unreadable(exc, _expected(fn)) from exc
        return Answer(response, state.response)

    async def acall(
        self,
        fn: Callable[..., Awaitable[Response[Any]]],
        *args: Any,
        options: CallOptions,
        **kwargs: Any,
    ) -> Answer:
        """Run a generated ``asyncio_detailed`` function with these options."""
        state = CallState(options)
        try:
            response = await fn(
                *args, client=self.async_client(), extensions=state.extensions(), **kwargs
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        except UnreadableResponse as exc:
            raise unreadable(exc, _expected(fn)) from exc
        return Answer(response, state.response)
