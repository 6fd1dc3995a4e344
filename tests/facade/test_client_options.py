"""Your own httpx client: `Tasks(http_client=..., async_http_client=...)`, over real sockets.

Each request goes through the client given (its headers, httpx event hooks,
proxy, certificates), while the SDK's base URL, key, retries and hooks still
apply, and the SDK leaves the client as it was and open.
"""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Any

import httpx
import pytest

from xpander_sdk import (
    APIConnectionError,
    APIStatusError,
    Configuration,
    Tasks,
    TaskUpdateEventType,
)

from .control import faults
from .servers import TASK_JSON, Answer, CannedServer, ForwardProxy

KEY = "sk-client-options-key"


def test_sync_calls_go_through_the_given_client(configuration: Configuration) -> None:
    sent: list[httpx.Request] = []
    answered: list[int] = []
    client = httpx.Client(
        headers={"x-team": "billing"},
        event_hooks={
            "request": [sent.append],
            "response": [lambda r: answered.append(r.status_code)],
        },
    )
    with client, Tasks(configuration=configuration, http_client=client) as tasks:
        task = tasks.create(agent_id="agent-own", prompt="p")
        assert tasks.get(task.id).id == task.id
    # httpx's own hooks of the client saw both requests, with the SDK's URL, key and
    # the client's header on them; the client is untouched and still open.
    assert [r.method for r in sent] == ["POST", "GET"]
    assert all(str(r.url).startswith(configuration.base_url or "") for r in sent)
    assert all(r.headers["x-api-key"] == configuration.api_key for r in sent)
    assert all(r.headers["x-team"] == "billing" for r in sent)
    assert all(r.headers["user-agent"].startswith("xpander-sdk") for r in sent)
    assert answered == [200, 200]
    assert "x-api-key" not in client.headers and client.base_url == httpx.URL("")


def test_closing_tasks_leaves_the_given_clients_open(configuration: Configuration) -> None:
    client = httpx.Client()
    tasks = Tasks(configuration=configuration, http_client=client)
    task = tasks.create(agent_id="agent-own", prompt="p")
    tasks.close()
    assert not client.is_closed  # and it still works, for its owner
    url = f"{configuration.base_url}/agent-execution/{task.id}/status"
    assert (
        client.get(url, headers={"x-api-key": str(configuration.api_key)}).json()["id"] == task.id
    )
    client.close()


async def test_async_calls_go_through_the_given_async_client(
    configuration: Configuration,
) -> None:
    sent: list[str] = []

    async def on_request(request: httpx.Request) -> None:
        sent.append(f"{request.method} {request.headers['x-team']}")

    client = httpx.AsyncClient(headers={"x-team": "ops"}, event_hooks={"request": [on_request]})
    async with Tasks(configuration=configuration, async_http_client=client) as tasks:
        task = await tasks.acreate(agent_id="agent-own", prompt="p", events_streaming=True)
        events = [e async for e in task.aevents()]
    assert events[-1].type is TaskUpdateEventType.TaskFinished
    assert sent[:2] == ["POST ops", "GET ops"]  # the create, then the event stream
    assert not client.is_closed
    await client.aclose()


def test_the_given_client_s_header_reaches_the_server_and_the_sdk_key_wins() -> None:
    with CannedServer(Answer.json(TASK_JSON)) as server:
        client = httpx.Client(headers={"x-team": "billing", "x-api-key": "not-the-sdk-key"})
        config = Configuration(api_key=KEY, base_url=server.base_url)
        with client, Tasks(configuration=config, http_client=client) as tasks:
            tasks.get("t1")
        seen = server.seen[0]
    assert seen.headers["x-team"] == "billing"
    assert seen.headers["x-api-key"] == KEY


def test_retries_still_apply_through_the_given_client(
    emulator: Any, configuration: Configuration
) -> None:
    statuses: list[int] = []
    client = httpx.Client(event_hooks={"response": [lambda r: statuses.append(r.status_code)]})
    config = configuration.copy_with(retry_base_delay=0.01, retry_max_delay=0.05)
    with client, Tasks(configuration=config, http_client=client) as tasks:
        task = tasks.create(agent_id="agent-own", prompt="p")
        before = faults(emulator, "status")
        emulator.inject(kind="status", status=503, retry_after="0", count=1, method="GET")
        assert tasks.get(task.id).id == task.id
    assert faults(emulator, "status") - before == 1
    assert statuses == [200, 503, 200]  # the create, the failed get, its retry


def test_a_proxy_on_the_given_client_carries_every_request(
    emulator: Any, configuration: Configuration
) -> None:
    with ForwardProxy() as proxy, httpx.Client(proxy=proxy.url) as client:
        with Tasks(configuration=configuration, http_client=client) as tasks:
            task = tasks.create(agent_id="agent-proxy", prompt="p", events_streaming=True)
            events = list(task.events())
            assert tasks.get(task.id).id == task.id
        relayed = list(proxy.relayed)
    assert events[-1].type is TaskUpdateEventType.TaskFinished
    base = emulator.base_url
    assert relayed[0].startswith(f"POST {base}/")
    assert any(r.startswith(f"GET {base}/") and r.endswith("/events") for r in relayed)
    assert relayed[-1] == f"GET {base}/agent-execution/{task.id}/status"


async def test_a_proxy_on_the_given_async_client_carries_every_request(
    configuration: Configuration,
) -> None:
    with ForwardProxy() as proxy:
        async with (
            httpx.AsyncClient(proxy=proxy.url) as client,
            Tasks(configuration=configuration, async_http_client=client) as tasks,
        ):
            task = await tasks.acreate(agent_id="agent-proxy", prompt="p")
            await tasks.aget(task.id)
        assert [r.split()[0] for r in proxy.relayed] == ["POST", "GET"]


def test_a_custom_ca_on_the_given_client_is_trusted(
    tls_server: CannedServer, self_signed: tuple[Path, Path]
) -> None:
    cert, _ = self_signed
    config = Configuration(api_key=KEY, base_url=tls_server.base_url, max_retries=0)
    with Tasks(configuration=config) as tasks, pytest.raises(APIConnectionError):
        tasks.get("t1")  # the SDK's own client does not know the CA
    trusted = ssl.create_default_context(cafile=str(cert))
    with httpx.Client(verify=trusted) as client, Tasks(config, http_client=client) as tasks:
        assert tasks.get("t1").id == "t1"
    assert tls_server.requests == 1


@pytest.mark.parametrize(
    ("argument", "make", "message"),
    [
        ("http_client", lambda: "http://proxy", "http_client must be an httpx.Client, not str"),
        ("http_client", httpx.AsyncClient, "http_client must be an httpx.Client, not AsyncClient"),
        ("async_http_client", httpx.Client, "async_http_client must be an httpx.AsyncClient"),
    ],
)
def test_a_client_of_the_wrong_kind_is_refused(
    configuration: Configuration, argument: str, make: Any, message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Tasks(configuration=configuration, **{argument: make()})


def test_a_closed_client_is_refused(configuration: Configuration) -> None:
    client = httpx.Client()
    client.close()
    with pytest.raises(ValueError, match="http_client is closed"):
        Tasks(configuration=configuration, http_client=client)


def test_a_given_async_client_is_kept_to_its_event_loop(configuration: Configuration) -> None:
    client = httpx.AsyncClient()
    tasks = Tasks(configuration=configuration, async_http_client=client)

    async def create() -> str:
        return (await tasks.acreate(agent_id="agent-loop", prompt="p")).id

    first = asyncio.new_event_loop()  # the client's loop, kept until the client is closed
    try:
        assert first.run_until_complete(create())
        with pytest.raises(RuntimeError, match="another event loop"):
            asyncio.run(create())
        tasks.close()
        assert not client.is_closed
        first.run_until_complete(client.aclose())  # yours to close, in its own loop
        first.run_until_complete(first.shutdown_asyncgens())
    finally:
        first.close()


def test_a_redirect_is_not_followed_so_the_key_stays_home() -> None:
    with CannedServer(Answer.json(TASK_JSON)) as elsewhere:
        moved = Answer(status=302, headers=(("location", f"{elsewhere.base_url}/steal"),))
        with CannedServer(moved) as server, httpx.Client(follow_redirects=True) as client:
            config = Configuration(api_key=KEY, base_url=server.base_url)
            with Tasks(config, http_client=client) as tasks, pytest.raises(APIStatusError) as e:
                tasks.get("t1")
        assert elsewhere.requests == 0
    assert e.value.status_code == 302
