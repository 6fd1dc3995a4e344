"""`Configuration`: where the SDK connects, read from arguments or the environment.

The environment variables are the published SDK's: ``XPANDER_API_KEY``,
``XPANDER_BASE_URL``, ``XPANDER_ORGANIZATION_ID`` and ``IS_STG``.
"""

from __future__ import annotations

import logging
import math
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from xpander_sdk import (
    APIConnectionError,
    ConfigurationError,
    ModuleException,
    Task,
    Tasks,
)
from xpander_sdk.configuration import Configuration

from .servers import TASK_JSON, Answer, CannedServer

ENV_NAMES = ("XPANDER_API_KEY", "XPANDER_BASE_URL", "XPANDER_ORGANIZATION_ID", "IS_STG")
KEY = "sk-config-4f1c9e2b7a"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from an environment without any XPANDER_* setting."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def server() -> Iterator[CannedServer]:
    with CannedServer(Answer.json(TASK_JSON)) as canned:
        yield canned


# -- the environment -------------------------------------------------------------


def test_reads_every_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XPANDER_API_KEY", KEY)
    monkeypatch.setenv("XPANDER_BASE_URL", "https://api.example.com")
    monkeypatch.setenv("XPANDER_ORGANIZATION_ID", "org-42")

    config = Configuration()

    assert config.api_key == KEY
    assert config.base_url == "https://api.example.com"
    assert config.organization_id == "org-42"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XPANDER_API_KEY", "from-env")
    monkeypatch.setenv("XPANDER_BASE_URL", "https://env.example.com")
    monkeypatch.setenv("XPANDER_ORGANIZATION_ID", "env-org")

    config = Configuration(api_key=KEY, base_url="https://arg.example.com", organization_id="o")

    assert (config.api_key, config.base_url, config.organization_id) == (
        KEY,
        "https://arg.example.com",
        "o",
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("api.example.com", "https://api.example.com"),
        ("api.example.com:8443/", "https://api.example.com:8443"),
        ("https://api.example.com/", "https://api.example.com"),
        ("http://127.0.0.1:9016", "http://127.0.0.1:9016"),
        ("  inbound.xpander.ai  ", "https://inbound.xpander.ai"),
    ],
)
def test_a_base_url_without_a_scheme_gets_https(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("XPANDER_BASE_URL", given)
    assert Configuration().base_url == expected
    assert Configuration(base_url=given).base_url == expected


def test_the_default_is_the_hosted_platform() -> None:
    config = Configuration(api_key=KEY)
    assert config.base_url == "https://inbound.xpander.ai"
    assert config.organization_id is None


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "1"])
def test_is_stg_selects_staging(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("IS_STG", value)
    assert Configuration().base_url == "https://inbound.stg.xpander.ai"


@pytest.mark.parametrize("value", ["false", "0", ""])
def test_is_stg_off_keeps_production(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("IS_STG", value)
    assert Configuration().base_url == "https://inbound.xpander.ai"


def test_an_explicit_base_url_wins_over_is_stg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IS_STG", "true")
    monkeypatch.setenv("XPANDER_BASE_URL", "https://mine.example.com")
    assert Configuration().base_url == "https://mine.example.com"


def test_an_empty_environment_value_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XPANDER_API_KEY", "")
    monkeypatch.setenv("XPANDER_BASE_URL", "")
    monkeypatch.setenv("XPANDER_ORGANIZATION_ID", "")
    config = Configuration()
    assert config.api_key is None
    assert config.base_url == "https://inbound.xpander.ai"
    assert config.organization_id is None


# -- URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "events_base_url"),
    [
        ("https://inbound.xpander.ai", "https://agent-controller.xpander.ai"),
        ("inbound.xpander.ai", "https://agent-controller.xpander.ai"),
        ("https://inbound.stg.xpander.ai", "https://agent-controller.stg.xpander.ai"),
        ("http://127.0.0.1:9016", "http://127.0.0.1:9016"),
        ("https://tasks.example.com", "https://tasks.example.com"),
    ],
)
def test_events_base_url(base_url: str, events_base_url: str) -> None:
    assert Configuration(api_key=KEY, base_url=base_url).events_base_url == events_base_url


def test_staging_flag_gives_staging_events_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IS_STG", "true")
    assert Configuration().events_base_url == "https://agent-controller.stg.xpander.ai"


def test_an_agent_controller_base_prefixes_paths_with_the_organization() -> None:
    config = Configuration(
        api_key=KEY, base_url="https://agent-controller.xpander.ai", organization_id="org-7"
    )
    assert config.get_full_url() == "https://agent-controller.xpander.ai/org-7"


@pytest.mark.parametrize(
    ("base_url", "organization_id"),
    [
        ("https://inbound.xpander.ai", "org-7"),
        ("http://127.0.0.1:9016", "org-7"),
        ("https://agent-controller.xpander.ai", None),
    ],
)
def test_other_bases_are_used_as_they_are(base_url: str, organization_id: str | None) -> None:
    config = Configuration(api_key=KEY, base_url=base_url, organization_id=organization_id)
    assert config.get_full_url() == base_url


# -- the API key -----------------------------------------------------------------


def test_a_missing_api_key_raises_before_any_request(server: CannedServer) -> None:
    config = Configuration(base_url=server.base_url)
    assert config.api_key is None

    with pytest.raises(ConfigurationError, match="XPANDER_API_KEY") as caught:
        Tasks(configuration=config)

    assert isinstance(caught.value, ModuleException)
    assert isinstance(caught.value, ValueError)
    assert server.requests == 0


def test_a_missing_api_key_raises_from_the_environment_defaults(
    monkeypatch: pytest.MonkeyPatch, server: CannedServer
) -> None:
    monkeypatch.setenv("XPANDER_BASE_URL", server.base_url)
    with pytest.raises(ConfigurationError, match="XPANDER_API_KEY"):
        Tasks()
    with pytest.raises(ConfigurationError, match="XPANDER_API_KEY"):
        Task.load("t1")
    assert server.requests == 0


async def test_a_missing_api_key_raises_in_async_code_too(
    monkeypatch: pytest.MonkeyPatch, server: CannedServer
) -> None:
    monkeypatch.setenv("XPANDER_BASE_URL", server.base_url)
    with pytest.raises(ConfigurationError, match="XPANDER_API_KEY"):
        await Task.aload("t1")
    assert server.requests == 0


def test_the_key_from_the_environment_is_sent(
    monkeypatch: pytest.MonkeyPatch, server: CannedServer
) -> None:
    monkeypatch.setenv("XPANDER_API_KEY", KEY)
    monkeypatch.setenv("XPANDER_BASE_URL", server.base_url)
    with Tasks() as tasks:
        task = tasks.get("t1")
    assert task.id == "t1"
    assert server.seen[-1].headers["x-api-key"] == KEY
    assert server.seen[-1].path == "/agent-execution/t1/status"


def test_repr_hides_the_api_key() -> None:
    config = Configuration(api_key=KEY, base_url="https://api.example.com", organization_id="o")
    for text in (repr(config), str(config), f"{config}", repr(Tasks(configuration=config))):
        assert KEY not in text
        assert "***" in text
        assert "https://api.example.com" in text
    assert "api_key=None" in repr(Configuration())


def test_copy_with_changes_one_field_and_keeps_the_key() -> None:
    config = Configuration(api_key=KEY, base_url="https://api.example.com")
    other = config.copy_with(max_retries=0)
    assert other.max_retries == 0
    assert other.api_key == KEY
    assert other.base_url == "https://api.example.com"
    assert config.max_retries == 3


# -- numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["timeout", "max_retries", "retry_timeout", "stream_idle_timeout", "max_stream_reconnects"],
)
def test_a_negative_setting_raises_value_error_naming_it(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Configuration(api_key=KEY, **{name: -1})


@pytest.mark.parametrize("value", [math.nan, math.inf, 1e10])
@pytest.mark.parametrize("name", ["timeout", "retry_timeout", "stream_idle_timeout"])
def test_a_nan_or_endless_duration_raises_value_error_naming_it(name: str, value: float) -> None:
    # More than 1e9 s overflows a socket timeout; None (timeout only) waits without limit.
    with pytest.raises(ValueError, match=name):
        Configuration(api_key=KEY, **{name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timeout", "5"),
        ("timeout", True),
        ("max_retries", 1.5),
        ("max_retries", "3"),
        ("max_retries", None),
        ("retry_timeout", "60"),
        ("stream_idle_timeout", []),
        ("max_stream_reconnects", 2.0),
        ("api_key", 123),
        ("base_url", b"https://api.example.com"),
        ("organization_id", 7),
    ],
)
def test_a_setting_of_the_wrong_type_raises_type_error_naming_it(name: str, value: Any) -> None:
    settings: dict[str, Any] = {"api_key": KEY, name: value}
    with pytest.raises(TypeError, match=name):
        Configuration(**settings)


def test_timeouts() -> None:
    assert Configuration(api_key=KEY).http_timeout == httpx.Timeout(60.0, connect=5.0)
    assert Configuration(api_key=KEY, timeout=2).http_timeout.read == 2.0
    assert Configuration(api_key=KEY, timeout=2).http_timeout.connect == 2.0
    custom = httpx.Timeout(3.0)
    assert Configuration(api_key=KEY, timeout=custom).http_timeout is custom
    assert Configuration(api_key=KEY, max_retries=0).max_retries == 0


def test_a_negative_per_call_timeout_raises_before_any_request(server: CannedServer) -> None:
    with Tasks(Configuration(api_key=KEY, base_url=server.base_url)) as tasks:
        with pytest.raises(ValueError, match="timeout"):
            tasks.get("t1", timeout=-1)
        with pytest.raises(ValueError, match="max_retries"):
            tasks.get("t1", max_retries=-1)
    assert server.requests == 0


# -- transport safety ------------------------------------------------------------


def test_plain_http_to_another_host_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    config = Configuration(api_key=KEY, base_url="http://example.invalid")

    Tasks(configuration=config).close()

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].name.startswith("xpander_sdk")
    assert "example.invalid" in warnings[0].getMessage()
    assert "HTTP" in warnings[0].getMessage()
    assert all(KEY not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:9016",
        "http://localhost:9016",
        "http://[::1]:9016",
        "http://127.8.9.10",
        "https://example.invalid",
    ],
)
def test_loopback_or_https_logs_no_warning(caplog: pytest.LogCaptureFixture, base_url: str) -> None:
    caplog.set_level(logging.DEBUG)
    Tasks(configuration=Configuration(api_key=KEY, base_url=base_url)).close()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_tls_verification_is_on_by_default() -> None:
    assert Configuration(api_key=KEY).verify is True


def test_an_untrusted_certificate_is_refused_by_default(tls_server: CannedServer) -> None:
    config = Configuration(api_key=KEY, base_url=tls_server.base_url, max_retries=0)
    with Tasks(configuration=config) as tasks, pytest.raises(APIConnectionError) as caught:
        tasks.get("t1")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert tls_server.requests == 0  # the request never left the client


async def test_an_untrusted_certificate_is_refused_by_default_async(
    tls_server: CannedServer,
) -> None:
    config = Configuration(api_key=KEY, base_url=tls_server.base_url, max_retries=0)
    async with Tasks(configuration=config) as tasks:
        with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            await tasks.aget("t1")
    assert tls_server.requests == 0


def test_a_trusted_ca_bundle_is_accepted(
    tls_server: CannedServer, self_signed: tuple[Path, Path]
) -> None:
    cert, _ = self_signed
    trusted = ssl.create_default_context(cafile=str(cert))
    config = Configuration(api_key=KEY, base_url=tls_server.base_url, verify=trusted)
    with Tasks(configuration=config) as tasks:
        assert tasks.get("t1").id == "t1"
    assert tls_server.requests == 1
