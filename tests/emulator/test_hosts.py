"""The emulator answers only Host headers that name it: the guard against DNS rebinding.

Without --api-key any key works, so the Host check is all that stands between a web page on
a name rebound to 127.0.0.1 and every task. These requests carry the Host a browser would
send for such a page; the emulator listens on loopback as it does by default."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from emulator_helpers import check_request_id, create, wait_status

from xpander_sdk.emulator import EmulatorConfig, EmulatorServer
from xpander_sdk.emulator.cli import parse_args

SECRETS = {"user_oidc_token": "oidc-SECRET", "user_tokens": {"github": "tok-SECRET"}}


def send(server: EmulatorServer, method: str, path: str, host: str, **kwargs: Any) -> Any:
    """One request to ``server`` over loopback whose Host header is ``host``."""
    headers = {"x-api-key": "any-key-works", "Host": host}
    return httpx.request(method, server.base_url + path, headers=headers, **kwargs)


def assert_refused(answer: httpx.Response) -> None:
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert [e["field"] for e in body["errors"]] == ["header.Host"]
    assert "SECRET" not in answer.text
    check_request_id(answer)


@pytest.fixture
def open_emulator(emulator_factory: Callable[..., EmulatorServer]) -> EmulatorServer:
    """An emulator started without --api-key (any key is accepted), holding one task with
    secrets."""
    server = emulator_factory(api_key=None)
    with httpx.Client(base_url=server.base_url, headers={"x-api-key": "k"}) as client:
        task = create(client, "agent-secret", "read my mail", **SECRETS)
        wait_status(client, server.organization_id, task["id"])  # its run is over
    return server


# What a page on a rebound name would try: read, replace, reset, create, load the page.
REQUESTS: list[tuple[str, str, object]] = [
    ("GET", "/_emulator/tasks", None),
    ("GET", "/_emulator/state", None),
    ("GET", "/_emulator/requests", None),
    ("PUT", "/_emulator/state", {"version": 1, "tasks": []}),
    ("POST", "/_emulator/reset", None),
    ("GET", "/agent-execution/executions/history/agent-secret", None),
    ("POST", "/agent-execution/agent-evil", {"input": {"text": "x"}}),
    ("GET", "/_emulator/ui", None),
]


def test_a_rebound_name_reads_and_changes_nothing(open_emulator: EmulatorServer) -> None:
    before = open_emulator.export_state()
    port = open_emulator.port
    for method, path, body in REQUESTS:
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}"):
            answer = send(open_emulator, method, path, host, json=body)
            assert_refused(answer)
            assert "--allowed-host" in answer.json()["detail"]
    assert open_emulator.export_state() == before


def test_loopback_names_are_answered_with_or_without_a_port(
    open_emulator: EmulatorServer,
) -> None:
    port = open_emulator.port
    for host in (
        "127.0.0.1",
        f"127.0.0.1:{port}",
        "localhost",
        f"LocalHost:{port}",
        "[::1]",
        f"[::1]:{port}",
        "localhost:8080",  # behind a port forward the port differs; the name is what counts
    ):
        answer = send(open_emulator, "GET", "/_emulator/tasks", host)
        assert answer.status_code == 200, host
        assert [t["agent_id"] for t in answer.json()["tasks"]] == ["agent-secret"]


def test_other_and_malformed_hosts_are_refused(open_emulator: EmulatorServer) -> None:
    for host in (
        "127.0.0.2",  # loopback, but not an address this emulator was told to listen on
        "10.0.0.7",
        "localhost.evil.example",
        "evil.localhost.example",
        "localhost:http",
        "localhost@evil.example",
        "::1",  # an IPv6 address is a Host only in brackets
        "[::1",
        "",
    ):
        assert_refused(send(open_emulator, "GET", "/_emulator/tasks", host))


def test_a_request_without_a_host_is_refused(open_emulator: EmulatorServer) -> None:
    # HTTP/1.0 allows no Host; httpx cannot send one without, so over a plain socket.
    with socket.create_connection(("127.0.0.1", open_emulator.port), timeout=10) as sock:
        sock.sendall(b"GET /_emulator/tasks HTTP/1.0\r\nx-api-key: k\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b'"field":"header.Host"' in body
    assert b"SECRET" not in body


def test_allowed_hosts_adds_names(emulator_factory: Callable[..., EmulatorServer]) -> None:
    server = emulator_factory(
        api_key=None, allowed_hosts=["emulator", "Dev.Example.COM:9016", "::2"]
    )
    for host in ("emulator", "emulator:9016", "dev.example.com", "DEV.example.com:1", "[::2]"):
        answer = send(server, "GET", "/_emulator/info", host)
        assert answer.status_code == 200, host
    assert_refused(send(server, "GET", "/_emulator/info", "emulator.example"))
    assert_refused(send(server, "GET", "/_emulator/info", "other"))


def test_a_star_answers_any_host(emulator_factory: Callable[..., EmulatorServer]) -> None:
    server = emulator_factory(api_key=None, allowed_hosts=["*"])
    assert send(server, "GET", "/_emulator/info", "evil.example").status_code == 200


def test_an_ipv6_bind_answers_its_bracketed_address(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    try:
        server = emulator_factory(api_key=None, host="::1")
    except OSError as exc:  # a machine without IPv6 on loopback
        pytest.skip(f"cannot listen on ::1: {exc}")
    assert server.base_url.startswith("http://[::1]:")
    assert httpx.get(server.base_url + "/_emulator/info", headers={"x-api-key": "k"}).is_success
    assert send(server, "GET", "/_emulator/info", "localhost").status_code == 200
    assert_refused(send(server, "GET", "/_emulator/info", "evil.example"))


def test_a_wildcard_bind_answers_the_machines_name_and_addresses(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(api_key=None, host="0.0.0.0")
    # Every address reaches it: the requests go to loopback with the Host a client on
    # another machine would send.
    url = f"http://127.0.0.1:{server.port}/_emulator/info"
    for host in (socket.gethostname(), "192.0.2.10", "[2001:db8::1]:9016", "localhost"):
        answer = httpx.get(url, headers={"x-api-key": "k", "Host": host})
        assert answer.status_code == 200, host
    assert_refused(httpx.get(url, headers={"x-api-key": "k", "Host": "evil.example"}))
    assert_refused(httpx.get(url, headers={"x-api-key": "k", "Host": "2001:db8::1"}))


@pytest.mark.parametrize("bad", ["a b", "evil.example/path", "user@host", "[::1", ""])
def test_a_bad_allowed_host_is_refused_at_start(bad: str) -> None:
    with pytest.raises(ValueError, match="allowed_hosts"):
        EmulatorConfig(allowed_hosts=[bad])


def test_allowed_hosts_must_be_a_list() -> None:
    with pytest.raises(ValueError, match="allowed_hosts must be a list"):
        EmulatorConfig(allowed_hosts="emulator")  # type: ignore[arg-type]


def test_allowed_host_is_a_repeatable_option() -> None:
    assert parse_args([]).allowed_hosts == []
    config = parse_args(["--allowed-host", "emulator", "--allowed-host", "dev.example"])
    assert config.allowed_hosts == ["emulator", "dev.example"]
    with pytest.raises(SystemExit) as stopped:
        parse_args(["--allowed-host", "a b"])
    assert stopped.value.code == 2
