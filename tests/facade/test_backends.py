"""The async HTTP backends (httpx, aiohttp), and the queue that keeps fan-out off the pool."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

from xpander_sdk import Configuration, ConfigurationError, Tasks
from xpander_sdk._aiohttp import AiohttpBackend
from xpander_sdk._pools import ShardedPool

from .servers import TASK_JSON, Answer, CannedServer

pytestmark = pytest.mark.usefixtures("http_backend")


def test_import_loads_aiohttp_only_once_an_async_call_is_made_with_it(emulator: Any) -> None:
    script = """
import asyncio, sys
import xpander_sdk
loaded = ["aiohttp" in sys.modules]
config = xpander_sdk.Configuration(
    api_key=sys.argv[1], base_url=sys.argv[2], http_backend="aiohttp"
)
tasks = xpander_sdk.Tasks(config)
task = tasks.create(agent_id="agent-import", prompt="p")
loaded.append("aiohttp" in sys.modules)  # sync calls go through httpx

async def main():
    async with xpander_sdk.Tasks(config) as atasks:
        await atasks.aget(task.id)

asyncio.run(main())
loaded.append("aiohttp" in sys.modules)
print(loaded)
"""
    env = {k: v for k, v in os.environ.items() if k != "XPANDER_HTTP_BACKEND"}
    done = subprocess.run(
        [sys.executable, "-c", script, emulator.api_key, emulator.base_url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=True,
    )
    assert done.stdout.strip() == "[False, False, True]"


def test_aiohttp_without_its_extra_is_a_configuration_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "httpx_aiohttp", None)  # as if not installed
    with pytest.raises(ConfigurationError, match=r"pip install 'xpander-sdk\[aiohttp\]'"):
        Configuration(api_key="k", http_backend="aiohttp")
    monkeypatch.setenv("XPANDER_HTTP_BACKEND", "aiohttp")
    with pytest.raises(ConfigurationError, match="XPANDER_HTTP_BACKEND"):
        Configuration(api_key="k")


def test_backend_and_pool_settings_are_checked_naming_the_argument(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigurationError, match="http_backend must be one of"):
        Configuration(api_key="k", http_backend="requests")
    with pytest.raises(TypeError, match="http_backend"):
        Configuration(api_key="k", http_backend=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_connections"):
        Configuration(api_key="k", max_connections=0)
    with pytest.raises(TypeError, match="max_keepalive_connections"):
        Configuration(api_key="k", max_keepalive_connections=1.5)  # type: ignore[arg-type]
    monkeypatch.setenv("XPANDER_HTTP_BACKEND", " AIOHTTP ")
    assert Configuration(api_key="k").http_backend == "aiohttp"
    monkeypatch.delenv("XPANDER_HTTP_BACKEND")
    assert Configuration(api_key="k").http_backend == "httpx"


async def test_the_configured_backend_is_what_sends(emulator: Any, http_backend: str) -> None:
    config = Configuration(
        api_key=emulator.api_key, base_url=emulator.base_url, http_backend=http_backend
    )
    async with Tasks(config) as tasks:
        created = await tasks.acreate(agent_id="agent-backend", prompt="p")
        assert (await tasks.aget(created.id)).id == created.id
        # retrying transport -> queue -> the backend's pool
        retrying = (await tasks._api.async_http())._transport
        pool = retrying._inner._inner  # type: ignore[attr-defined]
    expected = AiohttpBackend if http_backend == "aiohttp" else ShardedPool
    assert type(pool) is expected


async def test_a_thousand_concurrent_gets_complete_with_a_tiny_pool_timeout(
    emulator: Any, configuration: Configuration
) -> None:
    # With httpx's pool alone, 1,000 requests waiting for 100 connections and
    # a 50 ms pool timeout fail with PoolTimeout; the SDK's queue keeps them
    # off the pool until a connection is free.
    config = configuration.copy_with(timeout=httpx.Timeout(30.0, pool=0.05), max_retries=0)
    async with Tasks(config) as tasks:
        task = await tasks.acreate(agent_id="agent-fanout", prompt="p")
        got = await asyncio.gather(*(tasks.aget(task.id) for _ in range(1000)))
    assert {t.id for t in got} == {task.id}
    assert len(got) == 1000


async def test_requests_in_flight_never_exceed_max_connections() -> None:
    # Each answer waits 0.1 s, long enough for a busy machine to have all five
    # places filled at once (0.02 s was not, under load).
    answer = Answer(body=json.dumps(TASK_JSON).encode(), delay=0.1)
    with CannedServer(answer) as server:
        config = Configuration(api_key="k", base_url=server.base_url, max_connections=5)
        async with Tasks(config) as tasks:
            got = await asyncio.gather(*(tasks.aget("t1") for _ in range(30)))
        assert [t.id for t in got] == ["t1"] * 30
        assert server.requests == 30
        assert server.most_in_flight == 5  # the queue let exactly its size through at once
