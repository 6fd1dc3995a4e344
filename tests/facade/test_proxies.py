"""Proxies for the SDK's own clients: `Configuration(proxy=...)`, else the environment's.

A real forward proxy on loopback (`ForwardProxy`) relays to the emulator and
records what it relayed, so each test shows which requests went through it.
The environment is changed only around the calls (``monkeypatch.context``):
the fixtures' own httpx clients must not see it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from xpander_sdk import Configuration, Tasks, TaskUpdateEventType
from xpander_sdk._proxies import Proxies, ProxyRoutes

from .servers import ForwardProxy

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as server:
        yield server


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A context to set proxy variables in, with none of the machine's left over."""
    with monkeypatch.context() as env:
        for name in PROXY_VARIABLES:
            env.delenv(name, raising=False)
            env.delenv(name.lower(), raising=False)
        yield env


def test_the_environment_proxy_carries_calls_and_event_streams(
    configuration: Configuration, proxy: ForwardProxy, environment: pytest.MonkeyPatch
) -> None:
    environment.setenv("HTTP_PROXY", proxy.url)
    with Tasks(configuration=configuration) as tasks:
        task = tasks.create(agent_id="agent-env-proxy", prompt="p", events_streaming=True)
        events = list(task.events())
        tasks.get(task.id)
    assert events[-1].type is TaskUpdateEventType.TaskFinished
    base = configuration.base_url
    assert proxy.relayed[0] == f"POST {base}/agent-execution/agent-env-proxy"
    assert any(r.startswith(f"GET {base}/") and r.endswith("/events") for r in proxy.relayed)
    assert proxy.relayed[-1] == f"GET {base}/agent-execution/{task.id}/status"


@pytest.mark.usefixtures("http_backend")
async def test_async_calls_take_the_environment_proxy_on_each_backend(
    configuration: Configuration, proxy: ForwardProxy, environment: pytest.MonkeyPatch
) -> None:
    environment.setenv("http_proxy", proxy.url)
    async with Tasks(configuration=configuration) as tasks:
        task = await tasks.acreate(agent_id="agent-env-proxy", prompt="p")
        await tasks.aget(task.id)
    assert [r.split()[0] for r in proxy.relayed] == ["POST", "GET"]


@pytest.mark.usefixtures("http_backend")
async def test_the_configured_proxy_wins_and_needs_no_environment(
    configuration: Configuration, proxy: ForwardProxy, environment: pytest.MonkeyPatch
) -> None:
    config = configuration.copy_with(proxy=proxy.url)
    async with Tasks(configuration=config) as tasks:
        task = await tasks.acreate(agent_id="agent-configured-proxy", prompt="p")
    with Tasks(configuration=config) as tasks:
        tasks.get(task.id)
    assert [r.split()[0] for r in proxy.relayed] == ["POST", "GET"]


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.1", "*"])
def test_no_proxy_hosts_are_reached_directly(
    configuration: Configuration,
    proxy: ForwardProxy,
    environment: pytest.MonkeyPatch,
    no_proxy: str,
) -> None:
    environment.setenv("HTTP_PROXY", proxy.url)
    environment.setenv("NO_PROXY", no_proxy)
    with Tasks(configuration=configuration) as tasks:
        task = tasks.create(agent_id="agent-no-proxy", prompt="p")
    assert task.agent_id == "agent-no-proxy"
    assert proxy.relayed == []


def test_trust_env_false_ignores_the_environment(
    configuration: Configuration, proxy: ForwardProxy, environment: pytest.MonkeyPatch
) -> None:
    environment.setenv("HTTP_PROXY", proxy.url)
    with Tasks(configuration=configuration.copy_with(trust_env=False)) as tasks:
        tasks.create(agent_id="agent-no-env", prompt="p")
    assert proxy.relayed == []


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (3128, TypeError),
        ("ftp://user:s3cret@proxy:21", ValueError),
        ("http://", ValueError),
        ("no scheme s3cret", ValueError),
    ],
)
def test_a_bad_proxy_is_refused_without_showing_it(value: object, error: type) -> None:
    with pytest.raises(error, match="proxy") as caught:
        Configuration(api_key="k", proxy=value)  # type: ignore[arg-type]
    assert "s3cret" not in str(caught.value)


def test_trust_env_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="trust_env"):
        Configuration(api_key="k", trust_env="no")  # type: ignore[arg-type]


def test_the_proxy_and_its_password_stay_out_of_the_repr() -> None:
    config = Configuration(api_key="k", proxy="http://user:s3cret@proxy.corp:3128")
    assert "s3cret" not in repr(config)
    assert "s3cret" not in repr(Tasks(configuration=config))


def test_threads_sharing_a_client_make_one_pool_per_proxy() -> None:
    """The first requests through a proxy, from many threads at once, share one pool."""
    made: list[str | None] = []
    start = threading.Barrier(8)

    class Pool(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(204)

    def make(proxy: str | None) -> httpx.BaseTransport:
        made.append(proxy)
        time.sleep(0.05)  # a slow first make: every thread arrives while it runs
        return Pool()

    routes = ProxyRoutes(Proxies("http://proxy.example:3128", trust_env=False), make)
    request = httpx.Request("GET", "https://api.example.com/x")

    def send() -> None:
        start.wait()
        assert routes.handle_request(request).status_code == 204

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == ["http://proxy.example:3128"]
