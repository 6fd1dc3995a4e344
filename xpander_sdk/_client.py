"""One pooled HTTP client per `Tasks`, and the error mapping of every call.

`ApiClient` owns an ``httpx.Client`` and (per event loop) an
``httpx.AsyncClient``, each behind the retrying transport, wrapped in the
generated ``AuthenticatedClient`` that the generated endpoint functions take.
`call` / `acall` run one generated ``sync_detailed`` / ``asyncio_detailed``
function and turn what can go wrong into the SDK's errors; `expect` checks the
answer. Both twins share everything but the call itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

import httpx
from xpander_api_client import AuthenticatedClient
from xpander_api_client.types import Response

from ._validate import check_count
from .configuration import Configuration, as_timeout
from .errors import (
    APIConnectionError,
    APITimeoutError,
    MalformedResponseError,
    ModuleException,
    RateLimitError,
    error_for_status,
)
from .transport import (
    AsyncRetryTransport,
    CallOptions,
    RetryTransport,
    current_options,
    last_response,
    parse_retry_after,
)

logger = logging.getLogger("xpander_sdk")

T = TypeVar("T")
_USER_AGENT = "xpander-sdk-tasks/0.1.0"
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=30)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ApiClient:
    """The connections and call plumbing shared by a `Tasks` and every `Task` it returns."""

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        api_key = configuration.require_api_key()
        self._headers = {"x-api-key": api_key, "user-agent": _USER_AGENT}
        self.base_url = configuration.get_full_url()
        self.options = CallOptions(
            max_retries=configuration.max_retries,
            retry_timeout=configuration.retry_timeout,
            base_delay=configuration.retry_base_delay,
            max_delay=configuration.retry_max_delay,
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
            inner = httpx.HTTPTransport(verify=self.configuration.verify, limits=_LIMITS)
            http = httpx.Client(transport=RetryTransport(inner), **settings)
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
            inner = httpx.AsyncHTTPTransport(verify=self.configuration.verify, limits=_LIMITS)
            http = httpx.AsyncClient(transport=AsyncRetryTransport(inner), **settings)
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
    ) -> Response[Any]:
        """Run a generated ``sync_detailed`` function with these options."""
        token = current_options.set(options)
        last_response.set(None)
        try:
            return fn(*args, client=self.sync_client(), **kwargs)
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise _unparsable(exc, _expected(fn)) from exc
        finally:
            current_options.reset(token)

    async def acall(
        self,
        fn: Callable[..., Awaitable[Response[Any]]],
        *args: Any,
        options: CallOptions,
        **kwargs: Any,
    ) -> Response[Any]:
        """Run a generated ``asyncio_detailed`` function with these options."""
        token = current_options.set(options)
        last_response.set(None)
        try:
            return await fn(*args, client=self.async_client(), **kwargs)
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise _unparsable(exc, _expected(fn)) from exc
        finally:
            current_options.reset(token)


def _where() -> tuple[str | None, str | None]:
    response = last_response.get()
    if response is None:
        return None, None
    request = response.request
    return request.method, str(request.url)


def _transport_error(exc: httpx.HTTPError) -> ModuleException:
    method: str | None = None
    url: str | None = None
    with contextlib.suppress(RuntimeError):  # raised before its request was built
        method, url = exc.request.method, str(exc.request.url)
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if kind is APITimeoutError else "failed"
    return kind(None, f"request {what}: {type(exc).__name__}: {exc}", method=method, url=url)


def _describe_parse_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"the body is not valid JSON ({exc.msg} at character {exc.pos})"
    if isinstance(exc, KeyError):
        return f"required field {exc.args[0]!r} is missing"
    return f"{type(exc).__name__}: {exc}"


#: What each generated operation answers with, for a malformed answer's message.
_EXPECTED = {
    "create_task": "a Task (JSON object)",
    "get_task": "a Task (JSON object)",
    "update_task": "a Task (JSON object)",
    "stop_task": "a Task (JSON object)",
    "report_external_task": "a Task (JSON object)",
    "list_agent_tasks": "an array of TasksListItem",
    "list_user_tasks": "an array of TasksListItem",
    "get_task_activity_log": "an ActivityThread",
}


def _expected(fn: Callable[..., Any]) -> str:
    return _EXPECTED.get(getattr(fn, "__module__", "").rpartition(".")[2], "")


def _unparsable(exc: Exception, expected: str = "") -> ModuleException:
    """The generated code could not read an answer: an error status, or a malformed answer."""
    response = last_response.get()
    if response is None:
        return MalformedResponseError(
            None, f"could not read the answer: {_describe_parse_error(exc)}"
        )
    if response.status_code >= 400:
        return status_error(response.status_code, response.content, response.headers)
    return malformed(
        response.status_code,
        response.content,
        response.headers,
        _describe_parse_error(exc),
        expected,
    )


def _parse_body(content: bytes) -> Any:
    """An answer's body: its JSON when it is JSON, else its text (None when empty)."""
    try:
        return json.loads(content) if content else None
    except ValueError:
        return content.decode("utf-8", "replace")


def malformed(
    status: int, content: bytes, headers: Mapping[str, str], why: str, expected: str = ""
) -> MalformedResponseError:
    """A `MalformedResponseError` that says what was expected and what came instead."""
    method, url = _where()
    kind = headers.get("content-type", "no content type")
    shape = "an empty body" if not content else f"{len(content)} bytes of {kind}"
    wanted = f"expected {expected}; " if expected else ""
    return MalformedResponseError(
        status,
        f"malformed answer: {wanted}{why} (got {shape})",
        body=_parse_body(content),
        method=method,
        url=url,
    )


def status_error(status: int, content: bytes, headers: Mapping[str, str]) -> ModuleException:
    """The SDK error for an error answer: its class by status, its body parsed."""
    method, url = _where()
    body = _parse_body(content)
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        description = body["detail"]
    elif isinstance(body, dict) and isinstance(body.get("message"), str):
        description = body["message"]
    elif isinstance(body, str) and body.strip():
        description = body.strip()[:300]
    else:
        description = f"HTTP {status}"
    error = error_for_status(status)(status, description, body=body, method=method, url=url)
    if isinstance(error, RateLimitError):
        error.retry_after = parse_retry_after(headers.get("retry-after"))
    return error


def expect(response: Response[Any], kind: type[T], what: str) -> T:
    """The parsed answer when it is a ``kind``; else the matching SDK error."""
    status = int(response.status_code)
    if 200 <= status < 300:
        if isinstance(response.parsed, kind):
            return response.parsed
        raise malformed(status, response.content, response.headers, "it could not be read", what)
    raise status_error(status, response.content, response.headers)


def expect_list(response: Response[Any], item: type[T], what: str) -> list[T]:
    """Like `expect`, for an answer that is an array of ``item``."""
    status = int(response.status_code)
    if 200 <= status < 300:
        parsed = response.parsed
        if isinstance(parsed, list) and all(isinstance(p, item) for p in parsed):
            return parsed
        raise malformed(status, response.content, response.headers, "it could not be read", what)
    raise status_error(status, response.content, response.headers)
