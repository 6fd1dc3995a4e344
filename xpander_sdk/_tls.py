"""The TLS context of the SDK's connection pools: one per process for ``verify=True``.

Loading the CA bundle is most of what a new client costs (about 30 ms of CPU per context,
and a `Tasks` makes two: its sync pool and its async one), so a short-lived `Tasks` paid it
on every first call. An `ssl.SSLContext` is safe to share between threads and connections
(httpx's advice is one context for many clients). The shared one is made as httpx makes its
own (certifi's bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set), once per value of
those two variables.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    import ssl


def ssl_context(verify: Any) -> ssl.SSLContext:
    """The context a pool gets for ``verify``: for ``True`` the process's shared one, else
    httpx's for that value (``False``, a CA bundle path, or your own context, kept as it is)."""
    if verify is True:
        return _verifying(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    return httpx.create_ssl_context(verify=verify)


@functools.lru_cache(maxsize=4)
def _verifying(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # The arguments are only the cache key: httpx reads those variables itself.
    return httpx.create_ssl_context(verify=True)
