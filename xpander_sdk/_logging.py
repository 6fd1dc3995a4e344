"""What the SDK logs about each request, and the ``XPANDER_LOG`` switch.

Everything goes to the ``xpander_sdk`` logger:

- DEBUG: every attempt of every request: method, URL path, status (or the
  error), attempt number, duration and the server's request id;
- INFO: each retry and each event-stream resume (why, and the wait), and the
  attempt line of every request that fails for good (an error status handed
  back, or a connection error no retry cured);
- WARNING: the API key sent over plain HTTP off this machine, a hook that raised.

Headers and bodies are never logged, so neither is the API key or any secret
field. ``XPANDER_LOG=debug`` (or ``info``) in the environment makes that
logger write to stderr at that level with no code, as ``OPENAI_LOG`` does;
`configure_from_env` does it when ``xpander_sdk`` is imported.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Mapping

import httpx

logger = logging.getLogger("xpander_sdk")

#: The answer header that names a request in the platform's logs.
REQUEST_ID_HEADER = "x-request-id"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "[%(asctime)s %(name)s %(levelname)s] %(message)s"


def request_id(headers: Mapping[str, str] | None) -> str | None:
    """The server's id of the request an answer with these headers answers, if it gave one."""
    if headers is None:
        return None
    return headers.get(REQUEST_ID_HEADER) or None


def configure_from_env() -> None:
    """Apply ``XPANDER_LOG`` (``debug`` or ``info``): the SDK's logger writes to stderr.

    Idempotent: a handler is added only when the logger has none, so a
    program's own logging setup is left alone (only the level is set).
    Any other value is ignored, with a warning.
    """
    value = os.environ.get("XPANDER_LOG", "").strip().lower()
    if not value:
        return
    level = _LEVELS.get(value)
    if level is None:
        logger.warning("XPANDER_LOG=%r ignored: use 'debug' or 'info'", value[:20])
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)


def _id_part(response: httpx.Response | None) -> str:
    rid = request_id(response.headers) if response is not None else None
    return f", request id {rid}" if rid else ""


def log_attempt(
    request: httpx.Request,
    attempt: int,
    began: float,
    response: httpx.Response | None,
    exc: Exception | None = None,
    *,
    final: bool,
) -> None:
    """One attempt's line: DEBUG, or INFO when it is the call's failing last word."""
    failed = response is None or response.status_code >= 400
    level = logging.INFO if final and failed else logging.DEBUG
    if not logger.isEnabledFor(level):
        return
    outcome = str(response.status_code) if response is not None else type(exc).__name__
    logger.log(
        level,
        "%s %s -> %s (attempt %d, %.1f ms%s)",
        request.method,
        request.url.path,
        outcome,
        attempt,
        (time.monotonic() - began) * 1000,
        _id_part(response),
    )


def log_retry(
    request: httpx.Request,
    reason: str,
    attempt: int,
    delay: float,
    response: httpx.Response | None,
) -> None:
    """The INFO line of a retry about to wait ``delay`` seconds."""
    logger.info(
        "retrying %s %s after %s (attempt %d, waiting %.2fs%s)",
        request.method,
        request.url.path,
        reason,
        attempt,
        delay,
        _id_part(response),
    )
