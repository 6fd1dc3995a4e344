"""The CA bundle is loaded once per process, not once per client: every pool the SDK makes
for ``verify=True`` shares one TLS context, on each backend, and still honours
``SSL_CERT_FILE``; a context of your own is used as it is."""

from __future__ import annotations

import shutil
import ssl
from pathlib import Path
from typing import Any

import pytest

from xpander_sdk import Configuration, Tasks

from .servers import CannedServer

# Async calls run on each HTTP backend (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("http_backend")


@pytest.fixture
def ca_loads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The CA bundles loaded from now on (each ``load_verify_locations`` call's file: httpx
    0.28 loads a bundle through ``ssl.create_default_context(cafile=...)``, httpx 0.27 on a
    context it made itself; both end in this call)."""
    import aiohttp  # noqa: F401  (on its first import it makes a context of its own)

    loads: list[str | None] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(
        self: ssl.SSLContext, cafile: Any = None, capath: Any = None, cadata: Any = None
    ) -> None:
        loads.append(None if cafile is None else str(cafile))
        real(self, cafile, capath, cadata)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    return loads


async def test_every_client_shares_one_context_per_ca_bundle(
    tls_server: CannedServer,
    self_signed: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ca_loads: list[str | None],
) -> None:
    # A bundle at a path no other test used: verify=True trusts the test server through it.
    bundle = tmp_path / "ca.pem"
    shutil.copy(self_signed[0], bundle)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    for _ in range(3):
        config = Configuration(api_key="k", base_url=tls_server.base_url, max_retries=0)
        async with Tasks(configuration=config) as tasks:
            assert tasks.get("t1").id == "t1"
            assert (await tasks.aget("t1")).id == "t1"
    assert tls_server.requests == 6
    assert ca_loads == [str(bundle)]  # three sync pools and three async ones, one load


def test_a_context_of_your_own_is_used_as_it_is(
    tls_server: CannedServer, self_signed: tuple[Path, Path], ca_loads: list[str | None]
) -> None:
    trusted = ssl.create_default_context(cafile=str(self_signed[0]))
    ca_loads.clear()
    config = Configuration(api_key="k", base_url=tls_server.base_url, verify=trusted)
    with Tasks(configuration=config) as tasks:
        assert tasks.get("t1").id == "t1"
    assert ca_loads == []
