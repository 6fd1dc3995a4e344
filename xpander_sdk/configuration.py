"""Where the SDK connects and how patiently: `Configuration`.

Values not given are read from the environment, as the platform's published
SDK reads them:

- ``XPANDER_API_KEY``: the organization's API key (required);
- ``XPANDER_BASE_URL``: the API's base URL (``https://`` is added to a value
  without a scheme); ``IS_STG=true`` selects the staging platform instead of
  the default ``https://inbound.xpander.ai``;
- ``XPANDER_ORGANIZATION_ID``: the organization, needed in event-stream URLs;
- ``XPANDER_HTTP_BACKEND``: ``httpx`` (the default) or ``aiohttp`` for async calls;
- ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` and ``NO_PROXY``: the proxy
  of the SDK's own clients, as httpx and requests read them (``trust_env``).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from xpander_api_client.types import Model

from ._hooks import EventHooks, event_hooks
from ._validate import check_count, check_seconds
from .errors import ConfigurationError

DEFAULT_BASE_URL = "https://inbound.xpander.ai"
STAGING_BASE_URL = "https://inbound.stg.xpander.ai"
EVENTS_BASE_URL = "https://agent-controller.xpander.ai"
STAGING_EVENTS_BASE_URL = "https://agent-controller.stg.xpander.ai"

#: Short calls: connect within 5 s, each read within 60 s.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
#: What sends the async requests: httpx's own pool, or aiohttp's (the ``aiohttp`` extra).
HTTP_BACKENDS = ("httpx", "aiohttp")
#: Proxy URL schemes httpx can send through (``socks5`` needs ``httpx[socks]``).
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _default_base_url() -> str:
    if (_env("IS_STG") or "").strip().lower() in ("1", "true", "yes"):
        return STAGING_BASE_URL
    return DEFAULT_BASE_URL


def _normalize_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "https://" + url
    return url


def as_timeout(value: float | httpx.Timeout | None, name: str) -> httpx.Timeout:
    """``value`` as an ``httpx.Timeout`` (a number: seconds per read, connect at most 5 s;
    None: no limit); ValueError / TypeError naming ``name`` for anything else."""
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    check_seconds(value, name)
    return httpx.Timeout(float(value), connect=min(float(value), DEFAULT_TIMEOUT.connect or 5.0))


def _check_proxy(value: object) -> None:
    """A proxy URL httpx can use, or TypeError / ValueError naming ``proxy`` (never its text)."""
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"proxy must be a str, not {type(value).__name__}")
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in PROXY_SCHEMES or not url.host:
        # The URL may hold a password: the message says what is wrong, not what was given.
        raise ValueError(f"proxy must be a URL of scheme {', '.join(PROXY_SCHEMES)} with a host")


def _backend(value: object) -> str:
    """The HTTP backend asked for (else ``XPANDER_HTTP_BACKEND``), once it can be used."""
    name = "http_backend"
    if value is None:
        value, name = _env("XPANDER_HTTP_BACKEND") or "httpx", "XPANDER_HTTP_BACKEND"
    if not isinstance(value, str):
        raise TypeError(f"http_backend must be a str, not {type(value).__name__}")
    backend = value.strip().lower()
    if backend not in HTTP_BACKENDS:
        allowed = ", ".join(map(repr, HTTP_BACKENDS))
        raise ConfigurationError(f"{name} must be one of {allowed}, got {value!r}")
    # Looked up, not imported: aiohttp is imported when the first async client is made.
    if backend == "aiohttp" and importlib.util.find_spec("httpx_aiohttp") is None:
        raise ConfigurationError(
            f"{name}='aiohttp' needs the aiohttp extra: pip install 'xpander-sdk[aiohttp]'"
        )
    return backend


@dataclass(frozen=True, eq=False)
class Configuration(Model):
    """Connection settings for the Tasks API.

    Args:
        api_key: the organization's API key; defaults to ``XPANDER_API_KEY``.
        base_url: the API's base URL; defaults to ``XPANDER_BASE_URL``, else the
            hosted platform (its staging twin when ``IS_STG=true``).
        organization_id: defaults to ``XPANDER_ORGANIZATION_ID``.
        timeout: seconds (or an ``httpx.Timeout``) for each request; by default
            5 s to connect and 60 s for each read.
        max_retries: how many times a failed request is retried (connection
            errors, timeouts, 408, 429 and 5xx answers); 0 turns retries off.
        retry_timeout: the most time, in seconds, spent on one call with its
            retries and their waits.
        retry_base_delay: the first backoff wait, in seconds (each wait doubles,
            with jitter, up to ``retry_max_delay``; a ``Retry-After`` wins).
        retry_max_delay: the longest backoff wait, in seconds.
        stream_idle_timeout: an event stream that brings neither an event nor a
            heartbeat for this long counts as dropped, and is resumed.
        max_stream_reconnects: how many reconnects in a row, without an event
            between them, an event stream makes before it raises.
        verify: TLS certificate verification (``True``, a CA bundle path, or an
            ``ssl.SSLContext``); on by default. (An httpx client given to
            `Tasks` keeps its own ``verify``.)
        event_hooks: callables to call on ``"request"`` (each request sent),
            ``"response"`` (each answer), ``"retry"`` (a `RetryEvent`) and
            ``"resume"`` (an event stream's `ResumeEvent`), e.g.
            ``{"retry": [print]}``; see `xpander_sdk._hooks`. Unknown names
            raise ValueError, hooks that are not callable TypeError.
        max_connections: how many requests one client has in flight at once (per
            event loop for async calls); more wait their turn in a queue inside
            the SDK, with no pool timeout. Event streams are not counted: each
            followed stream holds a connection of its own on top of these.
        max_keepalive_connections: idle connections kept open for reuse (httpx
            backend; aiohttp keeps every idle one for ``keepalive_expiry``).
        http_backend: ``"httpx"`` (the default) or ``"aiohttp"``, which sends
            async calls through aiohttp's connection pool (faster, above all
            under concurrency; needs ``pip install 'xpander-sdk[aiohttp]'``);
            defaults to ``XPANDER_HTTP_BACKEND``. Sync calls always use httpx,
            and an httpx client given to `Tasks` wins over it.
        proxy: the URL of a proxy for every request of the SDK's own clients
            (``http://``, ``https://`` or, with ``httpx[socks]``, ``socks5://``;
            credentials may be in it: it is never shown). Without it, the
            environment's ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``,
            minus the hosts in ``NO_PROXY``, when ``trust_env``.
        trust_env: read the proxy from the environment (True, as httpx does).

    A missing API key raises `ConfigurationError` when a client is built from
    this configuration, before any request is sent.
    """

    api_key: str | None = None
    base_url: str | None = None
    organization_id: str | None = None
    timeout: float | httpx.Timeout | None = None
    max_retries: int = 3
    retry_timeout: float = 60.0
    retry_base_delay: float = 0.2
    retry_max_delay: float = 8.0
    stream_idle_timeout: float = 90.0
    max_stream_reconnects: int = 5
    verify: Any = True
    event_hooks: Mapping[str, Sequence[Callable[[Any], Any]]] | None = None
    max_connections: int = 100
    max_keepalive_connections: int = 100
    http_backend: str | None = None
    proxy: str | None = None
    trust_env: bool = True
    _timeout: httpx.Timeout = field(init=False, repr=False)
    _hooks: EventHooks = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: fill in defaults once, here
        api_key = self.api_key if self.api_key is not None else _env("XPANDER_API_KEY")
        if api_key is not None and not isinstance(api_key, str):
            raise TypeError(f"api_key must be a str, not {type(api_key).__name__}")
        set_(self, "api_key", api_key)
        base_url = self.base_url if self.base_url is not None else _env("XPANDER_BASE_URL")
        if base_url is not None and not isinstance(base_url, str):
            raise TypeError(f"base_url must be a str, not {type(base_url).__name__}")
        set_(self, "base_url", _normalize_base_url(base_url or _default_base_url()))
        org = self.organization_id
        if org is None:
            org = _env("XPANDER_ORGANIZATION_ID")
        if org is not None and not isinstance(org, str):
            raise TypeError(f"organization_id must be a str, not {type(org).__name__}")
        set_(self, "organization_id", org)
        set_(
            self,
            "_timeout",
            DEFAULT_TIMEOUT if self.timeout is None else as_timeout(self.timeout, "timeout"),
        )
        check_count(self.max_retries, "max_retries")
        check_seconds(self.retry_timeout, "retry_timeout")
        check_seconds(self.retry_base_delay, "retry_base_delay")
        check_seconds(self.retry_max_delay, "retry_max_delay")
        check_seconds(self.stream_idle_timeout, "stream_idle_timeout")
        check_count(self.max_stream_reconnects, "max_stream_reconnects")
        set_(self, "_hooks", event_hooks(self.event_hooks, [api_key or ""]))
        if check_count(self.max_connections, "max_connections") < 1:
            raise ValueError("max_connections must be 1 or more, got 0")
        check_count(self.max_keepalive_connections, "max_keepalive_connections")
        set_(self, "http_backend", _backend(self.http_backend))
        _check_proxy(self.proxy)
        if not isinstance(self.trust_env, bool):
            raise TypeError(f"trust_env must be a bool, not {type(self.trust_env).__name__}")

    def __repr__(self) -> str:
        # The API key never appears in a repr (nor in logs or errors).
        key = "'***'" if self.api_key else "None"
        return (
            f"Configuration(api_key={key}, base_url={self.base_url!r}, "
            f"organization_id={self.organization_id!r})"
        )

    @property
    def hooks(self) -> EventHooks:
        """The checked ``event_hooks``, as the transport runs them."""
        return self._hooks

    @property
    def http_timeout(self) -> httpx.Timeout:
        """The timeout of each request, as an ``httpx.Timeout``."""
        return self._timeout

    def require_api_key(self) -> str:
        """The API key; raises `ConfigurationError` naming XPANDER_API_KEY when there is none."""
        if not self.api_key:
            raise ConfigurationError(
                "No API key: pass Configuration(api_key=...) or set XPANDER_API_KEY"
            )
        return self.api_key

    def get_full_url(self) -> str:
        """The URL every API path is relative to.

        On an ``agent-controller`` host every path is prefixed with the
        organization id, as the platform expects.
        """
        base = str(self.base_url)
        if "agent-controller" in base and self.organization_id:
            return f"{base}/{self.organization_id}"
        return base

    @property
    def events_base_url(self) -> str:
        """The base URL of the event streams.

        The hosted platform serves them from ``agent-controller.xpander.ai``
        (``agent-controller.stg.xpander.ai`` for staging); anywhere else the
        base URL itself serves them.
        """
        base = str(self.base_url)
        if "inbound.stg.xpander" in base:
            return STAGING_EVENTS_BASE_URL
        if "inbound.xpander" in base:
            return EVENTS_BASE_URL
        return base

    def copy_with(self, **changes: Any) -> Configuration:
        """A copy of this configuration with the given fields changed."""
        return replace(self, **changes)
