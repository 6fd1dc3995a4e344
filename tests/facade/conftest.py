"""Facade fixtures: `Configuration` and `Tasks` pointed at the emulator; a TLS server."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from xpander_sdk import Configuration, Tasks

from .servers import TASK_JSON, Answer, CannedServer


@pytest.fixture()
def configuration(emulator: Any) -> Configuration:
    """Where the emulator listens, as the SDK's configuration."""
    return Configuration(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        organization_id=emulator.organization_id,
    )


@pytest.fixture()
def tasks(configuration: Configuration) -> Iterator[Tasks]:
    with Tasks(configuration=configuration) as client:
        yield client


@pytest.fixture()
async def atasks(configuration: Configuration) -> AsyncIterator[Tasks]:
    async with Tasks(configuration=configuration) as client:
        yield client


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made by the openssl command)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture()
def tls_server(self_signed: tuple[Path, Path]) -> Iterator[CannedServer]:
    """A loopback HTTPS server with the self-signed certificate, answering `TASK_JSON`."""
    cert, key = self_signed
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with CannedServer(Answer.json(TASK_JSON), tls=context) as canned:
        yield canned
