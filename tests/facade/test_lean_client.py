"""The SDK's own httpx clients (`_lean`): the same requests on the wire as httpx's, faster.

`LeanClient` / `AsyncLeanClient` build the generated calls' requests
themselves; these tests send each shape of call through one of them and
through a plain ``httpx.Client`` to a real loopback server and compare what
the server read, byte for byte where it matters. They also hold what the
lean path must keep of httpx's client: the answer's ``request`` and
``elapsed``, errors that name their request, a closed client refusing, and
cookies (a server's ``Set-Cookie`` is kept and sent back).
"""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest
from xpander_api_client import AuthenticatedClient
from xpander_api_client.api.tasks import get_task

from xpander_sdk._lean import AsyncLeanClient, LeanClient, json_encoder

from .servers import Answer, CannedServer, closed_port

HEADERS = {"x-api-key": "k-123", "user-agent": "xpander-sdk-tasks/test"}

#: (method, path, keyword arguments): the shapes the generated endpoints send.
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/agent-execution/task-1/status", {}),
    ("GET", "/agent-execution/a%2Fb%20c/status", {}),
    ("get", "/agent-execution/agent-1/list", {"params": {"status": "completed", "n": 3}}),
    ("get", "/agent-execution/agent-1/list", {"params": {}}),
    (
        "post",
        "/agent-execution/agent-1",
        {
            "json": {"input": {"text": "héllo ✓", "files": []}, "n": 1.5, "ok": True},
            "headers": {
                "x-agent-version": "2",
                "Idempotency-Key": "key-1",
                "Content-Type": "application/json",
            },
        },
    ),
    ("post", "/agent-execution/task-1/stop", {}),
    ("patch", "/agent-execution/task-1", {"json": {"status": "completed"}}),
    ("get", "/agent-execution/task-1/status", {"headers": {"user-agent": "mine/1"}}),
]


def _seen(server: CannedServer) -> tuple[str, str, dict[str, str], bytes]:
    seen = server.seen[-1]
    return seen.method, seen.path, seen.headers, seen.body


@pytest.mark.parametrize("base_path", ["", "/api/v1"])
@pytest.mark.parametrize(("method", "path", "kwargs"), CALLS)
def test_the_server_reads_what_httpx_would_send(
    base_path: str, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    with CannedServer(Answer.json({"ok": True})) as server:
        base_url = server.base_url + base_path
        with httpx.Client(base_url=base_url, headers=HEADERS) as plain:
            plain.request(method, path, **kwargs)
        expected = _seen(server)
        transport = httpx.HTTPTransport()
        with LeanClient(transport=transport, base_url=base_url, headers=HEADERS) as lean:
            assert lean._lean_request(method, path, kwargs) is not None  # the lean path, taken
            lean.request(method, path, **kwargs)
        assert _seen(server) == expected
        assert server.requests == 2


@pytest.mark.parametrize(("method", "path", "kwargs"), CALLS)
def test_the_request_object_matches_build_request(
    method: str, path: str, kwargs: dict[str, Any]
) -> None:
    """What hooks and errors see: method, URL, headers, body and timeout, as httpx builds them."""
    settings: dict[str, Any] = {
        "base_url": "https://api.example.com/v1",
        "headers": HEADERS,
        "timeout": httpx.Timeout(7.0, connect=2.0),
    }
    with httpx.Client(**settings) as plain:
        expected = plain.build_request(method, path, **kwargs)
    with LeanClient(transport=httpx.HTTPTransport(), **settings) as lean:
        built = lean._lean_request(method, path, kwargs)
    assert built is not None
    assert (built.method, built.url) == (expected.method, expected.url)
    assert sorted(built.headers.multi_items()) == sorted(expected.headers.multi_items())
    assert built.content == expected.content
    assert built.extensions == expected.extensions


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("https://elsewhere.example.com/x", {}),  # an absolute URL
        ("/x", {"content": b"raw"}),
        ("/x", {"data": {"a": "1"}}),
        ("/x", {"auth": ("user", "pass")}),
        ("/x", {"timeout": 3.0}),
        ("/x", {"follow_redirects": True}),
        ("x", {}),  # relative without a slash: httpx's merge rules
    ],
)
def test_other_shapes_take_httpx_own_path(url: str, kwargs: dict[str, Any]) -> None:
    with LeanClient(transport=httpx.HTTPTransport(), base_url="http://127.0.0.1:9") as lean:
        assert lean._lean_request("GET", url, kwargs) is None


def test_the_answer_carries_its_request_and_elapsed_time() -> None:
    with (
        CannedServer(Answer.json({"ok": True})) as server,
        LeanClient(transport=httpx.HTTPTransport(), base_url=server.base_url) as lean,
    ):
        response = lean.request("get", "/agent-execution/t1/status")
    assert response.json() == {"ok": True}
    assert response.request.method == "GET"
    assert response.request.url == httpx.URL(server.base_url + "/agent-execution/t1/status")
    assert response.elapsed.total_seconds() > 0
    assert response.is_closed  # read whole: its connection is back in the pool


def test_a_connection_error_names_its_request() -> None:
    base_url = f"http://127.0.0.1:{closed_port()}"
    with (
        LeanClient(transport=httpx.HTTPTransport(), base_url=base_url) as lean,
        pytest.raises(httpx.ConnectError) as caught,
    ):
        lean.request("get", "/agent-execution/t1/status")
    assert caught.value.request.url == httpx.URL(base_url + "/agent-execution/t1/status")


def test_a_closed_client_refuses_before_sending() -> None:
    with CannedServer(Answer.json({})) as server:
        lean = LeanClient(transport=httpx.HTTPTransport(), base_url=server.base_url)
        lean.close()
        with pytest.raises(RuntimeError, match="closed"):
            lean.request("get", "/x")
        assert server.requests == 0


def test_cookies_are_kept_and_sent_back() -> None:
    """A server's Set-Cookie reaches the jar, and the next request carries it (via httpx)."""
    first = [Answer.json({}, headers=(("Set-Cookie", "sticky=node-7; Path=/"),))]
    with (
        CannedServer(Answer.json({}), first=first) as server,
        LeanClient(transport=httpx.HTTPTransport(), base_url=server.base_url) as lean,
    ):
        lean.request("get", "/one")
        assert lean.cookies.get("sticky") == "node-7"
        assert lean._lean_request("GET", "/two", {}) is None  # a jar to apply: httpx's path
        lean.request("get", "/two")
    assert "cookie" not in server.seen[0].headers
    assert server.seen[1].headers["cookie"] == "sticky=node-7"


async def test_the_async_twin_sends_the_same_requests() -> None:
    method, path, kwargs = CALLS[4]
    with CannedServer(Answer.json({"ok": True})) as server:
        async with httpx.AsyncClient(base_url=server.base_url, headers=HEADERS) as plain:
            await plain.request(method, path, **kwargs)
        expected = _seen(server)
        transport = httpx.AsyncHTTPTransport()
        async with AsyncLeanClient(
            transport=transport, base_url=server.base_url, headers=HEADERS
        ) as lean:
            response = await lean.request(method, path, **kwargs)
        assert _seen(server) == expected
    assert response.request.method == "POST"
    assert json.loads(response.request.content) == kwargs["json"]
    assert response.elapsed.total_seconds() > 0


async def test_the_async_twin_names_the_request_of_an_error_and_refuses_when_closed() -> None:
    base_url = f"http://127.0.0.1:{closed_port()}"
    lean = AsyncLeanClient(transport=httpx.AsyncHTTPTransport(), base_url=base_url)
    with pytest.raises(httpx.ConnectError) as caught:
        await lean.request("get", "/agent-execution/t1/status")
    assert caught.value.request.url == httpx.URL(base_url + "/agent-execution/t1/status")
    await lean.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await lean.request("get", "/x")


def test_settings_changed_after_construction_are_read_per_request() -> None:
    """As httpx reads them: ``client.timeout = ...`` and ``client.base_url = ...`` apply at once."""
    with CannedServer(Answer.json({})) as first, CannedServer(Answer.json({})) as second:
        settings: dict[str, Any] = {"base_url": first.base_url, "timeout": 5.0}
        with (
            httpx.Client(**settings) as plain,
            LeanClient(transport=httpx.HTTPTransport(), **settings) as lean,
        ):
            lean.request("get", "/before")  # the settings as first read
            for client in (plain, lean):
                client.timeout = httpx.Timeout(1.5, connect=0.5)
                client.base_url = httpx.URL(second.base_url + "/v2")
            expected = plain.build_request("GET", "/after")
            built = lean._lean_request("GET", "/after", {})
            assert built is not None
            assert built.url == expected.url
            assert built.extensions["timeout"] == expected.extensions["timeout"]
            lean.request("get", "/after")
        assert [s.path for s in first.seen] == ["/before"]
        assert [s.path for s in second.seen] == ["/v2/after"]


def test_the_generated_client_s_with_timeout_reaches_the_request() -> None:
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(404, json={"detail": "no"})

    lean = LeanClient(transport=httpx.MockTransport(answer), base_url="http://api.example")
    client = AuthenticatedClient(base_url="http://api.example", token="k").set_httpx_client(lean)
    with lean:
        # with_timeout sets the timeout of the httpx client already made (and returns a copy
        # of the generated client without it): the client in hand sends with the new one.
        client.with_timeout(httpx.Timeout(2.5))
        get_task.sync_detailed("t1", client=client)
    assert seen == [httpx.Timeout(2.5).as_dict()]


def test_the_installed_httpx_s_json_encoding_is_one_the_lean_path_knows() -> None:
    # Else every body would go through httpx's own path: right, but slower.
    assert json_encoder() is not None


def test_a_body_httpx_refuses_is_refused_alike_and_one_it_sends_is_sent_alike() -> None:
    """NaN: httpx 0.28 refuses it (ValueError), 0.27 sends it; the lean path does as httpx."""
    kwargs = {"json": {"x": math.nan, "y": "é"}}
    with httpx.Client(base_url="https://api.example.com") as plain:
        try:
            expected: Any = plain.build_request("POST", "/x", **kwargs).content
        except ValueError as refused:
            expected = type(refused)
    with LeanClient(transport=httpx.HTTPTransport(), base_url="https://api.example.com") as lean:
        try:
            built = lean._lean_request("POST", "/x", kwargs)
            got: Any = None if built is None else built.content
        except ValueError as refused:
            got = type(refused)
    assert got == expected
